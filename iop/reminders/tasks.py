import socket

from celery import shared_task

from iop.reminders.services import heartbeat_record


@shared_task(soft_time_limit=10, time_limit=20)
def heartbeat() -> str:
    """Periodic proof of life for the worker and beat (shown on System status)."""
    beat = heartbeat_record(hostname=socket.gethostname())
    return beat.last_run_at.isoformat()
