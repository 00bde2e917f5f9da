"""Helpers of the self-report tests: a measure due by link, a token issued
as the dispatcher issues it, and the rows where a token must never be."""

import datetime
import re
import secrets

from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.reminders.models import Reminder
from outcomes.models import DueMeasure, SelfReportLink
from outcomes.services.links import token_digest

DOB = datetime.date(1984, 3, 9)
TOKEN_IN_URL = re.compile(r"/r/([A-Za-z0-9_-]{43})/")


# PHQ-9 answered 0 everywhere but item 9.
def phq9_answers(item9: int = 0) -> dict:
    return {str(number): (item9 if number == 9 else 0) for number in range(1, 10)}


def phq9_post(item9: int = 0, **extra) -> dict:
    return {f"item-{key}": str(value) for key, value in phq9_answers(item9).items()} | extra


def due_by_link(episode, *, instrument="PHQ-9", days_ago=0) -> DueMeasure:
    today = timezone.localdate()
    return DueMeasure.objects.create(
        client=episode.client,
        episode=episode,
        instrument=instrument,
        occasion=f"every-28-{secrets.randbelow(10**6)}",
        method="link",
        due_on=today - datetime.timedelta(days=days_ago),
        closes_on=today + datetime.timedelta(days=7),
    )


def issued_link(due, *, channel="sms", language="en", hours=72) -> tuple[SelfReportLink, str]:
    """A link whose token was drawn now (as measure_link_render does); the
    raw token is returned to the test, as the message would carry it."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = SelfReportLink.objects.create(
        due=due,
        channel=channel,
        language=language,
        token_hash=token_digest(token),
        issued_at=now,
        expires_at=now + datetime.timedelta(hours=hours),
    )
    return link, token


def rows_holding(token: str) -> list[str]:
    """Every stored place a raw token could hide: outbox bodies, links, audit."""
    found = []
    if Reminder.objects.filter(body__contains=token).exists():
        found.append("reminder body")
    if Reminder.objects.filter(appointment_key__contains=token).exists():
        found.append("reminder key")
    if SelfReportLink.objects.filter(token_hash=token).exists():
        found.append("link")
    found.extend(
        f"audit {event.pk}"
        for event in AuditEvent.objects.all()
        if token in str(event.details) or token in event.path
    )
    return found
