"""Wall time of a FHIR bulk export of the whole large clinic (a benchmark,
run by `make bench`, not `make test`): a program-internal client kicks off
`GET /fhir/$export` (every served type) on the gunicorn server, a Celery
worker process of the application writes the files, the client polls the
status URL (Bulk Data Access 2.0) until the manifest. Target: under 5
minutes (the issue), asserted here; the time from kick-off to manifest, the
resources per type and the bytes written are reported in
var/bench/fhir_export.json."""

import shutil
import signal
import subprocess
import time
import uuid

import jwt
import pytest
import requests

from interop.tokens import ASSERTION_TYPE
from tests.perf import server
from tests.perf.test_fhir_search import _registered

pytestmark = pytest.mark.perf

TARGET_SECONDS = 300.0
RESULT = server.RESULTS / "fhir_export.json"
EXPORT_DIR = server.WORK / "fhir-export"
POLL_SECONDS = 0.5
# Tokens live 5 minutes (interop.tokens): a fresh one before that.
TOKEN_SECONDS = 240


class Bearer:
    """The client's access token, drawn again before it expires."""

    def __init__(self, base: str, registered: dict):
        self.base, self.registered = base, registered
        self.token, self.drawn = "", 0.0

    def headers(self) -> dict:
        if time.monotonic() - self.drawn > TOKEN_SECONDS:
            self.token, self.drawn = self._draw(), time.monotonic()
        return {"Authorization": f"Bearer {self.token}"}

    def _draw(self) -> str:
        # The audience is the token endpoint as the server names it (SITE_URL).
        config = requests.get(f"{self.base}/fhir/.well-known/smart-configuration", timeout=30)
        now = int(time.time())
        assertion = jwt.encode(
            {
                "iss": self.registered["client_id"],
                "sub": self.registered["client_id"],
                "aud": config.json()["token_endpoint"],
                "exp": now + 240,
                "jti": uuid.uuid4().hex,
            },
            self.registered["key"],
            algorithm="RS384",
            headers={"kid": self.registered["kid"]},
        )
        response = requests.post(
            f"{self.base}/fhir/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": assertion,
                "scope": "system/*.rs",
            },
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()["access_token"]


def _worker(database_url: str) -> subprocess.Popen:
    """A Celery worker of the application on the load database, as the
    compose file's `worker` service runs it (one process here)."""
    env = server.app_env(database_url, FHIR_EXPORT_DIR=str(EXPORT_DIR))
    log = (server.WORK / "fhir-export-worker.log").open("wb")
    # Our own interpreter and Celery app with fixed arguments.
    return subprocess.Popen(  # noqa: S603
        [
            server.PYTHON,
            "-m",
            "celery",
            "-A",
            "iop",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        cwd=server.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_bulk_export_of_the_whole_clinic(bench):
    running = bench["server"]
    bearer = Bearer(running.url, _registered(bench))
    # Other work on the same cores stretches the figure: recorded with it.
    host = server.host_state()
    worker = _worker(running.database_url)
    try:
        time.sleep(5)  # the worker connects to the broker
        started = time.perf_counter()
        kickoff = requests.get(
            f"{running.url}/fhir/$export",
            headers={**bearer.headers(), "Prefer": "respond-async"},
            timeout=60,
        )
        assert kickoff.status_code == 202, kickoff.text[:300]
        status_url = kickoff.headers["Content-Location"]
        status_path = status_url[status_url.index("/fhir/") :]
        while True:
            status = requests.get(
                f"{running.url}{status_path}", headers=bearer.headers(), timeout=60
            )
            if status.status_code != 202:
                break
            assert worker.poll() is None, "the worker exited"
            assert time.perf_counter() - started < 3 * TARGET_SECONDS, status.headers
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - started
        assert status.status_code == 200, status.text[:300]
        manifest = status.json()
    finally:
        _stop(worker)
    counts = {item["type"]: item["count"] for item in manifest["output"]}
    job_dir = EXPORT_DIR / manifest["output"][0]["url"].rsplit("/", 2)[-2] if counts else None
    written = sum(p.stat().st_size for p in job_dir.iterdir()) if job_dir else 0
    row = {
        "seconds": round(seconds, 1),
        "target_seconds": TARGET_SECONDS,
        "target_met": seconds < TARGET_SECONDS,
        "resources": sum(counts.values()),
        "resources_per_type": counts,
        "bytes_written": written,
        "resources_per_second": round(sum(counts.values()) / seconds, 1),
        "host_before": host,
    }
    # Over a gigabyte on the large clinic: not kept after the measurement.
    shutil.rmtree(EXPORT_DIR, ignore_errors=True)
    server.write_json(
        RESULT, {"clients": bench["clients"], "database": bench["database"], "export": row}
    )
    print(f"\nFHIR bulk export of the clinic: {row}")
    assert row["target_met"], row
