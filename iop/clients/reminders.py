"""The clinical record's part in reminders: appointments for the planner,
and the staff digest's lines (counts only, never client details)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import ngettext

from iop.audit.policy import clients_visible_to
from iop.clients.models import Appointment, SessionNote, TreatmentPlan
from iop.clients.services.records import appointment_reminder_target


def upcoming_appointments(start, end):
    appointments = Appointment.objects.filter(
        status=Appointment.Status.SCHEDULED, starts_at__gte=start, starts_at__lt=end
    ).select_related("client")
    for appointment in appointments:
        yield appointment_reminder_target(appointment)


def digest_items(user) -> list[str]:
    """Counts within the access policy: a draft whose client the author can
    no longer open is not theirs to finish here (To do lists it, unnamed,
    and supervisors see it among the drafts their author cannot open)."""
    lines = []
    visible = clients_visible_to(user)
    day_ago = timezone.now() - timedelta(hours=24)
    unsigned = SessionNote.objects.filter(
        author=user,
        signed_at__isnull=True,
        appointment__starts_at__lt=day_ago,
        appointment__client__in=visible,
    ).count()
    if unsigned:
        lines.append(
            ngettext(
                "%(count)d session note unsigned for more than 24 hours",
                "%(count)d session notes unsigned for more than 24 hours",
                unsigned,
            )
            % {"count": unsigned}
        )
    reviews = TreatmentPlan.objects.filter(
        status=TreatmentPlan.Status.ACTIVE,
        episode__primary_counselor=user,
        next_review_due__lte=timezone.localdate(),
        client__in=visible,
    ).count()
    if reviews:
        lines.append(
            ngettext(
                "%(count)d treatment-plan review due",
                "%(count)d treatment-plan reviews due",
                reviews,
            )
            % {"count": reviews}
        )
    if user.is_supervisor:
        cosign = SessionNote.objects.filter(
            cosign_required=True,
            cosigned_at__isnull=True,
            signed_at__isnull=False,
            appointment__client__in=visible,
        ).count()
        if cosign:
            lines.append(
                ngettext(
                    "%(count)d note awaiting your co-signature",
                    "%(count)d notes awaiting your co-signature",
                    cosign,
                )
                % {"count": cosign}
            )
    return lines
