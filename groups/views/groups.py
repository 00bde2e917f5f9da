"""The group list and page, and changes to a group's schedule: add, move
or cancel a session."""

from django.contrib import messages
from django.core.exceptions import ValidationError
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
from iop.formtools import message_date_error, message_service_errors


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


@role_required(*roles.CLINICIANS)
@require_POST
def session_move(request, session_id):
    session = session_for(request.user, session_id)
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


@role_required(*roles.CLINICIANS)
@require_POST
def session_cancel(request, session_id):
    session = session_for(request.user, session_id)
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
