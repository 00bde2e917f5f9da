"""Reads on staff accounts."""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def lockouts_current() -> list[dict]:
    """The username and address pairs locked out now, newest first.

    django-axes keeps one row per username, address and browser, carrying the
    time of its latest failure; a pair is locked while its failures reach the
    limit and the latest is younger than the cool-off.
    """
    cool_off = get_cool_off()
    now = timezone.now()
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-latest", "username")
    )
    return [{**row, "until": row["latest"] + cool_off} for row in rows]
