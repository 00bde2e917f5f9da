"""Benchmarks: not part of `make test`. They run only with OPENIOP_BENCH=1
(`make bench`); without it every test here is collected and skipped."""

import json
import os
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SKIP_REASON = "benchmark: set OPENIOP_BENCH=1 to run it (make bench); not part of make test"
# The page benchmark first (one request at a time), then the load test.
ORDER = {"test_pages.py": 1, "test_load.py": 2}


def pytest_configure(config):
    config.addinivalue_line("markers", "perf: benchmarks (run with OPENIOP_BENCH=1)")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("OPENIOP_BENCH") == "1":
        items.sort(key=lambda item: ORDER.get(Path(item.path).name, 0))
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        # This hook sees the whole session's items: mark only this folder's.
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def bench():
    """The load database (built when it holds no clients), its inventory of
    staff and pages, and gunicorn serving it; shared by the page benchmark
    and the load test, stopped at the end of the run."""
    from tests.perf import server

    url, clients = server.ensure_load_database()
    server.prepare_load_database(url)
    server.collectstatic(url)
    plan_path = server.WORK / "plan.json"
    # Our own module with fixed arguments, against the load database.
    subprocess.run(  # noqa: S603
        [server.PYTHON, "-m", "tests.perf.inventory", "plan", str(plan_path)],
        env=server.app_env(url),
        cwd=server.BASE_DIR,
        check=True,
        timeout=300,
    )
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    with server.running_server(url) as running:
        yield {
            "server": running,
            "plan": plan,
            "clients": clients,
            "database": server.database_label(url),
        }
