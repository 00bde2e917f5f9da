"""Exactly once under the conditions that break it (DOMAIN.md section 8):
workers racing over the same rows, a worker killed in the middle of a batch,
and a broker outage while appointments are booked.

These tests run real OS processes, a private redis-server and a Celery
worker; they are slower than the rest (about 15 s together) but part of the
suite on purpose: they are the guarantee."""

import datetime
import multiprocessing
import os
import signal
import subprocess
import sys
import time

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.utils import timezone

from iop.accounts import roles
from iop.celery import app as iop_app
from iop.clients.models import Appointment
from iop.clients.services.records import appointment_schedule
from iop.reminders.models import Reminder
from iop.reminders.services.dispatch import (
    STALE_SENDING,
    reminders_dispatch_due,
    reminders_reconcile,
)
from iop.reminders.tasks import dispatch_due_reminders
from tests.factories import ClientFactory, EpisodeFactory, UserFactory
from tests.reminders import workers
from tests.reminders.support import PrivateRedis, due_rows, sms_lines

pytestmark = pytest.mark.slow

RACE_ROWS = 1000
KILL_ROWS = 200


def _lines_written(path) -> int:
    """Complete lines only: a worker may be writing the next one."""
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _assert_each_sent_once(sms_file, rows):
    lines = sms_lines(sms_file)
    references = [line["reference"] for line in lines]
    assert len(lines) == len(rows)
    assert len(set(references)) == len(rows)
    assert set(references) == {str(row.public_id) for row in rows}
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}
    assert Reminder.objects.exclude(provider_message_id="").count() == len(rows)


def test_two_workers_and_two_ticks_racing_over_the_same_rows_send_each_once(
    transactional_db, sms_file, no_quiet_hours
):
    rows = due_rows(RACE_ROWS, now=timezone.now())
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    overrides = {
        "REMINDER_SMS_BACKEND": "iop.reminders.channels.FileSmsBackend",
        "REMINDER_SMS_FILE": str(sms_file),
        "QUIET_HOURS_START": 0,
        "QUIET_HOURS_END": 0,
    }
    database = django_settings.DATABASES["default"]["NAME"]
    processes = [
        context.Process(target=workers.dispatch_twice, args=(database, overrides, start, results))
        for _ in range(2)
    ]

    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)

    assert [process.exitcode for process in processes] == [0, 0]
    sent = [results.get(timeout=5) for _ in processes]
    # Both took part, and each sent only the rows it claimed: together, all of them.
    assert all(count > 0 for _pid, count in sent), sent
    assert sum(count for _pid, count in sent) == RACE_ROWS
    _assert_each_sent_once(sms_file, rows)
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}


def test_a_worker_killed_in_the_middle_of_a_batch_loses_and_duplicates_nothing(
    transactional_db, settings, sms_file, no_quiet_hours
):
    rows = due_rows(KILL_ROWS, now=timezone.now())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "REMINDER_SMS_BACKEND": "tests.reminders.workers.SlowFileSmsBackend",
        "REMINDER_SMS_FILE": str(sms_file),
        "QUIET_HOURS_START": "0",
        "QUIET_HOURS_END": "0",
    }
    worker = subprocess.Popen(  # noqa: S603 - this interpreter, a module of ours
        [sys.executable, "-m", "tests.reminders.workers", settings.DATABASES["default"]["NAME"]],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while _lines_written(sms_file) < 20:
        assert worker.poll() is None, worker.stderr.read().decode()
        assert time.monotonic() < deadline, "the worker wrote nothing"
        time.sleep(0.01)

    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    worker.stderr.close()

    assert worker.returncode == -signal.SIGKILL
    assert 20 <= _lines_written(sms_file) < KILL_ROWS
    # Killed mid-batch: claimed rows are left in "sending".
    assert Reminder.objects.filter(status=Reminder.Status.SENDING).exists()

    # The restart, after the stale interval: settle what was in flight, send the rest.
    restart = timezone.now() + STALE_SENDING + datetime.timedelta(seconds=1)
    reminders_reconcile(now=restart)
    reminders_dispatch_due(now=restart)
    reminders_dispatch_due(now=restart)

    _assert_each_sent_once(sms_file, rows)


@pytest.fixture
def private_redis():
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def private_celery(settings, private_redis):
    """A Celery app configured like iop.celery's but with this test's own
    broker: the shared app keeps its connection pools to the usual Redis."""
    settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = private_redis.url
    app = Celery("iop-broker-outage", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = app.conf.result_backend = private_redis.url
    yield app
    app.close()
    # start_worker made the private app the current one: give it back.
    iop_app.set_current()
    iop_app.set_default()


def test_appointments_booked_while_redis_is_down_get_their_reminders_once_it_is_back(
    transactional_db, sms_file, no_quiet_hours, private_redis, private_celery
):
    counselor = UserFactory(username="counselor-outage", roles=[roles.COUNSELOR])
    clients = [ClientFactory(phone=f"+1555555{n:04d}", sms_consent=True) for n in range(3)]
    private_redis.stop()
    assert not private_redis.is_up()

    starts_at = timezone.now() + datetime.timedelta(hours=2, minutes=-1)
    for client in clients:
        appointment_schedule(
            actor=counselor,
            episode=EpisodeFactory(client=client, primary_counselor=counselor),
            kind=Appointment.Kind.INDIVIDUAL,
            starts_at=starts_at,
            counselor=counselor,
        )

    # Booked and committed without the broker; the 2-hour reminders are due.
    assert Appointment.objects.count() == 3
    due = Reminder.objects.filter(status=Reminder.Status.PENDING, send_at__lte=timezone.now())
    assert due.count() == 3
    assert sms_lines(sms_file) == []

    private_redis.start()
    with start_worker(private_celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        counts = dispatch_due_reminders.delay().get(timeout=30)

    assert counts["sent"] == 3
    assert sorted(line["to"] for line in sms_lines(sms_file)) == sorted(c.phone for c in clients)
    assert not Reminder.objects.filter(status=Reminder.Status.PENDING).exists()
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 3
