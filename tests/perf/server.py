"""The application under gunicorn on the load database, for the page and
load benchmarks (test_pages.py, test_load.py).

The server runs as production does (the Dockerfile's `gunicorn iop.wsgi
--workers 3`, sync workers, DEBUG off, collected static files, persistent
database connections), bound to 127.0.0.1 only, on the large clinic that
`manage.py seed_load` builds. Every request's server time comes from
gunicorn's access log: %(D)s is the microseconds from the parsed request to
the last byte of the response written, so it holds Django, the database and
the socket write, and not the client or the queue in front of the workers.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import requests
from django.conf import settings

from devdata.load.database import load_database_url, parse

BASE_DIR = Path(settings.BASE_DIR)
RESULTS = BASE_DIR / "var" / "bench"
WORK = RESULTS / "work"
PYTHON = sys.executable

DEFAULT_CLIENTS = 5000
# As many sync workers as the machine supports: gunicorn's rule of thumb,
# two per core and one.
WORKERS = int(os.environ.get("OPENIOP_BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
# Two headers the benchmarks send: a request id and the page's name. The log
# line is "<id> <page> <status> <microseconds> <method> <path>".
ACCESS_LOG_FORMAT = "%({x-bench-id}i)s %({x-bench-page}i)s %(s)s %(D)s %(m)s %(U)s"
STARTUP_SECONDS = 60


def bench_clients() -> int:
    return int(os.environ.get("OPENIOP_BENCH_CLIENTS", DEFAULT_CLIENTS))


def _connect(url: str):
    config = parse(url)
    params = {
        "dbname": config["NAME"],
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
        "host": config.get("HOST"),
        "port": config.get("PORT"),
        **(config.get("OPTIONS") or {}),
    }
    return psycopg2.connect(**{k: v for k, v in params.items() if v not in (None, "")})


def client_count(url: str) -> int:
    """Clients in the load database; 0 when it or its tables do not exist."""
    try:
        connection = _connect(url)
    except psycopg2.OperationalError:
        return 0
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('clients_client') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT count(*) FROM clients_client")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def database_label(url: str) -> str:
    """Where the load database is, without credentials."""
    config = parse(url)
    host = config.get("HOST") or (config.get("OPTIONS") or {}).get("host") or "localhost"
    return f"{config['NAME']} on {host}"


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of every process that runs the application: the
    production settings module (not tests.settings, which pytest exported),
    DEBUG off and no devdata app, plain HTTP on loopback."""
    env = {**os.environ}
    for name in ("DJANGO_SETTINGS_MODULE", "LOAD_DATABASE_URL", "DEVDATA"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="iop.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="bench-only",  # noqa: S105 -- a throwaway key for a loopback server
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        CONN_MAX_AGE="60",
        STATIC_ROOT=str(WORK / "static"),
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
        # The simulated staff sign in with a password only: no second factor.
        REQUIRE_MFA="0",
        # The self-report page benchmark asks for one link from one address
        # many times; its request limits are tested in tests/outcomes.
        SELFREPORT_RATE_PER_ADDRESS="1000000",
        SELFREPORT_RATE_PER_LINK="1000000",
        # The FHIR API benchmark asks as one client; its limit is tested in tests/interop.
        FHIR_RATE_PER_MINUTE="1000000",
    )
    env.update(extra)
    return env


def manage(args: list[str], env: dict[str, str], timeout: float) -> None:
    # Our own manage.py with our own arguments.
    subprocess.run(  # noqa: S603
        [PYTHON, str(BASE_DIR / "manage.py"), *args],
        env=env,
        cwd=BASE_DIR,
        check=True,
        timeout=timeout,
    )


def has_charges(url: str) -> bool:
    """Whether the load database has billing's charges: one built before
    billing existed has none, and its billing pages would measure nothing."""
    connection = _connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('billing_charge') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT EXISTS (SELECT 1 FROM billing_charge)")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def ensure_load_database() -> tuple[str, int]:
    """The load database's URL and client count, building it first (with
    OPENIOP_BENCH_CLIENTS clients, default 5,000) when it holds none, or
    holds no charges (built before billing)."""
    url = load_database_url()
    count = client_count(url)
    if count == 0 or not has_charges(url):
        wanted = bench_clients()
        print(f"\nBuilding the load database ({wanted} clients) in {database_label(url)}...")
        # seed_load refuses the application's own database and only builds
        # into an empty one: --reset drops the empty one it found. It is in
        # the devdata app, which the served application goes without.
        env = app_env(os.environ.get("DATABASE_URL", url), DEVDATA="1")
        manage(["seed_load", "--clients", str(wanted), "--reset", "--database-url", url], env, 1800)
        count = client_count(url)
    return url, count


def prepare_load_database(database_url: str) -> None:
    """A load database built earlier gets this checkout's migrations, and the
    program dashboard's summary is rebuilt as beat keeps it in production
    (every 10 minutes): the pages are measured as they are served."""
    env = app_env(database_url)
    manage(["migrate", "--noinput", "-v", "0"], env, 600)
    manage(["refresh_dashboard_summary"], env, 600)


def collectstatic(database_url: str) -> None:
    """With DEBUG off the templates need the manifest of collected files."""
    manage(["collectstatic", "--noinput", "-v", "0"], app_env(database_url), 300)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LogRecord:
    request_id: str
    page: str
    status: int
    ms: float
    method: str
    path: str


@dataclass
class Server:
    url: str
    database_url: str
    access_log: Path
    error_log: Path
    workers: int
    process: subprocess.Popen = field(repr=False)
    # libpq's PGOPTIONS reach the server's connections (e.g. "-c jit=off"
    # for an experiment); recorded with the results.
    pgoptions: str = field(default_factory=lambda: os.environ.get("PGOPTIONS", ""))

    def log_offset(self) -> int:
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def records(self, since: int = 0) -> list[LogRecord]:
        """The access log from byte `since` on. The line is written after the
        response, so wait a moment for the last one to land."""
        time.sleep(0.3)
        with self.access_log.open("rb") as handle:
            handle.seek(since)
            lines = handle.read().decode("utf-8", "replace").splitlines()
        records = []
        for line in lines:
            parts = line.split(" ")
            if len(parts) != 6 or not parts[3].isdigit():
                continue
            request_id, page, status, micros, method, path = parts
            records.append(
                LogRecord(request_id, page, int(status), int(micros) / 1000, method, path)
            )
        return records


def _wait_until_up(url: str, process: subprocess.Popen, error_log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{_tail(error_log)}")
        try:
            if requests.get(f"{url}/accounts/login/", timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass  # not listening yet, or a first request slow on a busy machine
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer in {STARTUP_SECONDS} s:\n{_tail(error_log)}")


def _tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _stop(process: subprocess.Popen) -> None:
    """TERM to the master we started (it stops its workers), then KILL to its
    own process group if it hangs."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextmanager
def running_server(database_url: str, workers: int = WORKERS) -> Iterator[Server]:
    WORK.mkdir(parents=True, exist_ok=True)
    port = free_port()
    access_log, error_log = WORK / "access.log", WORK / "gunicorn.log"
    for path in (access_log, error_log):
        path.unlink(missing_ok=True)
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "iop.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        "--error-logfile",
        str(error_log),
    ]
    # A fixed command of our own; its own session, so it can be stopped as one.
    process = subprocess.Popen(  # noqa: S603
        command, env=app_env(database_url), cwd=BASE_DIR, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, error_log)
        yield Server(url, database_url, access_log, error_log, workers, process)
    finally:
        _stop(process)


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def login(
    base_url: str, username: str, password: str, headers: dict | None = None
) -> requests.Session:
    """A signed-in session, through the login form as a browser does."""
    session = requests.Session()
    session.headers.update(headers or {})
    page = session.get(f"{base_url}/accounts/login/", timeout=30)
    token = CSRF_INPUT.search(page.text)
    if page.status_code != 200 or not token:
        raise RuntimeError(f"No login form at {base_url}/accounts/login/ ({page.status_code}).")
    answer = session.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"Login as {username} failed ({answer.status_code}).")
    return session


def _cpu_times() -> tuple[int, int]:
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def host_state(seconds: float = 2.0) -> dict:
    """How busy the machine is before a measurement, with our server idle:
    other work on the same 2 cores inflates every figure."""
    state = {"cpus": os.cpu_count(), "loadavg": [round(x, 2) for x in os.getloadavg()]}
    try:
        busy, total = _cpu_times()
        time.sleep(seconds)
        busy2, total2 = _cpu_times()
        state["cpu_busy_pct"] = round(100 * (busy2 - busy) / max(total2 - total, 1), 1)
    except OSError:
        state["cpu_busy_pct"] = None
    return state


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
