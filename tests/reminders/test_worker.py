"""The heartbeat runs in a real Celery worker against the real Redis broker."""

import pytest
from celery.contrib.testing.worker import start_worker

from iop.celery import app
from iop.reminders.models import WorkerHeartbeat
from iop.reminders.tasks import heartbeat


@pytest.fixture
def worker(transactional_db):
    # A worker thread in this process, consuming from the broker in REDIS_URL.
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def test_heartbeat_task_runs_in_a_worker_and_records_its_run(worker):
    result = heartbeat.delay()

    result.get(timeout=30)

    beat = WorkerHeartbeat.objects.get()
    assert beat.runs == 1
    assert beat.hostname


def test_two_heartbeats_count_two_runs(worker):
    heartbeat.delay().get(timeout=30)
    heartbeat.delay().get(timeout=30)

    assert WorkerHeartbeat.objects.get().runs == 2


def test_beat_schedule_runs_the_heartbeat_every_minute():
    entry = app.conf.beat_schedule["worker-heartbeat"]

    assert entry["task"] == heartbeat.name
    assert entry["schedule"] == 60.0


def test_tasks_are_serialized_as_json_only():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
