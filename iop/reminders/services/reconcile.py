"""Settling rows left in "sending": a worker killed mid-batch, a provider
timeout. Such a row is not sent again blindly: the backend is asked whether
the message left; if it did, the row is marked sent (and the send-time
checks' hooks run then); if the backend can tell it did not, the row is
retried; if nobody can tell (email), it fails visibly."""

import re
from datetime import datetime, timedelta

from django.utils import timezone

from iop.extensions import REDACTED
from iop.reminders import channels
from iop.reminders.models import Reminder, StaffNotification
from iop.reminders.services.rowstate import finish, hooks_of, mark_sent
from iop.reminders.sources import send_verdicts

# A row "sending" for longer than this was abandoned by its worker.
STALE_SENDING = timedelta(minutes=2)


def _as_sent(stored_body: str) -> str | re.Pattern:
    """What the provider's copy of a message must be: the stored body, or,
    where a secret was redacted from it, a pattern with any URL-safe token
    in its place (see MESSAGE_RENDERERS)."""
    if REDACTED not in stored_body:
        return stored_body
    parts = [re.escape(part) for part in stored_body.split(REDACTED)]
    return re.compile("[A-Za-z0-9_-]+".join(parts), re.DOTALL)


def _reconcile_with_provider(reminder: Reminder, backend, now: datetime) -> int | None:
    """Ask the provider; None when it cannot answer now (ask on the next sweep)."""
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
        return None
    if provider_id:
        # It left when it was claimed: the checks' hooks decide then.
        hooks = hooks_of(send_verdicts(reminder, reminder.sending_at))
        return mark_sent(reminder.pk, hooks, sent_at=now, provider_message_id=provider_id[:120])
    return finish(reminder.pk, status=Reminder.Status.PENDING, send_at=now)


def _reconcile_in_app(reminder: Reminder, now: datetime) -> int:
    sent = StaffNotification.objects.filter(
        recipient=reminder.staff, kind=reminder.kind, created_at__gte=reminder.sending_at
    ).exists()
    fields = (
        {"status": Reminder.Status.SENT, "sent_at": now}
        if sent
        else {"status": Reminder.Status.PENDING, "send_at": now}
    )
    return finish(reminder.pk, **fields)


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
        if backend is not None and backend.can_look_up:
            settled += _reconcile_with_provider(reminder, backend, now) or 0
        elif reminder.channel == Reminder.Channel.IN_APP:
            settled += _reconcile_in_app(reminder, now)
        else:
            # Email cannot be looked up: never risk a duplicate, say so.
            settled += finish(
                reminder.pk,
                status=Reminder.Status.FAILED,
                failed_at=now,
                last_error="delivery unknown after an interruption; not sent again",
            )
    return settled
