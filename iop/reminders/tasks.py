"""Celery tasks: thin wrappers that call the services. Every one is safe to
run twice or concurrently (rows are claimed with SKIP LOCKED)."""

import socket

from celery import shared_task

from iop.reminders.services.dispatch import reminders_dispatch_due
from iop.reminders.services.planning import reminders_plan_upcoming, staff_digests_queue
from iop.reminders.services.staff import heartbeat_record


@shared_task(soft_time_limit=10, time_limit=20)
def heartbeat() -> str:
    """Periodic proof of life for the worker and beat (shown on System status)."""
    beat = heartbeat_record(hostname=socket.gethostname())
    return beat.last_run_at.isoformat()


@shared_task(soft_time_limit=50, time_limit=80)
def dispatch_due_reminders() -> dict:
    """Every minute: expire, reconcile, claim and send what is due."""
    return reminders_dispatch_due()


@shared_task(soft_time_limit=120, time_limit=180)
def plan_upcoming_reminders() -> int:
    return reminders_plan_upcoming()


@shared_task(soft_time_limit=120, time_limit=180)
def queue_staff_digests() -> int:
    return staff_digests_queue()
