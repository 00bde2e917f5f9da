"""What the apps registered for reminders (iop/extensions.py), as the
planner, the digest and the dispatcher read it: upcoming appointments from
every reminder source, a staff member's digest lines, and the send-time
checks' verdicts on one reminder. Feature apps register in their own
extensions.py, so this app never imports them."""

from collections.abc import Iterable
from datetime import datetime

from iop.extensions import (
    DIGEST_SOURCES,
    REMINDER_SOURCES,
    SEND_CHECKS,
    SendVerdict,
    Upcoming,
)


def upcoming(start: datetime, end: datetime) -> Iterable[Upcoming]:
    for source in REMINDER_SOURCES:
        yield from source(start, end)


def digest_lines(user) -> list[str]:
    return [line for source in DIGEST_SOURCES for line in source(user)]


def send_verdicts(reminder, now: datetime) -> list[SendVerdict]:
    verdicts = (check(reminder, now) for check in SEND_CHECKS)
    return [verdict for verdict in verdicts if verdict is not None]
