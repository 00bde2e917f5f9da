"""Sending what is due, exactly once.

1. Expire: a pending reminder whose appointment has started is expired, not sent.
2. Claim: due pending rows are claimed in one statement with
   SELECT ... FOR UPDATE SKIP LOCKED and set to "sending", so two workers (or
   two beat ticks) never take the same row.
3. Check: every send-time check registered by a feature app
   (iop.extensions.SEND_CHECKS) is asked about the claimed
   row; a refusal ends it "skipped" with the check's reason, and the
   provider is not called.
4. Send: the provider is called only for rows this worker claimed and the
   checks let go; the provider's message id is stored with a conditional
   update. What a check records of a sent message (the family app's
   disclosure ledger) is written by its hook in the same transaction as
   "sent", so both happen or neither; if neither (the worker was killed),
   the row is still "sending" and step 5 marks it sent and runs the hooks
   then. A failing hook is logged and does not undo "sent": the message
   left, and sending it again would be a duplicate.
5. Reconcile: a row left in "sending" (a worker killed mid-batch, a provider
   timeout) is not sent again blindly: the backend is asked whether the
   message left; if it did, the row is marked sent; if the backend can tell it
   did not, the row is retried; if nobody can tell, it fails visibly.
"""

import logging
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from iop.extensions import MESSAGE_RENDERERS, REDACTED, RenderedMessage, SendVerdict
from iop.reminders import channels, texts
from iop.reminders.models import Reminder, StaffNotification
from iop.reminders.services.outbox import end_of_quiet_hours, in_quiet_hours
from iop.reminders.sources import send_verdicts

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
# A row "sending" for longer than this was abandoned by its worker.
STALE_SENDING = timedelta(minutes=2)


def _backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes between tries, capped at an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def reminders_expire(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return Reminder.objects.filter(
        status=Reminder.Status.PENDING, appointment_starts_at__lte=now
    ).update(status=Reminder.Status.EXPIRED, expired_at=now)


def reminders_claim(*, now: datetime | None = None, limit: int = BATCH_SIZE) -> list[int]:
    """Atomically move up to `limit` due rows to "sending" for this worker."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=Reminder.Status.PENDING, send_at__lte=now)
            .order_by("send_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        if ids:
            # The claim's own time: a long sweep must not look abandoned.
            Reminder.objects.filter(id__in=ids).update(
                status=Reminder.Status.SENDING,
                sending_at=timezone.now(),
                attempts=F("attempts") + 1,
            )
    return ids


def _finish(reminder_id: int, **fields) -> int:
    """Leave "sending" only from "sending": a late duplicate cannot overwrite."""
    return Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.SENDING).update(**fields)


def _hooks(verdicts: list[SendVerdict]) -> list[Callable[[], None]]:
    return [verdict.on_sent for verdict in verdicts if verdict.on_sent is not None]


def _mark_sent(reminder_id: int, hooks: list[Callable[[], None]], **fields) -> int:
    """Sent: the row, and what the send-time checks record of it, in one
    transaction (see the module docstring). A row no check is concerned
    with is marked in one statement, as before there were checks."""
    if not hooks:
        return _finish(reminder_id, status=Reminder.Status.SENT, **fields)
    with transaction.atomic():
        finished = _finish(reminder_id, status=Reminder.Status.SENT, **fields)
        for hook in hooks if finished else ():
            try:
                with transaction.atomic():
                    hook()
            except Exception:  # noqa: BLE001 - the message left: "sent" must stand
                logger.exception("reminder %s: a hook after sending failed", reminder_id)
    return finished


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


def _as_sent(stored_body: str) -> str | re.Pattern:
    """What the provider's copy of a message must be: the stored body, or,
    where a secret was redacted from it, a pattern with any URL-safe token
    in its place (see MESSAGE_RENDERERS)."""
    if REDACTED not in stored_body:
        return stored_body
    parts = [re.escape(part) for part in stored_body.split(REDACTED)]
    return re.compile("[A-Za-z0-9_-]+".join(parts), re.DOTALL)


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


def reminder_send(reminder_id: int, *, now: datetime | None = None) -> str:
    """Send one claimed row and record the outcome. Returns the new status."""
    now = now or timezone.now()
    reminder = Reminder.objects.select_related("client", "staff").get(pk=reminder_id)
    if reminder.status != Reminder.Status.SENDING:
        return reminder.status
    if reminder.appointment_starts_at and reminder.appointment_starts_at <= now:
        _finish(reminder_id, status=Reminder.Status.EXPIRED, expired_at=now)
        return Reminder.Status.EXPIRED
    reason = _still_allowed(reminder)
    # The checks decide at the moment of sending: never before the real
    # clock, as a sweep's `now` can be its time limit old and a consent
    # revoked meanwhile must already count.
    verdicts = [] if reason else send_verdicts(reminder, max(now, timezone.now()))
    reason = reason or next((v.refusal for v in verdicts if v.refusal), "")
    if reason:
        _finish(
            reminder_id, status=Reminder.Status.SKIPPED, skip_reason=reason[:60], skipped_at=now
        )
        return Reminder.Status.SKIPPED
    # Quiet hours protect clients and families; staff digests go out any time.
    if reminder.staff_id is None and in_quiet_hours(now):
        return _defer_past_quiet_hours(reminder, now)
    address = _current_address(reminder)
    if reminder.channel != Reminder.Channel.IN_APP and not address:
        _finish(
            reminder_id, status=Reminder.Status.SKIPPED, skip_reason="no_address", skipped_at=now
        )
        return Reminder.Status.SKIPPED
    message = _render(reminder, now)
    # Recorded before the provider is called, so a reconciliation after an
    # interruption can recognise exactly this message (a secret it carries
    # is stored redacted: MESSAGE_RENDERERS).
    Reminder.objects.filter(pk=reminder_id).update(address=address, body=message.stored_body)
    try:
        provider_id = _deliver(
            reminder, address=address, subject=message.subject, body=message.body
        )
    except channels.DeliveryUnknown as error:
        # Stay in "sending": the reconciler asks the provider before any retry.
        Reminder.objects.filter(pk=reminder_id).update(last_error=f"timeout: {error}"[:300])
        return Reminder.Status.SENDING
    except channels.TransientError as error:
        return _retry_or_fail(reminder, str(error), now)
    except channels.PermanentError as error:
        _finish(
            reminder_id, status=Reminder.Status.FAILED, failed_at=now, last_error=str(error)[:300]
        )
        return Reminder.Status.FAILED
    _mark_sent(
        reminder_id,
        _hooks(verdicts),
        sent_at=timezone.now(),
        provider_message_id=provider_id[:120],
        last_error="",
    )
    return Reminder.Status.SENT


def _defer_past_quiet_hours(reminder: Reminder, now: datetime) -> str:
    """Quiet hours began while it waited: wait for their end, or skip it."""
    later = end_of_quiet_hours(now)
    if reminder.appointment_starts_at and later >= reminder.appointment_starts_at:
        _finish(
            reminder.pk, status=Reminder.Status.SKIPPED, skip_reason="quiet_hours", skipped_at=now
        )
        return Reminder.Status.SKIPPED
    _finish(reminder.pk, status=Reminder.Status.PENDING, send_at=later, attempts=F("attempts") - 1)
    return Reminder.Status.PENDING


def _retry_or_fail(reminder: Reminder, error: str, now: datetime) -> str:
    attempts = Reminder.objects.values_list("attempts", flat=True).get(pk=reminder.pk)
    if attempts >= settings.REMINDER_MAX_ATTEMPTS:
        _finish(reminder.pk, status=Reminder.Status.FAILED, failed_at=now, last_error=error[:300])
        return Reminder.Status.FAILED
    _finish(
        reminder.pk,
        status=Reminder.Status.PENDING,
        send_at=now + _backoff(attempts),
        last_error=error[:300],
    )
    return Reminder.Status.PENDING


def reminders_reconcile(*, now: datetime | None = None) -> int:
    """Settle rows abandoned in "sending" (see the module docstring)."""
    now = now or timezone.now()
    stale = Reminder.objects.filter(
        status=Reminder.Status.SENDING, sending_at__lt=now - STALE_SENDING
    ).select_related("client")
    settled = 0
    for reminder in stale:
        backend = None
        if reminder.channel == Reminder.Channel.SMS:
            backend = channels.sms_backend()
        elif reminder.channel == Reminder.Channel.EMAIL:
            backend = channels.email_backend()
        provider_id = None
        if backend is not None and backend.can_look_up:
            since = reminder.sending_at - timedelta(minutes=1)
            claimed = Reminder.objects.filter(
                address=reminder.address, sending_at__gte=since - STALE_SENDING
            ).exclude(provider_message_id="")
            try:
                provider_id = backend.find_sent(
                    to=reminder.address,
                    reference=str(reminder.public_id),
                    since=since,
                    body=_as_sent(reminder.body),
                    exclude=list(claimed.values_list("provider_message_id", flat=True)),
                )
            except channels.TransientError:
                continue  # ask again on the next sweep
            if provider_id:
                # It left when it was claimed: the checks' hooks decide then.
                hooks = _hooks(send_verdicts(reminder, reminder.sending_at))
                settled += _mark_sent(
                    reminder.pk, hooks, sent_at=now, provider_message_id=provider_id[:120]
                )
            else:
                settled += _finish(reminder.pk, status=Reminder.Status.PENDING, send_at=now)
        elif reminder.channel == Reminder.Channel.IN_APP:
            sent = StaffNotification.objects.filter(
                recipient=reminder.staff, kind=reminder.kind, created_at__gte=reminder.sending_at
            ).exists()
            fields = (
                {"status": Reminder.Status.SENT, "sent_at": now}
                if sent
                else {"status": Reminder.Status.PENDING, "send_at": now}
            )
            settled += _finish(reminder.pk, **fields)
        else:
            # Email cannot be looked up: never risk a duplicate, say so.
            settled += _finish(
                reminder.pk,
                status=Reminder.Status.FAILED,
                failed_at=now,
                last_error="delivery unknown after an interruption; not sent again",
            )
    return settled


def reminders_dispatch_due(
    *, now: datetime | None = None, max_batches: int = 50, max_seconds: float = 40.0
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
        for reminder_id in ids:
            status = _send_safely(reminder_id, now=now)
            counts[str(status)] = counts.get(str(status), 0) + 1
    return counts


def _send_safely(reminder_id: int, *, now: datetime) -> str:
    """One row's failure must not strand the rest of its batch in "sending"."""
    try:
        return reminder_send(reminder_id, now=now)
    except Exception as error:  # noqa: BLE001 - recorded on the row, retried with backoff
        logger.exception("reminder %s failed unexpectedly", reminder_id)
        reminder = Reminder.objects.get(pk=reminder_id)
        return _retry_or_fail(reminder, f"{type(error).__name__}: {error}", now)


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
