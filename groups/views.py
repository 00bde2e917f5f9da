from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groups import selectors
from groups.forms import (
    AddendumForm,
    AddSessionForm,
    CancelSessionForm,
    DropInForm,
    EnrollmentGroupForm,
    MoveSessionForm,
    SessionForm,
    ToggleForm,
)
from groups.models import Enrollment, GroupSession
from groups.services import enrollment as enrollment_services
from groups.services import schedule, sessions
from iop import horizon
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.decorators import client_view
from iop.audit.models import AuditEvent
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view, audit_record_many
from iop.clients.models import Client
from iop.clients.signing import note_addenda
from iop.extensions import SESSION_SECTIONS, page_sections
from iop.formtools import message_date_error, message_service_errors

GROUP_STAFF = (roles.COUNSELOR, roles.SUPERVISOR)


def _readable(sessions):
    # A row dated outside the horizon (stored as year 10000 in UTC before the
    # forms were bounded) cannot be read back: it is left out of the group's
    # pages, a 404 on its own, and named by `manage.py check_data`.
    earliest, after = horizon.outer_datetimes()
    return sessions.filter(starts_at__gte=earliest, starts_at__lt=after)


def _session_for(user, session_id) -> GroupSession:
    # Outside the groups a user runs (or the program, for supervisors): 404.
    return get_object_or_404(_readable(selectors.sessions_visible_to(user)), public_id=session_id)


@role_required(*GROUP_STAFF)
@require_safe
def group_list(request):
    groups = selectors.groups_visible_to(request.user).filter(active=True)
    return render(request, "groups/group_list.html", {"groups": groups})


@role_required(*GROUP_STAFF)
@require_safe
def group_detail(request, group_id):
    group = get_object_or_404(selectors.groups_visible_to(request.user), public_id=group_id)
    now = timezone.now()
    occurrences = _readable(group.sessions.select_related("topic")).order_by("starts_at")
    context = {
        "group": group,
        "upcoming": occurrences.filter(starts_at__gte=now)[:16],
        "recent": occurrences.filter(starts_at__lt=now).order_by("-starts_at")[:8],
        "add_form": AddSessionForm(group=group),
    }
    return render(request, "groups/group_detail.html", context)


@role_required(*GROUP_STAFF)
@require_POST
def group_session_add(request, group_id):
    group = get_object_or_404(selectors.groups_visible_to(request.user), public_id=group_id)
    form = AddSessionForm(request.POST, group=group)
    if form.is_valid():
        try:
            schedule.group_session_add(
                actor=request.user, group=group, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            message_service_errors(request, error)
        else:
            messages.success(request, _("Session added."))
    else:
        message_date_error(
            request, form, "starts_at", _("Check the date, time and topic of the new session.")
        )
    return redirect("groups:group-detail", group_id=group.public_id)


# Up to this many drop-in candidates are listed; beyond, the page offers a
# search (a supervisor may see the whole program).
DROP_IN_LIST_MAX = 100
DROP_IN_SEARCH_MAX = 20


def _drop_in_candidates(user, on_roster):
    """Clients with an open episode the user may see, not on the roster."""
    return (
        clients_visible_to(user)
        .filter(episodes__phase__in=selectors.OPEN_PHASES)
        .exclude(pk__in=on_roster)
        .distinct()
    )


def _drop_in_listed(candidates, limit: int) -> list[tuple[Client, str]]:
    """The first `limit` candidates by name with their label (the client's
    str()), in one query reading only what the label needs."""
    clients = candidates.order_by("legal_last_name", "legal_first_name", "pk").only(
        "pk", "preferred_name", "legal_first_name", "legal_last_name", "mrn"
    )[:limit]
    return [(client, str(client)) for client in clients]


def _clone_labels(clones, roster) -> list[list[str]]:
    """The identical-remark warning, naming only whom the page may name."""
    labels = {entry.client.pk: entry.label for entry in roster}
    return [[labels.get(row.client_id, "") for row in rows] for rows in clones]


def _session_context(request, session, form=None):
    roster = selectors.session_roster(session, viewer=request.user)
    return {
        "session": session,
        "form": form or SessionForm(session=session, roster=roster),
        "roster": roster,
        "clones": _clone_labels(sessions.session_cloned_remarks(session), roster),
        "addenda": note_addenda(session) if session.is_signed else [],
        "addendum_form": AddendumForm() if session.is_signed else None,
        "can_document": not session.is_cancelled and session.starts_at <= timezone.now(),
        "extra_sections": page_sections(SESSION_SECTIONS, request, session),
    }


@role_required(*GROUP_STAFF)
@require_http_methods(["GET", "HEAD", "POST"])
def session_detail(request, session_id):
    """The one screen: roster, attendance, group note, per-client lines, sign."""
    session = _session_for(request.user, session_id)
    if request.method == "POST":
        return _session_save(request, session)
    context = _session_context(request, session)
    audit_record_many(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        clients=[entry.client for entry in context["roster"] if entry.named],
        obj=session,
        request=request,
    )
    return render(request, "groups/session_detail.html", context)


def _session_save(request, session):
    roster = selectors.session_roster(session, viewer=request.user)
    form = SessionForm(request.POST, session=session, roster=roster)
    if form.is_valid():
        try:
            sessions.session_lines_save(
                actor=request.user,
                session=session,
                summary=None if session.is_signed else form.cleaned_data["summary"],
                lines=form.lines(),
                request=request,
            )
            if request.POST.get("action") == "sign":
                sessions.session_sign(
                    actor=request.user,
                    session=session,
                    accept_identical=form.cleaned_data["accept_identical"],
                    request=request,
                )
                messages.success(request, _("Group note and participant lines signed."))
            else:
                messages.success(request, _("Saved."))
            return redirect("groups:session-detail", session_id=session.public_id)
        except ValidationError as error:
            message_service_errors(request, error)
    session.refresh_from_db()
    context = _session_context(
        request,
        session,
        form=SessionForm(
            request.POST,
            session=session,
            roster=selectors.session_roster(session, viewer=request.user),
        ),
    )
    return render(request, "groups/session_detail.html", context, status=400)


@role_required(*GROUP_STAFF)
@require_POST
def attendance_toggle(request, session_id):
    """htmx: set one client's attendance in place and return their row."""
    session = _session_for(request.user, session_id)
    form = ToggleForm(request.POST)
    if not form.is_valid():
        return render(request, "groups/includes/_toggle_error.html", status=400)
    key = form.cleaned_data["client"]
    roster = selectors.session_roster(session, viewer=request.user)
    if not any(entry.client.pk == key and entry.named for entry in roster):
        # Not on the roster, or a former member the user may no longer open.
        return render(request, "groups/includes/_toggle_error.html", status=400)
    try:
        sessions.session_lines_save(
            actor=request.user,
            session=session,
            summary=None,
            lines={key: form.line()},
            request=request,
        )
    except ValidationError as error:
        return render(
            request, "groups/includes/_toggle_error.html", {"errors": error.messages}, status=400
        )
    roster = selectors.session_roster(session, viewer=request.user)
    form = SessionForm(session=session, roster=roster)
    row = next(row for row in form.rows() if row["entry"].client.pk == key)
    return render(
        request,
        "groups/includes/_roster_row.html",
        {"row": row, "session": session, "can_document": True, "just_saved": True},
    )


@role_required(*GROUP_STAFF)
@require_POST
def session_drop_in(request, session_id):
    session = _session_for(request.user, session_id)
    visible = clients_visible_to(request.user)
    form = DropInForm(request.POST, clients=visible)
    if form.is_valid():
        try:
            sessions.session_add_client(
                actor=request.user,
                session=session,
                client=form.cleaned_data["client"],
                visible_clients=visible,
                request=request,
            )
        except ValidationError as error:
            message_service_errors(request, error)
        else:
            messages.success(request, _("Client added to the session."))
    else:
        messages.error(request, _("Choose a client to add."))
    return redirect("groups:session-detail", session_id=session.public_id)


@role_required(*GROUP_STAFF)
@require_safe
def session_drop_in_picker(request, session_id):
    """htmx: the drop-in form, asked for when the facilitator means to add
    someone (most views of a session never do): the candidates listed, or a
    search when there are more than DROP_IN_LIST_MAX."""
    session = _session_for(request.user, session_id)
    on_roster = [entry.client.pk for entry in selectors.session_roster(session)]
    listed = _drop_in_listed(
        _drop_in_candidates(request.user, on_roster), limit=DROP_IN_LIST_MAX + 1
    )
    search = len(listed) > DROP_IN_LIST_MAX
    listed = [] if search else listed
    # Names and record numbers are shown (not when a search is offered instead).
    audit_list_view(request, clients=[client for client, _ in listed], name="drop_in_picker")
    context = {
        "session": session,
        "drop_in_form": DropInForm(clients=None),
        "drop_in_search": search,
        "drop_in_choices": [(client.pk, label) for client, label in listed],
    }
    return render(request, "groups/includes/_drop_in_picker.html", context)


@role_required(*GROUP_STAFF)
@require_safe
def session_drop_in_search(request, session_id):
    """htmx: the drop-in candidates whose name or record number holds the
    text typed, as <option>s for the picker (names only, as the client list,
    and audited as it is: one view event per client found)."""
    session = _session_for(request.user, session_id)
    text = request.GET.get("q", "").strip()[:50]
    found = []
    if len(text) >= 2:
        on_roster = [entry.client.pk for entry in selectors.session_roster(session)]
        candidates = _drop_in_candidates(request.user, on_roster).filter(
            Q(legal_last_name__icontains=text)
            | Q(legal_first_name__icontains=text)
            | Q(preferred_name__icontains=text)
            | Q(mrn__icontains=text)
        )
        found = _drop_in_listed(candidates, limit=DROP_IN_SEARCH_MAX)
    audit_list_view(request, clients=[client for client, _ in found], name="drop_in_search")
    choices = [(client.pk, label) for client, label in found]
    return render(
        request,
        "groups/includes/_drop_in_options.html",
        {"choices": choices, "searched": len(text) >= 2},
    )


@role_required(*GROUP_STAFF)
@require_POST
def session_remove(request, session_id):
    session = _session_for(request.user, session_id)
    entry = next(
        (
            entry
            for entry in selectors.session_roster(session)
            if str(entry.client.public_id) == request.POST.get("client")
        ),
        None,
    )
    if entry is None:
        messages.error(request, _("That client is not on this session."))
    else:
        try:
            sessions.session_remove_client(
                actor=request.user, session=session, client=entry.client, request=request
            )
        except ValidationError as error:
            message_service_errors(request, error)
        else:
            messages.success(request, _("Line removed."))
    return redirect("groups:session-detail", session_id=session.public_id)


@role_required(*GROUP_STAFF)
@require_POST
def session_move(request, session_id):
    session = _session_for(request.user, session_id)
    form = MoveSessionForm(request.POST)
    if form.is_valid():
        try:
            schedule.group_session_move(
                actor=request.user,
                session=session,
                starts_at=form.cleaned_data["starts_at"],
                request=request,
            )
        except ValidationError as error:
            message_service_errors(request, error)
        else:
            messages.success(request, _("Session moved."))
    else:
        message_date_error(request, form, "starts_at", _("Give the new date and time."))
    return redirect("groups:group-detail", group_id=session.group.public_id)


@role_required(*GROUP_STAFF)
@require_POST
def session_cancel(request, session_id):
    session = _session_for(request.user, session_id)
    form = CancelSessionForm(request.POST)
    if form.is_valid():
        try:
            schedule.group_session_cancel(
                actor=request.user,
                session=session,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            message_service_errors(request, error)
        else:
            messages.success(request, _("Session cancelled. It counts as nobody's absence."))
    else:
        messages.error(request, _("Say why the session is cancelled."))
    return redirect("groups:group-detail", group_id=session.group.public_id)


@role_required(*GROUP_STAFF)
@require_POST
def session_addendum(request, session_id):
    session = _session_for(request.user, session_id)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            sessions.session_addendum_add(
                actor=request.user,
                session=session,
                text=form.cleaned_data["text"],
                request=request,
            )
        except ValidationError as error:
            message_service_errors(request, error)
        else:
            messages.success(request, _("Addendum signed."))
    else:
        messages.error(request, _("Write the addendum."))
    return redirect("groups:session-detail", session_id=session.public_id)


@client_view(roles.SUPERVISOR)
def client_groups(request, client):
    """A supervisor changes which recurring group a client attends per track."""
    episode = client.episodes.filter(phase__in=selectors.OPEN_PHASES).first()
    if episode is None:
        messages.info(request, _("The client has no admitted episode."))
        return redirect("clients:client-detail", client_id=client.public_id)
    enrollments = list(
        episode.enrollments.select_related("program_track__track", "group").order_by("start_date")
    )
    forms = {
        enrollment.pk: EnrollmentGroupForm(
            request.POST if request.POST.get("enrollment") == str(enrollment.pk) else None,
            track=enrollment.program_track.track,
            initial={"group": enrollment.group},
            prefix=f"e{enrollment.pk}",
        )
        for enrollment in enrollments
    }
    if request.method == "POST":
        posted = request.POST.get("enrollment", "")
        enrollment = get_object_or_404(
            Enrollment,
            episode=episode,
            pk=int(posted) if posted.isascii() and posted.isdigit() else 0,
        )
        form = forms[enrollment.pk]
        if form.is_valid():
            try:
                enrollment_services.enrollment_change_group(
                    actor=request.user,
                    enrollment=enrollment,
                    group=form.cleaned_data["group"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error("group", error)
            else:
                messages.success(request, _("Group changed."))
                return redirect("groups:client-groups", client_id=client.public_id)
    rows = [(enrollment, forms[enrollment.pk]) for enrollment in enrollments]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "groups/client_groups.html",
        {"client": client, "episode": episode, "rows": rows},
        status=status,
    )


@role_required(roles.SUPERVISOR)
@require_POST
def session_cosign(request, session_id):
    session = _session_for(request.user, session_id)
    try:
        sessions.session_cosign(actor=request.user, session=session, request=request)
    except ValidationError as error:
        message_service_errors(request, error)
    else:
        messages.success(request, _("Group note co-signed."))
    return redirect("groups:session-detail", session_id=session.public_id)
