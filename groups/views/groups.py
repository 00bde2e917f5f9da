"""The group list and page, and changes to a group's schedule: add, move
or cancel a session."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from groups import selectors
from groups.forms import AddSessionForm, CancelSessionForm, MoveSessionForm
from groups.services import schedule
from groups.views.common import readable, session_for
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.formtools import message_form_outcome


@role_required(*roles.CLINICIANS)
@require_safe
def group_list(request):
    groups = selectors.groups_visible_to(request.user).filter(active=True)
    return render(request, "groups/group_list.html", {"groups": groups})


@role_required(*roles.CLINICIANS)
@require_safe
def group_detail(request, group_id):
    group = get_object_or_404(selectors.groups_visible_to(request.user), public_id=group_id)
    now = timezone.now()
    occurrences = readable(group.sessions.select_related("topic")).order_by("starts_at")
    context = {
        "group": group,
        "upcoming": occurrences.filter(starts_at__gte=now)[:16],
        "recent": occurrences.filter(starts_at__lt=now).order_by("-starts_at")[:8],
        "add_form": AddSessionForm(group=group),
    }
    return render(request, "groups/group_detail.html", context)


@role_required(*roles.CLINICIANS)
@require_POST
def group_session_add(request, group_id):
    group = get_object_or_404(selectors.groups_visible_to(request.user), public_id=group_id)
    message_form_outcome(
        request,
        AddSessionForm(request.POST, group=group),
        lambda data: schedule.group_session_add(
            actor=request.user, group=group, request=request, **data
        ),
        success=_("Session added."),
        invalid=_("Check the date, time and topic of the new session."),
        date_field="starts_at",
    )
    return redirect("groups:group-detail", group_id=group.public_id)


@role_required(*roles.CLINICIANS)
@require_POST
def session_move(request, session_id):
    session = session_for(request.user, session_id)
    message_form_outcome(
        request,
        MoveSessionForm(request.POST),
        lambda data: schedule.group_session_move(
            actor=request.user, session=session, starts_at=data["starts_at"], request=request
        ),
        success=_("Session moved."),
        invalid=_("Give the new date and time."),
        date_field="starts_at",
    )
    return redirect("groups:group-detail", group_id=session.group.public_id)


@role_required(*roles.CLINICIANS)
@require_POST
def session_cancel(request, session_id):
    session = session_for(request.user, session_id)
    message_form_outcome(
        request,
        CancelSessionForm(request.POST),
        lambda data: schedule.group_session_cancel(
            actor=request.user, session=session, reason=data["reason"], request=request
        ),
        success=_("Session cancelled. It counts as nobody's absence."),
        invalid=_("Say why the session is cancelled."),
    )
    return redirect("groups:group-detail", group_id=session.group.public_id)
