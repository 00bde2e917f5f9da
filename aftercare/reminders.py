"""Aftercare's part in reminders: check-in appointments for the planner,
and the staff digest's lines (counts only, never client details)."""

from django.utils import timezone
from django.utils.translation import ngettext

from aftercare.models import CheckIn, OutreachTask
from iop.audit.policy import clients_visible_to
from iop.clients.models import Episode


def upcoming_check_ins(start, end):
    check_ins = CheckIn.objects.filter(
        status=CheckIn.Status.SCHEDULED,
        scheduled_at__gte=start,
        scheduled_at__lt=end,
        plan__episode__phase=Episode.Phase.AFTERCARE,
    ).select_related("client")
    for check_in in check_ins:
        # The location stays empty: a check-in is usually a phone call.
        yield {
            "appointment_key": f"checkin:{check_in.public_id}",
            "starts_at": check_in.scheduled_at,
            "location": "",
            "client": check_in.client,
        }


def digest_items(user) -> list[str]:
    """Counts only, within the access policy: an outreach task stays with the
    counselor it was opened for after the client is reassigned, and is not
    counted once they can no longer open the client."""
    lines = []
    visible = clients_visible_to(user)
    overdue = CheckIn.objects.filter(
        status=CheckIn.Status.SCHEDULED,
        due_on__lte=timezone.localdate(),
        plan__episode__primary_counselor=user,
        plan__episode__phase=Episode.Phase.AFTERCARE,
        client__in=visible,
    ).count()
    if overdue:
        lines.append(
            ngettext(
                "%(count)d aftercare check-in due", "%(count)d aftercare check-ins due", overdue
            )
            % {"count": overdue}
        )
    outreach = OutreachTask.objects.filter(
        counselor=user,
        status=OutreachTask.Status.OPEN,
        check_in__plan__episode__phase=Episode.Phase.AFTERCARE,
        client__in=visible,
    ).count()
    if outreach:
        lines.append(
            ngettext("%(count)d open outreach task", "%(count)d open outreach tasks", outreach)
            % {"count": outreach}
        )
    return lines
