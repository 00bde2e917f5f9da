"""Server time of the self-report link pages on the large clinic (a
benchmark, run by `make bench`, not `make test`): the date-of-birth page
(GET /r/<token>/) and, once the date of birth is confirmed, the form (GET
/r/<token>/form/), each WARMUP + SAMPLES times, one request at a time, as
an anonymous phone would. Target: p95 under 50 ms of server time
(gunicorn's %(D)s). Reported in var/bench/selfreport.json, not asserted,
as the other page benchmarks are."""

import json
import re
import subprocess

import pytest
import requests

from tests.perf import report, server
from tests.perf.test_pages import SAMPLES, WARMUP

pytestmark = pytest.mark.perf

TARGET_P95_MS = 50.0
RESULT = server.RESULTS / "selfreport.json"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _link(bench) -> dict:
    out = server.WORK / "selfreport_link.json"
    # Our own module with fixed arguments, against the load database.
    subprocess.run(  # noqa: S603
        [server.PYTHON, "-m", "tests.perf.selfreport", str(out)],
        env=server.app_env(bench["server"].database_url),
        cwd=server.BASE_DIR,
        check=True,
        timeout=300,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def _times(running, session, key: str, url: str) -> list:
    for round_ in range(WARMUP + SAMPLES):
        headers = {"X-Bench-Id": f"{key}.{round_}", "X-Bench-Page": key}
        response = session.get(url, headers=headers, allow_redirects=False, timeout=60)
        assert response.status_code == 200, f"{key}: {response.status_code}"
    return response


def test_selfreport_page_server_times(bench):
    running = bench["server"]
    link = _link(bench)
    verify = f"{running.url}/r/{link['token']}/"
    form = f"{verify}form/"
    session = requests.Session()
    offset = running.log_offset()

    page = _times(running, session, "selfreport_verify", verify)
    token = CSRF.search(page.text).group(1)
    confirmed = session.post(
        verify,
        data={"csrfmiddlewaretoken": token, "date_of_birth": link["dob"]},
        headers={"Referer": verify, "Origin": running.url},
        allow_redirects=False,
        timeout=60,
    )
    assert confirmed.status_code == 302, confirmed.status_code
    _times(running, session, "selfreport_form", form)

    records = running.records(offset)
    figures = {}
    for key in ("selfreport_verify", "selfreport_form"):
        times = [
            record.ms
            for record in records
            if record.page == key and int(record.request_id.rsplit(".", 1)[1]) >= WARMUP
        ]
        assert len(times) == SAMPLES, f"{key}: {len(times)} of {SAMPLES} in the access log"
        row = report.summary(times)
        row.update(target_p95_ms=TARGET_P95_MS, p95_met=row["p95_ms"] <= TARGET_P95_MS)
        figures[key] = row
    server.write_json(
        RESULT, {"clients": bench["clients"], "database": bench["database"], "pages": figures}
    )
    for key, row in figures.items():
        print(f"{key}: p95 {row['p95_ms']} ms (target {TARGET_P95_MS} ms, met: {row['p95_met']})")
