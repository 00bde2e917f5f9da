"""Moving claimed reminder rows out of "sending", one row or a batch at a
time. Every move is conditional on the row still being "sending", so a late
duplicate (a reconciler, a second worker) cannot overwrite an outcome.

The batch forms take one round trip for a whole batch (an UPDATE joined to
a VALUES list): the dispatcher's cost per reminder is its rendering and its
provider call, not its SQL."""

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from django.db import connection, transaction

from iop.extensions import SendVerdict
from iop.reminders.models import Reminder

logger = logging.getLogger(__name__)

_TABLE = Reminder._meta.db_table


def finish(reminder_id: int, **fields) -> int:
    """Leave "sending" only from "sending": a late duplicate cannot overwrite."""
    return Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.SENDING).update(**fields)


def hooks_of(verdicts: list[SendVerdict]) -> list[Callable[[], None]]:
    return [verdict.on_sent for verdict in verdicts if verdict.on_sent is not None]


def mark_sent(reminder_id: int, hooks: list[Callable[[], None]], **fields) -> int:
    """Sent: the row, and what the send-time checks record of it, in one
    transaction. A failing hook is logged and does not undo "sent": the
    message left, and sending it again would be a duplicate."""
    if not hooks:
        return finish(reminder_id, status=Reminder.Status.SENT, **fields)
    with transaction.atomic():
        finished = finish(reminder_id, status=Reminder.Status.SENT, **fields)
        for hook in hooks if finished else ():
            try:
                with transaction.atomic():
                    hook()
            except Exception:  # noqa: BLE001 - the message left: "sent" must stand
                logger.exception("reminder %s: a hook after sending failed", reminder_id)
    return finished


def _update_from_values(assignments: str, columns: str, casts: Sequence[str], rows) -> int:
    """UPDATE the "sending" rows named in `rows` (id first) from a VALUES list."""
    if not rows:
        return 0
    placeholder = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    values = ", ".join([placeholder] * len(rows))
    # The model's table and fixed columns; every value is a parameter.
    sql = (
        f'UPDATE "{_TABLE}" AS r SET {assignments} '  # noqa: S608
        f"FROM (VALUES {values}) AS v({columns}) "
        "WHERE r.id = v.id AND r.status = %s"
    )
    params = [value for row in rows for value in row] + [Reminder.Status.SENDING.value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def record_messages(messages: Sequence[tuple[int, str, str]]) -> int:
    """Store (id, address, stored body) for a batch about to be handed to its
    provider, so a reconciliation after an interruption can recognise
    exactly these messages."""
    return _update_from_values(
        "address = v.address, body = v.body",
        "id, address, body",
        ("bigint", "text", "text"),
        messages,
    )


def mark_sent_many(sent: Sequence[tuple[int, datetime, str]]) -> int:
    """(id, sent at, provider's id) for rows no send-time check records anything of."""
    return _update_from_values(
        f"status = '{Reminder.Status.SENT.value}', sent_at = v.sent_at, "
        "provider_message_id = v.provider_id, last_error = ''",
        "id, sent_at, provider_id",
        ("bigint", "timestamptz", "text"),
        [(pk, at, provider_id[:120]) for pk, at, provider_id in sent],
    )
