"""Group attendance as billable services (iop.extensions.BILLABLE_SERVICES):
minutes attended by clients present or late; absent and excused count zero
and are not services. Facts only, never the participation line's text."""

from datetime import date

from django.utils import timezone

from groups.models import Attendance, GroupSession
from iop.clients.billing_facts import day_bounds
from iop.extensions import ServiceFact


def group_attendance(client_ids, start: date, end: date) -> list[ServiceFact]:
    """One query whatever the number of clients. A session belongs to the
    local day it started on, even one running past midnight."""
    since, until = day_bounds(start, end)
    rows = (
        Attendance.objects.filter(
            client_id__in=list(client_ids),
            status__in=Attendance.ATTENDED,
            minutes__gt=0,
            session__starts_at__gte=since,
            session__starts_at__lt=until,
        )
        .exclude(session__status=GroupSession.Status.CANCELLED)
        .select_related("session__group")
    )
    return [
        ServiceFact(
            client_id=row.client_id,
            episode_id=row.episode_id,
            source=f"groups.attendance:{row.pk}",
            date=timezone.localtime(row.session.starts_at).date(),
            starts_at=row.session.starts_at,
            minutes=row.minutes,
            kind="group",
            suggested_code="H0005",
            clinician_id=row.signed_by_id or row.session.group.facilitator_id,
            cosigner_id=row.cosigned_by_id,
            signed=row.is_signed,
            awaiting_cosignature=row.is_signed and row.awaits_cosignature,
            signed_late=row.signed_late,
        )
        for row in rows
    ]
