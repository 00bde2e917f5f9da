"""Where upcoming appointments come from, for the reminder planner.

The planner (a periodic task) asks every registered source for the
appointments starting in its window and schedules their reminders; the
outbox's unique constraint makes that idempotent. Feature apps register a
source in AppConfig.ready() (groups: its sessions' rosters), so this app
never imports them.
"""

from collections.abc import Callable, Iterable
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
