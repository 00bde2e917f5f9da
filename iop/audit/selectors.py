from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from iop.audit.models import AuditEvent


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(
    *,
    start: date | None = None,
    end: date | None = None,
    user=None,
    client_mrn: str = "",
    action: str = "",
) -> QuerySet[AuditEvent]:
    """The trail filtered by period (inclusive days, program time zone), user,
    client and action; newest first."""
    events = AuditEvent.objects.select_related("actor", "client")
    if start:
        events = events.filter(created_at__gte=_day_start(start))
    if end:
        events = events.filter(created_at__lt=_day_start(end + timedelta(days=1)))
    if user:
        events = events.filter(actor=user)
    if client_mrn:
        events = events.filter(client__mrn=client_mrn.strip())
    if action:
        events = events.filter(action=action)
    return events.order_by("-created_at", "-id")
