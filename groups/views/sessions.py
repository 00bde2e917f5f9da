"""A group session's one screen (roster, attendance, group note, per-client
lines, sign) and what else is done to its record: remove a line, addendum,
co-signature; and a client's groups per track."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from groups import selectors
from groups.forms import AddendumForm, EnrollmentGroupForm, SessionForm, ToggleForm
from groups.models import Attendance, Enrollment
from groups.services import enrollment as enrollment_services
from groups.services import sessions
from groups.services.sessions import Line
from groups.views.common import session_for
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.decorators import client_view
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record_many
from iop.clients.models import Episode
from iop.clients.signing import note_addenda
from iop.clients.views import chart_redirect
from iop.extensions import SESSION_SECTIONS, page_sections
from iop.formtools import (
    form_saved,
    message_form_outcome,
    message_outcome,
    message_service_errors,
    require_confirmation,
)


def _clone_labels(clones, roster) -> list[list[str]]:
    """The identical-remark warning, naming only whom the page may name."""
    labels = {entry.client.pk: entry.label for entry in roster}
    return [[labels.get(row.client_id, "") for row in rows] for rows in clones]


def _session_context(request, session, form=None):
    roster = selectors.roster_mark(
        form.roster if form else selectors.session_roster(session, viewer=request.user),
        timezone.localdate(session.starts_at),
    )
    return {
        "session": session,
        "form": form or SessionForm(session=session, roster=roster),
        "roster": roster,
        "clones": _clone_labels(sessions.session_cloned_remarks(session), roster),
        "addenda": note_addenda(session) if session.is_signed else [],
        "addendum_form": AddendumForm() if session.is_signed else None,
        # Attendance opens half an hour before the start, notes at the start.
        "can_mark": not session.is_cancelled and session.attendance_is_open,
        "can_document": not session.is_cancelled and session.notes_are_open,
        "extra_sections": page_sections(SESSION_SECTIONS, request, session),
    }


@role_required(*roles.CLINICIANS)
@require_http_methods(["GET", "HEAD", "POST"])
def session_detail(request, session_id):
    """The one screen: roster, attendance, group note, per-client lines, sign."""
    session = session_for(request.user, session_id)
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
            if request.POST.get("action") == "sign":
                require_confirmation(
                    request, _("Confirm signing: signed lines are locked and cannot be changed.")
                )
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


@role_required(*roles.CLINICIANS)
@require_POST
def attendance_toggle(request, session_id):
    """htmx: set one client's attendance in place and return their row."""
    session = session_for(request.user, session_id)
    form = ToggleForm(request.POST)
    if not form.is_valid():
        return render(request, "groups/includes/_toggle_error.html", status=400)
    key = form.cleaned_data["client"]
    roster = selectors.session_roster(session, viewer=request.user)
    entry = next((entry for entry in roster if entry.client.pk == key and entry.named), None)
    if entry is None:
        # Not on the roster, or a former member the user may no longer open.
        return render(request, "groups/includes/_toggle_error.html", status=400)
    # Marking attendance is frequent: instead of a confirmation, the saved row
    # offers to put back what it was (present until marked) for a few seconds.
    previous = entry.attendance.status if entry.attendance else Attendance.Status.PRESENT
    undo = (
        previous if previous != form.cleaned_data["status"] and not request.POST.get("undo") else ""
    )
    try:
        sessions.session_lines_save(
            actor=request.user,
            session=session,
            summary=None,
            # Before the start only the attendance itself is taken.
            lines={key: form.line() if session.notes_are_open else Line(status=form.line().status)},
            request=request,
        )
    except ValidationError as error:
        return render(
            request, "groups/includes/_toggle_error.html", {"errors": error.messages}, status=400
        )
    roster = selectors.session_roster(session, viewer=request.user)
    form = SessionForm(session=session, roster=roster)
    row = next(row for row in form.rows() if row["entry"].client.pk == key)
    selectors.roster_mark([row["entry"]], timezone.localdate(session.starts_at))
    return render(
        request,
        "groups/includes/_roster_row.html",
        {
            "row": row,
            "session": session,
            "can_mark": True,
            "can_document": session.notes_are_open,
            "just_saved": True,
            "undo_status": undo,
            "undo_label": Attendance.Status(undo).label if undo else "",
        },
    )


@role_required(*roles.CLINICIANS)
@require_POST
def session_remove(request, session_id):
    session = session_for(request.user, session_id)
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
        message_outcome(
            request,
            lambda: sessions.session_remove_client(
                actor=request.user, session=session, client=entry.client, request=request
            ),
            success=_("Line removed."),
        )
    return redirect("groups:session-detail", session_id=session.public_id)


@role_required(*roles.CLINICIANS)
@require_POST
def session_addendum(request, session_id):
    session = session_for(request.user, session_id)
    message_form_outcome(
        request,
        AddendumForm(request.POST),
        lambda data: sessions.session_addendum_add(
            actor=request.user, session=session, text=data["text"], request=request
        ),
        success=_("Addendum signed."),
        invalid=_("Write the addendum."),
    )
    return redirect("groups:session-detail", session_id=session.public_id)


@client_view(roles.SUPERVISOR)
def client_groups(request, client):
    """A supervisor changes which recurring group a client attends per track."""
    episode = client.episodes.filter(phase__in=Episode.ACTIVE_PHASES).first()
    if episode is None:
        messages.info(request, _("The client has no admitted episode."))
        return chart_redirect(client, section="groups")
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
        saved = form_saved(
            request,
            forms[enrollment.pk],
            lambda data: enrollment_services.enrollment_change_group(
                actor=request.user, enrollment=enrollment, group=data["group"], request=request
            ),
            success=_("Group changed."),
        )
        if saved:
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
    session = session_for(request.user, session_id)
    message_outcome(
        request,
        lambda: sessions.session_cosign(actor=request.user, session=session, request=request),
        success=_("Group note co-signed."),
    )
    return redirect("groups:session-detail", session_id=session.public_id)
