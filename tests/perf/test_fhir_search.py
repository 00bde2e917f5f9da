"""Server time of the FHIR API's Observation search for one patient on the
large clinic (a benchmark, run by `make bench`, not `make test`): the client
with the most instrument scores, `GET /fhir/Observation?patient=<id>` by a
program-internal client with a bearer token, WARMUP + SAMPLES times, one
request at a time. Target: p95 under 50 ms of server time (gunicorn's
%(D)s), asserted here and reported in var/bench/fhir_search.json."""

import json
import subprocess
import time
import uuid

import jwt
import pytest
import requests

from interop.tokens import ASSERTION_TYPE
from tests.perf import report, server
from tests.perf.test_pages import SAMPLES, WARMUP

pytestmark = pytest.mark.perf

TARGET_P95_MS = 50.0
RESULT = server.RESULTS / "fhir_search.json"


def _registered(bench) -> dict:
    out = server.WORK / "fhir_client.json"
    # Our own module with fixed arguments, against the load database.
    subprocess.run(  # noqa: S603
        [server.PYTHON, "-m", "tests.perf.fhir", str(out)],
        env=server.app_env(bench["server"].database_url),
        cwd=server.BASE_DIR,
        check=True,
        timeout=300,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def _token(base: str, registered: dict) -> str:
    config = requests.get(f"{base}/fhir/.well-known/smart-configuration", timeout=30).json()
    now = int(time.time())
    assertion = jwt.encode(
        {
            "iss": registered["client_id"],
            "sub": registered["client_id"],
            "aud": config["token_endpoint"],
            "exp": now + 240,
            "jti": uuid.uuid4().hex,
        },
        registered["key"],
        algorithm="RS384",
        headers={"kid": registered["kid"]},
    )
    response = requests.post(
        f"{base}/fhir/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
            "scope": "system/Observation.rs",
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def test_observation_search_for_one_patient(bench):
    running = bench["server"]
    registered = _registered(bench)
    token = _token(running.url, registered)
    url = f"{running.url}/fhir/Observation?patient={registered['patient']}"
    session = requests.Session()
    offset = running.log_offset()
    key = "fhir_observation_search"
    returned = 0
    for round_ in range(WARMUP + SAMPLES):
        headers = {
            "Authorization": f"Bearer {token}",
            "X-Bench-Id": f"{key}.{round_}",
            "X-Bench-Page": key,
        }
        response = session.get(url, headers=headers, timeout=60)
        assert response.status_code == 200, response.text[:300]
        returned = len(response.json().get("entry", []))
    times = [
        record.ms
        for record in running.records(offset)
        if record.page == key and int(record.request_id.rsplit(".", 1)[1]) >= WARMUP
    ]
    assert len(times) == SAMPLES, f"{len(times)} of {SAMPLES} in the access log"
    row = report.summary(times)
    row.update(
        target_p95_ms=TARGET_P95_MS,
        p95_met=row["p95_ms"] <= TARGET_P95_MS,
        resources_per_page=returned,
        patient_scores=registered["scores"],
    )
    server.write_json(
        RESULT, {"clients": bench["clients"], "database": bench["database"], "search": row}
    )
    print(f"\nFHIR Observation search for one patient: {row}")
    assert row["p95_met"], row
