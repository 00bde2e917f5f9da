"""The Celery app and the one beat schedule of the project."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import after_setup_logger, after_setup_task_logger, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iop.settings")

app = Celery("iop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _redact_worker_logs(logger=None, **kwargs):
    """The worker replaces the root logger's handlers with its own: they get
    the filter that keeps client data out of the logs (iop/logging.py)."""
    from iop.logging import add_redaction_filter

    add_redaction_filter(logger)


after_setup_logger.connect(_redact_worker_logs, weak=False)
after_setup_task_logger.connect(_redact_worker_logs, weak=False)


def _first_heartbeat(sender=None, **kwargs):
    """A heartbeat as soon as the worker is ready, not only when beat first
    schedules one a minute later: System status shows the worker running
    from the start. Only enqueued; the task does the work."""
    app.send_task("iop.reminders.tasks.heartbeat", expires=55)


worker_ready.connect(_first_heartbeat, weak=False)

# Every periodic task of every app is listed here, and only here.
app.conf.beat_schedule = {
    "worker-heartbeat": {
        "task": "iop.reminders.tasks.heartbeat",
        "schedule": 60.0,
        # A heartbeat older than a minute says nothing new: drop it.
        "options": {"expires": 55},
    },
    "dispatch-due-reminders": {
        "task": "iop.reminders.tasks.dispatch_due_reminders",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "plan-upcoming-reminders": {
        "task": "iop.reminders.tasks.plan_upcoming_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "queue-staff-digests": {
        "task": "iop.reminders.tasks.queue_staff_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "generate-group-sessions": {
        "task": "groups.tasks.generate_group_sessions",
        # Nightly, and idempotent: a missed night is caught up by the next.
        "schedule": crontab(hour=2, minute=15),
    },
    "refresh-program-summary": {
        "task": "iop.dashboard.tasks.refresh_program_summary",
        # The program dashboard shows how old its figures are.
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 540},
    },
    "verify-audit-chain": {
        "task": "iop.audit.tasks.verify_audit_chain",
        # Nightly; the audit page warns when the last run is two days old.
        "schedule": crontab(hour=3, minute=30),
    },
    "plan-due-measures": {
        "task": "outcomes.tasks.plan_due_measures",
        # Nightly: the measures the plan makes due today.
        "schedule": crontab(hour=1, minute=30),
    },
    "settle-due-measures": {
        "task": "outcomes.tasks.settle_due_measures",
        # Measures answered however they were given; windows that closed.
        "schedule": crontab(hour=1, minute=45),
    },
    "send-measure-links": {
        "task": "outcomes.tasks.send_measure_links",
        # Mid-morning local time (CELERY_TIMEZONE), well outside quiet hours.
        "schedule": crontab(hour=10, minute=0),
    },
    "receive-clearinghouse-responses": {
        "task": "billing.tasks.receive_channel_responses",
        # Acknowledgements and remittances; nothing to do while the
        # clearinghouse channel is off.
        "schedule": crontab(minute="*/30"),
        "options": {"expires": 1500},
    },
    "expire-fhir-exports": {
        "task": "interop.tasks.expire_exports",
        # Bulk exports' files deleted after FHIR_EXPORT_RETENTION_HOURS;
        # used token assertions forgotten once past their expiry.
        "schedule": crontab(minute=5),
        "options": {"expires": 3000},
    },
}
