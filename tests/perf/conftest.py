"""Benchmarks: not part of `make test`. They run only with OPENIOP_BENCH=1
(`make bench`); without it every test here is collected and skipped."""

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SKIP_REASON = "benchmark: set OPENIOP_BENCH=1 to run it (make bench); not part of make test"


def pytest_configure(config):
    config.addinivalue_line("markers", "perf: benchmarks (run with OPENIOP_BENCH=1)")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("OPENIOP_BENCH") == "1":
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        # This hook sees the whole session's items: mark only this folder's.
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(skip)
