"""The quick start (iop/devstack.py run): production-like settings that
still work on a laptop, the app's own error pages, a favicon, a first
heartbeat when the worker starts, SIGTERM and SIGHUP stopping everything,
and date-time fields that name their time zone."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.signals import worker_ready
from django.test import override_settings
from django.urls import reverse

from iop import devstack, horizon
from iop.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parent.parent


def test_quick_start_runs_with_debug_off_and_what_a_laptop_needs(tmp_path, monkeypatch):
    monkeypatch.setattr(devstack, "VAR_DIR", tmp_path)
    environ = {}

    devstack.quick_start_environment(environ)

    assert environ["DEBUG"] == "0"
    assert environ["DEVDATA"] == "1"
    assert environ["REQUIRE_MFA"] == "0"
    # Plain http on 127.0.0.1: cookies not secure-only, no redirect, no HSTS.
    assert (environ["SECURE_COOKIES"], environ["SECURE_SSL_REDIRECT"]) == ("0", "0")
    assert environ["SECURE_HSTS_SECONDS"] == "0"
    assert len(environ["SECRET_KEY"]) > 40
    # The key is kept, so sessions survive a restart.
    again = {}
    devstack.quick_start_environment(again)
    assert again["SECRET_KEY"] == environ["SECRET_KEY"]


def test_quick_start_keeps_what_the_person_set(tmp_path, monkeypatch):
    monkeypatch.setattr(devstack, "VAR_DIR", tmp_path)
    environ = {"DEBUG": "1", "SECRET_KEY": "mine", "REQUIRE_MFA": "1"}

    devstack.quick_start_environment(environ)

    assert (environ["DEBUG"], environ["SECRET_KEY"], environ["REQUIRE_MFA"]) == ("1", "mine", "1")


def test_quick_start_settings_serve_static_files_and_sign_in_over_http(tmp_path, monkeypatch):
    """Django's settings as the quick start's environment gives them, read in
    a fresh process (settings are read once per process)."""
    monkeypatch.setattr(devstack, "VAR_DIR", tmp_path)
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "SECRET_KEY", "DEVDATA", "REQUIRE_MFA"}
    }
    devstack.quick_start_environment(environ)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, 'devdata' in s.INSTALLED_APPS, s.REQUIRE_MFA, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, '127.0.0.1' in s.ALLOWED_HOSTS, "
        "'whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE)"
    )
    environ["DJANGO_SETTINGS_MODULE"] = "iop.settings"

    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environ, capture_output=True, text=True
    )

    debug, devdata, mfa, *cookies_and_redirect, host, whitenoise = out.stdout.split()
    assert (debug, devdata, mfa, host, whitenoise) == ("False", "True", "False", "True", "True")
    assert cookies_and_redirect == ["False", "False", "False"]


def test_sigterm_and_sighup_raise_stop(monkeypatch):
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        devstack.stop_on_signals()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            with pytest.raises(devstack.Stop):
                os.kill(os.getpid(), signum)
                time.sleep(1)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_stops_devstack_and_its_command(tmp_path, signum):
    """devstack exec with the services given (nothing embedded to start):
    the signal ends the command it runs and devstack itself, promptly."""
    marker = tmp_path / "child.pid"
    command = f"echo $$ > {marker}; exec sleep 60"
    env = {**os.environ, "DATABASE_URL": "postgres://unused", "REDIS_URL": "redis://unused"}
    stack = subprocess.Popen(  # noqa: S603 - this interpreter, a fixed command
        [sys.executable, "-m", "iop.devstack", "exec", "--", "sh", "-c", command],
        cwd=BASE_DIR,
        env=env,
    )
    for _ in range(100):
        if marker.exists() and marker.read_text().strip():
            break
        time.sleep(0.1)
    child = int(marker.read_text())

    stack.send_signal(signum)

    assert stack.wait(timeout=20) != 0
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


def test_embedded_servers_are_stopped_when_the_stack_is_stopped(monkeypatch):
    """services() is a context manager: a Stop raised inside it (as the
    signal handler raises it) leaves through its exits, which stop the
    embedded PostgreSQL and Redis."""
    stopped = []

    class Server:
        def __init__(self, name):
            self.name = name

        def __enter__(self):
            return f"{self.name}://embedded"

        def __exit__(self, *exc):
            stopped.append(self.name)

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setattr(devstack, "embedded_postgres", lambda: Server("postgres"))
    monkeypatch.setattr(devstack, "embedded_redis", lambda: Server("redis"))

    with pytest.raises(devstack.Stop), devstack.services():
        raise devstack.Stop("SIGTERM")

    assert sorted(stopped) == ["postgres", "redis"]


def test_the_worker_sends_a_heartbeat_as_soon_as_it_is_ready(monkeypatch):
    sent = []
    monkeypatch.setattr(celery_app, "send_task", lambda name, **options: sent.append(name))

    worker_ready.send(sender=None)

    assert sent == ["iop.reminders.tasks.heartbeat"]


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_missing_page_shows_the_apps_404_with_a_way_back(client):
    response = client.get("/nonexistent")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Not found" in page
    assert f'href="{reverse("dashboard:home")}"' in page


def test_the_500_and_400_pages_offer_a_way_back():
    for name in ("500.html", "400.html"):
        assert (
            '<a href="/">Back to the start page</a>' in (BASE_DIR / "templates" / name).read_text()
        )


@pytest.mark.django_db
def test_the_favicon_is_linked_and_served(client):
    page = client.get(reverse("accounts:login")).content.decode()

    assert 'rel="icon" href="/static/favicon.svg"' in page
    assert client.get("/favicon.ico").url == "/static/favicon.svg"
    assert (BASE_DIR / "static" / "favicon.svg").exists()


@override_settings(TIME_ZONE="America/Chicago")
def test_date_time_fields_name_their_time_zone():
    field = horizon.ScheduledDateTimeField(label="When")
    helped = horizon.ScheduledDateTimeField(label="When", help_text="Within a year.")

    assert str(field.help_text) == "Time zone: America/Chicago."
    assert str(helped.help_text) == "Within a year. Time zone: America/Chicago."
