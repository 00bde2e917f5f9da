"""Sending what is due, exactly once, a batch at a time.

1. Expire: a pending reminder whose appointment has started is expired, not sent.
2. Claim: due pending rows are claimed in one statement (an UPDATE over a
   SELECT ... FOR UPDATE SKIP LOCKED) and set to "sending", so two workers
   (or two beat ticks) never take the same row.
3. Check: every send-time check registered by a feature app
   (iop.extensions.SEND_CHECKS) is asked about each claimed row; a refusal
   ends it "skipped" with the check's reason, and the provider is not called.
4. Record: the address and body of every message about to leave are stored
   in one statement before any provider is called, so a reconciliation
   after an interruption can recognise exactly these messages.
5. Send: the provider is called only for rows this worker claimed and the
   checks let go. The batch's rows are marked sent together, in one
   statement, once the batch has been handed over; a row whose check records
   something of the message (the family app's disclosure ledger), or whose
   channel cannot be asked afterwards whether a message left (email), is
   marked at once, its hooks in the same transaction as "sent". A worker
   killed in between leaves rows in "sending", which step 6 settles.
6. Reconcile (services/reconcile.py): a row left in "sending" is not sent
   again blindly: the backend is asked whether the message left.

The SQL of a batch is a handful of statements whatever its size: the cost
per reminder is its rendering and its provider call.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone

from iop.extensions import MESSAGE_RENDERERS, RenderedMessage
from iop.reminders import channels, texts
from iop.reminders.models import Reminder, StaffNotification
from iop.reminders.services.outbox import end_of_quiet_hours, in_quiet_hours
from iop.reminders.services.reconcile import STALE_SENDING, reminders_reconcile
from iop.reminders.services.rowstate import (
    finish,
    hooks_of,
    mark_sent,
    mark_sent_many,
    record_messages,
)
from iop.reminders.sources import send_verdicts

__all__ = [
    "BATCH_SIZE",
    "STALE_SENDING",
    "oldest_due_pending_age",
    "reminder_send",
    "reminders_claim",
    "reminders_dispatch_due",
    "reminders_expire",
    "reminders_reconcile",
    "reminders_send_batch",
]

logger = logging.getLogger(__name__)

# Rows claimed and sent together. A worker killed mid-batch leaves at most
# this many rows for the reconciler to ask the provider about.
BATCH_SIZE = 100

_TABLE = Reminder._meta.db_table
# The model's table name; every value is a parameter.
_CLAIM = (
    f'UPDATE "{_TABLE}" SET status = %s, sending_at = %s, attempts = attempts + 1 '  # noqa: S608
    f'WHERE id IN (SELECT id FROM "{_TABLE}" WHERE status = %s AND send_at <= %s '
    "ORDER BY send_at, id LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING id"
)


def _backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes between tries, capped at an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def reminders_expire(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return Reminder.objects.filter(
        status=Reminder.Status.PENDING, appointment_starts_at__lte=now
    ).update(status=Reminder.Status.EXPIRED, expired_at=now)


def reminders_claim(*, now: datetime | None = None, limit: int = BATCH_SIZE) -> list[int]:
    """Atomically move up to `limit` due rows to "sending" for this worker,
    in one statement; the claim's own time is stamped, so a long sweep's
    rows do not look abandoned."""
    now = now or timezone.now()
    params = [Reminder.Status.SENDING.value, timezone.now(), Reminder.Status.PENDING.value, now]
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM, [*params, limit])
        return sorted(row[0] for row in cursor.fetchall())


@dataclass
class _Ready:
    """A claimed row the checks let go, with its message, about to leave."""

    reminder: Reminder
    address: str
    message: RenderedMessage
    hooks: list[Callable[[], None]]

    @property
    def marked_at_once(self) -> bool:
        """Marked sent right after its provider call rather than with its
        batch: a check's hook must run with "sent", and an email cannot be
        looked up after an interruption (the whole batch would fail visibly)."""
        if self.hooks:
            return True
        return self.reminder.channel == Reminder.Channel.EMAIL and not (
            channels.email_backend().can_look_up
        )


def _still_allowed(reminder: Reminder) -> str:
    """Re-check at send time what may have changed since scheduling."""
    client = reminder.client
    if client is not None and reminder.channel == Reminder.Channel.SMS and not client.sms_consent:
        return "consent_withdrawn"
    if (
        client is not None
        and reminder.channel == Reminder.Channel.EMAIL
        and not client.email_consent
    ):
        return "consent_withdrawn"
    return ""


def _current_address(reminder: Reminder) -> str:
    """A client's number or address as it is now (they may have changed it
    since the reminder was scheduled); others keep the scheduled address."""
    client = reminder.client
    if client is None:
        return reminder.address
    return client.phone if reminder.channel == Reminder.Channel.SMS else client.email


def _render(reminder: Reminder, now: datetime) -> RenderedMessage:
    if reminder.kind in texts.WRITTEN_WHEN_QUEUED:  # staff digests and alerts
        subject = texts.TEMPLATES["en"]["digest_subject"] if reminder.kind == "digest" else ""
        return RenderedMessage(subject, reminder.body, reminder.body)
    renderer = MESSAGE_RENDERERS.get(reminder.kind)
    if renderer is not None:  # a kind a feature app owns (outcomes' links)
        return renderer(reminder, now)
    rendered = texts.render(
        channel=reminder.channel,
        language=reminder.language,
        starts_at=reminder.appointment_starts_at,
        location=reminder.location,
    )
    return RenderedMessage(rendered["subject"], rendered["body"], rendered["body"])


def _prepare(reminder: Reminder, now: datetime) -> "_Ready | str":
    """Everything before the provider: expiry, consent, the send-time
    checks, quiet hours, the address and the message. Returns the row's
    final status when it goes no further."""
    if reminder.appointment_starts_at and reminder.appointment_starts_at <= now:
        finish(reminder.pk, status=Reminder.Status.EXPIRED, expired_at=now)
        return Reminder.Status.EXPIRED
    reason = _still_allowed(reminder)
    # The checks decide at the moment of sending: never before the real
    # clock, as a sweep's `now` can be its time limit old and a consent
    # revoked meanwhile must already count.
    verdicts = [] if reason else send_verdicts(reminder, max(now, timezone.now()))
    reason = reason or next((v.refusal for v in verdicts if v.refusal), "")
    if reason:
        finish(reminder.pk, status=Reminder.Status.SKIPPED, skip_reason=reason[:60], skipped_at=now)
        return Reminder.Status.SKIPPED
    # Quiet hours protect clients and families; staff digests go out any time.
    if reminder.staff_id is None and in_quiet_hours(now):
        return _defer_past_quiet_hours(reminder, now)
    address = _current_address(reminder)
    if reminder.channel != Reminder.Channel.IN_APP and not address:
        finish(
            reminder.pk, status=Reminder.Status.SKIPPED, skip_reason="no_address", skipped_at=now
        )
        return Reminder.Status.SKIPPED
    return _Ready(reminder, address, _render(reminder, now), hooks_of(verdicts))


def _hand_over(ready: _Ready, now: datetime) -> "tuple[str, datetime] | str":
    """Call the provider: its message id and the time it accepted the
    message, or the row's new status when it did not."""
    reminder = ready.reminder
    message = ready.message
    try:
        provider_id = _deliver(
            reminder, address=ready.address, subject=message.subject, body=message.body
        )
    except channels.DeliveryUnknown as error:
        # Stay in "sending": the reconciler asks the provider before any retry.
        Reminder.objects.filter(pk=reminder.pk).update(last_error=f"timeout: {error}"[:300])
        return Reminder.Status.SENDING
    except channels.TransientError as error:
        return _retry_or_fail(reminder, str(error), now)
    except channels.PermanentError as error:
        finish(
            reminder.pk, status=Reminder.Status.FAILED, failed_at=now, last_error=str(error)[:300]
        )
        return Reminder.Status.FAILED
    return provider_id, timezone.now()


def _guarded(reminder: Reminder, now: datetime, step, *args):
    """One row's failure must not strand the rest of its batch in "sending"."""
    try:
        return step(*args, now)
    except Exception as error:  # noqa: BLE001 - recorded on the row, retried with backoff
        logger.exception("reminder %s failed unexpectedly", reminder.pk)
        return _retry_or_fail(reminder, f"{type(error).__name__}: {error}", now)


def reminders_send_batch(ids: list[int], *, now: datetime | None = None) -> list[str]:
    """Send claimed rows and record their outcomes (see the module
    docstring). Returns each row's new status, in send order."""
    now = now or timezone.now()
    rows = Reminder.objects.select_related("client", "staff").filter(pk__in=ids)
    statuses: list[str] = []
    ready: list[_Ready] = []
    for reminder in rows.order_by("send_at", "id"):
        if reminder.status != Reminder.Status.SENDING:
            statuses.append(reminder.status)
            continue
        outcome = _guarded(reminder, now, _prepare, reminder)
        if isinstance(outcome, _Ready):
            ready.append(outcome)
        else:
            statuses.append(outcome)
    record_messages([(item.reminder.pk, item.address, item.message.stored_body) for item in ready])
    sent_together = []
    for item in ready:
        outcome = _guarded(item.reminder, now, _hand_over, item)
        if isinstance(outcome, str):
            statuses.append(outcome)
            continue
        provider_id, sent_at = outcome
        if item.marked_at_once:
            mark_sent(
                item.reminder.pk,
                item.hooks,
                sent_at=sent_at,
                provider_message_id=provider_id[:120],
                last_error="",
            )
        else:
            sent_together.append((item.reminder.pk, sent_at, provider_id))
        statuses.append(Reminder.Status.SENT)
    mark_sent_many(sent_together)
    return statuses


def reminder_send(reminder_id: int, *, now: datetime | None = None) -> str:
    """Send one claimed row (a batch of one). Returns its new status."""
    statuses = reminders_send_batch([reminder_id], now=now)
    if not statuses:
        raise Reminder.DoesNotExist(reminder_id)
    return statuses[0]


def _deliver(reminder: Reminder, *, address: str, subject: str, body: str) -> str:
    """Hand the message to its channel; returns the provider's id."""
    reference = str(reminder.public_id)
    if reminder.channel == Reminder.Channel.IN_APP:
        notification = StaffNotification.objects.create(
            recipient=reminder.staff, kind=reminder.kind, message=body[:300]
        )
        return f"in-app-{notification.pk}"
    if reminder.channel == Reminder.Channel.SMS:
        return channels.sms_backend().send(to=address, body=body, reference=reference)
    return channels.email_backend().send(
        to=address, body=body, reference=reference, subject=subject
    )


def _defer_past_quiet_hours(reminder: Reminder, now: datetime) -> str:
    """Quiet hours began while it waited: wait for their end, or skip it."""
    later = end_of_quiet_hours(now)
    if reminder.appointment_starts_at and later >= reminder.appointment_starts_at:
        finish(
            reminder.pk, status=Reminder.Status.SKIPPED, skip_reason="quiet_hours", skipped_at=now
        )
        return Reminder.Status.SKIPPED
    finish(reminder.pk, status=Reminder.Status.PENDING, send_at=later, attempts=F("attempts") - 1)
    return Reminder.Status.PENDING


def _retry_or_fail(reminder: Reminder, error: str, now: datetime) -> str:
    attempts = Reminder.objects.values_list("attempts", flat=True).get(pk=reminder.pk)
    if attempts >= settings.REMINDER_MAX_ATTEMPTS:
        finish(reminder.pk, status=Reminder.Status.FAILED, failed_at=now, last_error=error[:300])
        return Reminder.Status.FAILED
    finish(
        reminder.pk,
        status=Reminder.Status.PENDING,
        send_at=now + _backoff(attempts),
        last_error=error[:300],
    )
    return Reminder.Status.PENDING


def reminders_dispatch_due(
    *, now: datetime | None = None, max_batches: int = 500, max_seconds: float = 40.0
) -> dict:
    """One sweep: expire, reconcile, then claim and send batch after batch,
    stopping before the task's time limit (the next sweep goes on)."""
    now = now or timezone.now()
    deadline = time.monotonic() + max_seconds
    counts = {"expired": reminders_expire(now=now), "reconciled": reminders_reconcile(now=now)}
    for _batch in range(max_batches):
        if time.monotonic() > deadline:
            break
        ids = reminders_claim(now=now)
        if not ids:
            break
        for status in reminders_send_batch(ids, now=now):
            counts[str(status)] = counts.get(str(status), 0) + 1
    return counts


def oldest_due_pending_age(*, now: datetime | None = None) -> int | None:
    """Seconds the oldest due pending reminder has waited: the outbox's
    health figure (a broker or worker outage shows here first)."""
    now = now or timezone.now()
    oldest = (
        Reminder.objects.filter(status=Reminder.Status.PENDING, send_at__lte=now)
        .order_by("send_at")
        .values_list("send_at", flat=True)
        .first()
    )
    return None if oldest is None else int((now - oldest).total_seconds())
