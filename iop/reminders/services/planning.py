"""The periodic work around the outbox: planning reminders for appointments
in the coming window, and the daily staff digest."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from iop.reminders.models import Reminder
from iop.reminders.services.outbox import reminders_schedule
from iop.reminders.sources import digest_lines, upcoming

# Plan a little beyond the longest offset so nothing falls between two runs.
PLANNING_MARGIN = timedelta(hours=2)


def reminders_plan_upcoming(*, now=None) -> int:
    """Schedule reminders for every appointment starting in the window."""
    now = now or timezone.now()
    end = now + timedelta(hours=max(settings.REMINDER_OFFSETS_HOURS, default=24)) + PLANNING_MARGIN
    planned = 0
    for item in upcoming(now, end):
        planned += len(
            reminders_schedule(
                appointment_key=item["appointment_key"],
                starts_at=item["starts_at"],
                location=item.get("location", ""),
                client=item.get("client"),
                recipients=item.get("recipients"),
                now=now,
            )
        )
    return planned


def staff_digests_queue(*, today=None) -> int:
    """One digest per staff member with something to do, as an email when
    they have an address and an in-app note otherwise; idempotent per day."""
    today = today or timezone.localdate()
    now = timezone.now()
    rows = []
    for user in get_user_model().objects.filter(is_active=True).prefetch_related("groups"):
        lines = digest_lines(user)
        if not lines:
            continue
        body = "\n".join([_("Waiting for you today:"), *[f"- {line}" for line in lines], ""])
        channel = Reminder.Channel.EMAIL if user.email else Reminder.Channel.IN_APP
        rows.append(
            Reminder(
                appointment_key=f"digest:{today.isoformat()}",
                kind="digest",
                channel=channel,
                staff=user,
                recipient_key=f"staff:{user.pk}",
                address=user.email,
                body=body,
                send_at=now,
            )
        )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
