"""Reminder throughput (a benchmark, run by `make bench`, not `make test`).

10,000 due reminders go through the file backend, sent by one real Celery
worker (celery.contrib.testing) called through the broker, as the beat's
dispatch task is; then a second batch of 1,000 is dispatched in-process with
every SQL statement counted. The figures are printed and written to
var/bench/reminders.json."""

import datetime
import json
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iop.celery import app
from iop.reminders.models import Reminder
from iop.reminders.services.dispatch import BATCH_SIZE, reminders_dispatch_due
from iop.reminders.tasks import dispatch_due_reminders
from tests.factories import ClientFactory
from tests.perf import report
from tests.reminders.support import PHONE, due_rows, sms_lines

pytestmark = pytest.mark.perf

WORKER_ROWS = 10_000
QUERY_ROWS = 1_000
RESULT = report.REMINDERS_JSON


@pytest.fixture
def file_backend(settings, tmp_path):
    settings.REMINDER_SMS_BACKEND = "iop.reminders.channels.FileSmsBackend"
    settings.REMINDER_SMS_FILE = str(tmp_path / "sms.jsonl")
    # Measured at any hour: quiet hours would defer everything at night.
    settings.QUIET_HOURS_START = settings.QUIET_HOURS_END = 0
    return tmp_path / "sms.jsonl"


@pytest.fixture
def worker(transactional_db):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


def _pending():
    return Reminder.objects.filter(status=Reminder.Status.PENDING).count()


def test_reminder_throughput(worker, file_backend):
    client = ClientFactory(phone=PHONE, sms_consent=True)
    due_rows(WORKER_ROWS, now=timezone.now(), client=client)

    started = time.perf_counter()
    sweeps = 0
    while _pending() and sweeps < 10:
        dispatch_due_reminders.delay().get(timeout=600)
        sweeps += 1
    worker_seconds = time.perf_counter() - started

    lines = sms_lines(file_backend)
    assert len(lines) == WORKER_ROWS
    assert len({line["reference"] for line in lines}) == WORKER_ROWS
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == WORKER_ROWS

    due_rows(QUERY_ROWS, now=timezone.now(), client=client)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        counts = reminders_dispatch_due()
    in_process_seconds = time.perf_counter() - started

    assert counts["sent"] == QUERY_ROWS
    figures = {
        "measured_at": timezone.now().isoformat(timespec="seconds"),
        "backend": "file",
        "worker": {
            "reminders": WORKER_ROWS,
            "sweeps": sweeps,
            "seconds": round(worker_seconds, 2),
            "reminders_per_second": round(WORKER_ROWS / worker_seconds, 1),
        },
        "in_process": {
            "reminders": QUERY_ROWS,
            "seconds": round(in_process_seconds, 2),
            "reminders_per_second": round(QUERY_ROWS / in_process_seconds, 1),
            "sql_queries": len(queries),
            "sql_queries_per_reminder": round(len(queries) / QUERY_ROWS, 3),
            "batch_size": BATCH_SIZE,
        },
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    report.write_report()
    print(f"\nreminders: {json.dumps(figures, indent=2)}\nwritten to {RESULT}")

    # The target: 500 reminders a second with one worker and the file
    # backend; the SQL of a batch does not grow with its rows.
    assert figures["worker"]["reminders_per_second"] >= report.REMINDERS_PER_SECOND
    assert len(queries) / QUERY_ROWS < 0.1
    assert datetime.timedelta(seconds=worker_seconds) < datetime.timedelta(minutes=10)
