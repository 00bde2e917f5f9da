"""Writing reminders into the outbox: schedule, reschedule and cancel the
reminders of an appointment, and cancel or readdress what is queued for one
person. Only consented channels get a row; quiet hours move a reminder to
their end, or skip it when that would be too late.

These are the only writes to Reminder rows outside this app's dispatcher:
other apps call them rather than updating the outbox themselves
(tests/test_extensions.py checks it)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from iop.reminders.models import Reminder

OPEN = (Reminder.Status.PENDING,)


def in_quiet_hours(moment: datetime) -> bool:
    """Quiet hours span midnight by default (21:00-08:00 local)."""
    hour = timezone.localtime(moment).hour
    start, end = settings.QUIET_HOURS_START, settings.QUIET_HOURS_END
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def end_of_quiet_hours(moment: datetime) -> datetime:
    """The first moment after the quiet hours that contain `moment`."""
    local = timezone.localtime(moment)
    day = local.date()
    if local.hour >= settings.QUIET_HOURS_START > settings.QUIET_HOURS_END:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(settings.QUIET_HOURS_END)))


def client_channels(client) -> list[tuple[str, str]]:
    """(channel, address) the client consented to, with the address to use."""
    channels = []
    if client.sms_consent and client.phone:
        channels.append((Reminder.Channel.SMS, client.phone))
    if client.email_consent and client.email:
        channels.append((Reminder.Channel.EMAIL, client.email))
    return channels


def plan_send_at(*, starts_at: datetime, offset: timedelta, now: datetime) -> tuple[datetime, str]:
    """When to send a reminder `offset` before `starts_at`, and why not
    (a skip reason) when it cannot be sent in time outside quiet hours."""
    send_at = starts_at - offset
    if in_quiet_hours(send_at):
        send_at = end_of_quiet_hours(send_at)
    if send_at >= starts_at:
        return send_at, "quiet_hours"
    if send_at < now - timedelta(minutes=5):
        return send_at, "scheduled_too_late"
    return send_at, ""


def reminders_schedule(
    *,
    appointment_key: str,
    starts_at: datetime,
    location: str = "",
    client=None,
    recipients: list[dict] | None = None,
    now: datetime | None = None,
) -> list[Reminder]:
    """Create the reminders of one appointment (idempotent).

    The client's consented channels are used; `recipients` adds others
    (e.g. family members who consented), each {"key", "channel", "address",
    "language", "family_member_id"}. Rows that cannot go out in time are
    stored as skipped with the reason, so the outbox says why.
    """
    now = now or timezone.now()
    if starts_at <= now:
        return []  # nothing to remind of: the appointment has begun
    targets = []
    if client is not None:
        for channel, address in client_channels(client):
            targets.append(
                {
                    "key": f"client:{client.pk}",
                    "channel": channel,
                    "address": address,
                    "language": client.preferred_language,
                    "client": client,
                }
            )
    targets.extend(recipients or [])
    rows = []
    for target in targets:
        for hours in settings.REMINDER_OFFSETS_HOURS:
            send_at, skip = plan_send_at(
                starts_at=starts_at, offset=timedelta(hours=hours), now=now
            )
            rows.append(
                Reminder(
                    appointment_key=appointment_key,
                    appointment_starts_at=starts_at,
                    location=location[:120],
                    kind=f"before_{hours}h",
                    channel=target["channel"],
                    client=target.get("client"),
                    family_member_id=target.get("family_member_id"),
                    recipient_key=target["key"],
                    address=target["address"],
                    language=target.get("language", "en"),
                    send_at=send_at,
                    status=Reminder.Status.SKIPPED if skip else Reminder.Status.PENDING,
                    skip_reason=skip,
                    skipped_at=now if skip else None,
                )
            )
    # The unique constraint makes scheduling twice harmless.
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    _reopen_cancelled(appointment_key, starts_at, [row for row in rows if not row.skip_reason])
    return rows


def _reopen_cancelled(appointment_key: str, starts_at: datetime, rows: list[Reminder]) -> None:
    """An appointment moved back to a time it had before: its cancelled rows
    for that time take the place of the new ones the constraint refused."""
    cancelled = Reminder.objects.filter(
        appointment_key=appointment_key,
        appointment_starts_at=starts_at,
        status=Reminder.Status.CANCELLED,
    )
    if not rows or not cancelled.exists():
        return
    for row in rows:
        cancelled.filter(
            recipient_key=row.recipient_key, channel=row.channel, kind=row.kind
        ).update(
            status=Reminder.Status.PENDING, send_at=row.send_at, cancelled_at=None, skip_reason=""
        )


def reminders_cancel(*, appointment_key: str | list[str], starts_at: datetime | None = None) -> int:
    """Cancel the appointment's reminders not yet sent (all, or those of one
    start); several appointments at once when given a list of keys."""
    keys = [appointment_key] if isinstance(appointment_key, str) else appointment_key
    pending = Reminder.objects.filter(appointment_key__in=keys, status__in=OPEN)
    if starts_at is not None:
        pending = pending.filter(appointment_starts_at=starts_at)
    return pending.update(status=Reminder.Status.CANCELLED, cancelled_at=timezone.now())


def _pending_for(*, client=None, family_member=None, channel: str | None = None):
    if (client is None) == (family_member is None):
        raise ValueError("Give exactly one of client and family_member.")
    if client is not None:
        pending = Reminder.objects.filter(client=client, status=Reminder.Status.PENDING)
    else:
        # Family members belong to the family app, which this app does not
        # import: their reminders carry the member's id (reminders_schedule's
        # `recipients`), so any object with a pk will do.
        pending = Reminder.objects.filter(
            family_member_id=family_member.pk, status=Reminder.Status.PENDING
        )
    return pending if channel is None else pending.filter(channel=channel)


def reminders_cancel_for(
    *, client=None, family_member=None, reason: str, channel: str | None = None
) -> int:
    """Cancel everything still pending for one person (exactly one of
    `client` and `family_member`), on every channel or only on `channel`:
    a discharge, a consent revoked, a contact agreement withdrawn. The
    reason (a short code) is kept in the row's skip_reason, the outbox's
    "why it did not go out", with the time in cancelled_at. Rows already
    sending, sent, skipped or expired are left as they are. Returns how
    many were cancelled."""
    reason = reason.strip()
    if not reason:
        raise ValueError("Say why the reminders are cancelled.")
    pending = _pending_for(client=client, family_member=family_member, channel=channel)
    return pending.update(
        status=Reminder.Status.CANCELLED,
        cancelled_at=timezone.now(),
        skip_reason=reason[: Reminder._meta.get_field("skip_reason").max_length],
    )


def reminders_readdress(*, client=None, family_member=None, channel: str, address: str) -> int:
    """Send what is still pending for one person on `channel` to their new
    `address` (a changed phone number or email). Returns how many rows."""
    pending = _pending_for(client=client, family_member=family_member, channel=channel)
    return pending.update(address=address)


def reminders_reschedule(
    *,
    appointment_key: str,
    starts_at: datetime,
    location: str = "",
    client=None,
    recipients: list[dict] | None = None,
) -> list[Reminder]:
    """The appointment moved: its unsent reminders are cancelled and new ones
    made for the new time, in one transaction."""
    with transaction.atomic():
        reminders_cancel(appointment_key=appointment_key)
        return reminders_schedule(
            appointment_key=appointment_key,
            starts_at=starts_at,
            location=location,
            client=client,
            recipients=recipients,
        )


def messages_queue(*, messages: list[dict], now: datetime | None = None) -> int:
    """Queue messages that are not about an appointment (a self-report link,
    a staff alert), in one INSERT whatever their number. Each is {"key",
    "kind", "channel", "address", "recipient_key", and "client" or "staff",
    optionally "language", "body", "send_at"}. The (key, recipient,
    channel, kind) constraint makes queueing twice harmless; consent,
    quiet hours and STOP apply at send time as for every client reminder.
    Returns how many rows the call offered."""
    now = now or timezone.now()
    rows = [
        Reminder(
            appointment_key=message["key"],
            appointment_starts_at=None,
            kind=message["kind"],
            channel=message["channel"],
            client=message.get("client"),
            staff=message.get("staff"),
            recipient_key=message["recipient_key"],
            address=message["address"],
            language=message.get("language", "en"),
            body=message.get("body", ""),
            send_at=message.get("send_at", now),
        )
        for message in messages
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)
