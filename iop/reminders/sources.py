"""Where upcoming appointments come from, for the reminder planner, and what
may still stop a reminder when it is sent.

The planner (a periodic task) asks every registered source for the
appointments starting in its window and schedules their reminders; the
outbox's unique constraint makes that idempotent. Feature apps register a
source in AppConfig.ready() (groups: its sessions' rosters), so this app
never imports them. The same goes for digest sources and send-time checks.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict


class Upcoming(TypedDict, total=False):
    appointment_key: str
    starts_at: datetime
    location: str
    client: object
    recipients: list[dict]


ReminderSource = Callable[[datetime, datetime], Iterable[Upcoming]]
_sources: dict[str, ReminderSource] = {}


def register_reminder_source(key: str, source: ReminderSource) -> None:
    _sources[key] = source


def upcoming(start: datetime, end: datetime) -> Iterable[Upcoming]:
    for source in _sources.values():
        yield from source(start, end)


DigestItems = Callable[[object], list[str]]
_digest_sources: dict[str, DigestItems] = {}


def register_digest_source(key: str, source: DigestItems) -> None:
    """A source returns short lines (counts, never client details) for one staff member."""
    _digest_sources[key] = source


def digest_lines(user) -> list[str]:
    return [line for source in _digest_sources.values() for line in source(user)]


@dataclass(frozen=True)
class SendVerdict:
    """A send-time check's answer about one claimed reminder."""

    # Why it must not go out now (a short code, stored as the skip reason);
    # "" lets it go.
    refusal: str = ""
    # Run once the provider accepted the message, in the transaction that
    # marks the row sent (e.g. a disclosure ledger row); never for a row
    # that was not sent.
    on_sent: Callable[[], None] | None = None


# A check is given the claimed row and the moment of sending; it returns None
# for a row it has nothing to say about, without a query where it can.
SendCheck = Callable[[object, datetime], SendVerdict | None]
_send_checks: dict[str, SendCheck] = {}


def register_send_check(key: str, check: SendCheck) -> None:
    """What was allowed when a reminder was planned may not be when it is
    sent (a consent expired by date meanwhile): the dispatcher asks every
    registered check before calling the provider."""
    _send_checks[key] = check


def send_verdicts(reminder, now: datetime) -> list[SendVerdict]:
    verdicts = (check(reminder, now) for check in _send_checks.values())
    return [verdict for verdict in verdicts if verdict is not None]
