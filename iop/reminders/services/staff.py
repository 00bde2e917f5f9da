from django.conf import settings
from django.db.models import F
from django.utils import timezone

from iop.reminders import texts
from iop.reminders.models import Reminder, StaffNotification, WorkerHeartbeat
from iop.reminders.services.outbox import messages_queue

HEARTBEAT_NAME = "worker-heartbeat"


def heartbeat_record(*, hostname: str = "", name: str = HEARTBEAT_NAME) -> WorkerHeartbeat:
    """Stamp the heartbeat; the counter is incremented in SQL so racing workers
    never lose a run."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(name=name).update(
        last_run_at=now, hostname=hostname[:200], runs=F("runs") + 1
    )
    if not updated:
        WorkerHeartbeat.objects.get_or_create(
            name=name, defaults={"last_run_at": now, "hostname": hostname[:200], "runs": 1}
        )
    return WorkerHeartbeat.objects.get(name=name)


def heartbeat_last() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.filter(name=HEARTBEAT_NAME).first()


def staff_notify(
    *, recipients, kind: str, message: str, client=None, link: str = ""
) -> list[StaffNotification]:
    """Leave an in-app notification for each recipient (one bulk insert)."""
    return StaffNotification.objects.bulk_create(
        StaffNotification(
            recipient=recipient, kind=kind, message=message[:300], client=client, link=link[:300]
        )
        for recipient in recipients
    )


def notifications_unread(user):
    return StaffNotification.objects.filter(recipient=user, read_at__isnull=True)


def notifications_mark_read(*, user, ids) -> int:
    return notifications_unread(user).filter(pk__in=ids).update(read_at=timezone.now())


def staff_alert_texts_queue(*, recipients, key: str) -> int:
    """Where SAFETY_ALERT_SMS is on, a discreet text (texts.STAFF_ALERT_SMS,
    nothing about the client) to each recipient with a mobile number, once
    per `key` and recipient (the outbox's constraint). Staff texts ignore
    quiet hours: an alert cannot wait for the morning. Returns the rows."""
    if not settings.SAFETY_ALERT_SMS:
        return 0
    return messages_queue(
        messages=[
            {
                "key": key,
                "kind": "staff_alert",
                "channel": Reminder.Channel.SMS,
                "staff": user,
                "recipient_key": f"staff:{user.pk}",
                "address": user.mobile_phone,
                "body": texts.STAFF_ALERT_SMS,
            }
            for user in recipients
            if user.mobile_phone
        ]
    )
