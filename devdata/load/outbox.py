"""The reminder outbox: client reminders of group sessions, appointments and
aftercare check-ins on each consented channel at the configured offsets
(quiet hours respected), in every status the dispatcher leaves, and the
counselors' daily digests.

Reminders were switched on RECENT_DAYS ago, so only appointments since
then have rows: sent, a few failed or expired, cancelled with their
appointment, skipped for quiet hours, and pending for the weeks ahead.
"""

from datetime import datetime
from functools import lru_cache

from django.conf import settings

from devdata.load.context import DAY, Ctx, new_uuid
from iop.reminders.models import Reminder
from iop.reminders.texts import render

RECENT_DAYS = 120
CANCELLED = {"cancelled", "cancelled_client", "cancelled_program"}
ERRORS = ("Provider timeout", "Invalid phone number", "Mailbox unavailable")


@lru_cache(maxsize=100_000)
def _body(channel: str, language: str, starts_at: str, location: str) -> str:
    return render(
        channel=channel,
        language=language,
        starts_at=datetime.fromisoformat(starts_at),
        location=location,
    )["body"]


def _send_at(stamp: int, hours: int) -> tuple[int, str]:
    """When to send `hours` before `stamp`, moved out of the quiet hours."""
    send = stamp - hours * 60
    day, minute = divmod(send, DAY)
    start, end = settings.QUIET_HOURS_START * 60, settings.QUIET_HOURS_END * 60
    if minute >= start:
        send = (day + 1) * DAY + end
    elif minute < end:
        send = day * DAY + end
    return send, "quiet_hours" if send >= stamp else ""


class _Outbox:
    def __init__(self, ctx: Ctx, rng):
        self.ctx, self.rng, self.rows = ctx, rng, []

    def client(self, key: str, stamp: int, client, state: str, location: str) -> None:
        channels = []
        if client.sms:
            channels.append(("sms", client.phone))
        if client.email_ok:
            channels.append(("email", client.email))
        for channel, address in channels:
            for hours in settings.REMINDER_OFFSETS_HOURS:
                self._add(
                    key, stamp, client, channel, address, f"before_{hours}h", hours, state, location
                )

    def _add(self, key, stamp, client, channel, address, kind, hours, state, location):
        rng, clock = self.rng, self.ctx.clock
        send, skip = _send_at(stamp, hours)
        created = min(send, stamp - rng.randint(2, 14) * DAY)
        times = dict.fromkeys(("sending", "sent", "failed", "expired", "cancelled", "skipped"))
        attempts, provider, error, body = 0, "", "", ""
        roll = rng.random()
        if not skip and roll < 0.004:
            skip = "scheduled_too_late"  # booked at short notice
        elif not skip and roll < 0.006 and channel == "sms":
            skip = "consent_withdrawn"  # the client had replied STOP
        if skip:
            status, times["skipped"] = "skipped", created
        elif state in CANCELLED:
            status, times["cancelled"] = "cancelled", max(created, send - rng.randint(60, 2880))
        elif send > clock.now:
            status = "pending"
        elif (send > clock.now - 15 and rng.random() < 0.5) or rng.random() < 0.0005:
            # Claimed by a worker now, or left behind by one that died.
            status, times["sending"], attempts = "sending", send, 1
        else:
            roll = rng.random()
            status = "sent" if roll < 0.965 else "failed" if roll < 0.985 else "expired"
            if status == "expired":
                times["expired"] = stamp + 1
            else:
                attempts = 1 if status == "sent" and rng.random() < 0.95 else 2
                if status == "failed":
                    attempts, error = settings.REMINDER_MAX_ATTEMPTS, rng.choice(ERRORS)
                finished = send + attempts * rng.randint(1, 3)
                times["sending"], times[status] = finished - 1, finished
        if status in ("sent", "failed", "sending"):
            body = _body(channel, client.language, clock.ts(stamp), location)
        if status == "sent":
            provider = (
                f"SM{rng.getrandbits(128):032x}"
                if channel == "sms"
                else f"<{new_uuid(rng)}@{settings.REMINDER_MESSAGE_ID_DOMAIN}>"
            )
        self.rows.append(
            (
                new_uuid(rng),
                key,
                clock.ts(stamp),
                location[:120],
                kind,
                channel,
                client.id,
                None,
                f"client:{client.id}",
                address,
                client.language,
                body,
                clock.ts(send),
                status,
                skip,
                attempts,
                provider,
                error,
                clock.ts(created),
                *(clock.ts(times[name]) if times[name] else None for name in times),
            )
        )

    def digests(self) -> None:
        """One in-app digest per counselor per weekday."""
        rng, clock = self.rng, self.ctx.clock
        for day in range(clock.today - RECENT_DAYS, clock.today + 1):
            if clock.weekday(day) > 4:
                continue
            send = day * DAY + 7 * 60 + 30
            for counselor in self.ctx.staff.counselors:
                sent = send <= clock.now
                self.rows.append(
                    (
                        new_uuid(rng),
                        f"digest:{clock.date(day)}",
                        None,
                        "",
                        "digest",
                        "in_app",
                        None,
                        counselor,
                        f"staff:{counselor}",
                        "",
                        "en",
                        f"{rng.randint(0, 6)} notes to sign; {rng.randint(0, 4)} check-ins due",
                        clock.ts(send),
                        "sent" if sent else "pending",
                        "",
                        1 if sent else 0,
                        "",
                        "",
                        clock.ts(send - 5),
                        clock.ts(send) if sent else None,
                        clock.ts(send + 1) if sent else None,
                        None,
                        None,
                        None,
                        None,
                    )
                )


def seed_reminders(ctx: Ctx) -> None:
    outbox = _Outbox(ctx, ctx.rng("outbox"))
    for public_id, stamp, status, location, clients in ctx.group_sessions:
        for client in clients:
            outbox.client(f"group-session:{public_id}", stamp, client, status, location)
    for public_id, client, stamp, status, location in ctx.appointments:
        outbox.client(f"appointment:{public_id}", stamp, client, status, location)
    for public_id, client, stamp, status in ctx.check_ins:
        outbox.client(f"checkin:{public_id}", stamp, client, status, "")
    outbox.digests()
    ctx.loader.copy(
        Reminder,
        (
            "public_id",
            "appointment_key",
            "appointment_starts_at",
            "location",
            "kind",
            "channel",
            "client_id",
            "staff_id",
            "recipient_key",
            "address",
            "language",
            "body",
            "send_at",
            "status",
            "skip_reason",
            "attempts",
            "provider_message_id",
            "last_error",
            "created_at",
            "sending_at",
            "sent_at",
            "failed_at",
            "expired_at",
            "cancelled_at",
            "skipped_at",
        ),
        outbox.rows,
    )
