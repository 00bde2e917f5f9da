from django.db.models import F
from django.utils import timezone

from iop.reminders.models import WorkerHeartbeat

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
