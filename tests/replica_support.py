"""A real streaming replica for the tests that need one: a second
PostgreSQL cluster made with pg_basebackup from the test server
(scripts/start_replica.sh, which .ci/run starts), named by
DATABASE_REPLICA_URL; the test database, created on the primary, reaches it
by replication. The fixtures connect the "replica" alias to it for one test.

Without DATABASE_REPLICA_URL those tests are skipped, unless REQUIRE_REPLICA
is set (CI sets it: there a missing replica is a failure, not a skip)."""

import os
import time

import environ
import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from iop.replica import REPLICA, primary_lsn, replica_forget, replica_state

# A port nothing listens on: a replica that is down.
CLOSED_PORT = 9


def _replica_url() -> str:
    url = os.environ.get("DATABASE_REPLICA_URL", "")
    if not url:
        if os.environ.get("REQUIRE_REPLICA"):
            pytest.fail("REQUIRE_REPLICA is set but DATABASE_REPLICA_URL is not")
        pytest.skip("no DATABASE_REPLICA_URL (scripts/start_replica.sh starts a replica)")
    return url


def _allow_the_alias(monkeypatch) -> None:
    """Django's test cases refuse connections to an alias the test did not
    declare, and a declared alias must exist (and get a test database)
    before the test starts; this one is added once the test runs, pointing
    at the test database as replicated. Declare it on the running test case."""
    patched = BaseDatabaseWrapper.ensure_connection
    test_case = next(
        cell.cell_contents
        for cell in patched.__closure__ or ()
        if isinstance(cell.cell_contents, type) and hasattr(cell.cell_contents, "databases")
    )
    monkeypatch.setattr(test_case, "databases", {*test_case.databases, REPLICA})


def _configure(**overrides) -> None:
    config = environ.Env.db_url_config(_replica_url())
    # The test database on the primary, as replicated.
    config["NAME"] = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    config.update({"CONN_MAX_AGE": 0, "OPTIONS": {"connect_timeout": 2}, **overrides})
    configured = connections.configure_settings(
        {DEFAULT_DB_ALIAS: connections.settings[DEFAULT_DB_ALIAS], REPLICA: config}
    )
    connections.settings[REPLICA] = configured[REPLICA]
    replica_forget()


def _unconfigure() -> None:
    if hasattr(connections._connections, REPLICA):
        connections[REPLICA].close()
        delattr(connections._connections, REPLICA)
    connections.settings.pop(REPLICA, None)
    replica_forget()


@pytest.fixture
def replica(settings, monkeypatch):
    """The "replica" alias, connected to the real replica; tests using it
    need committed rows: pytest.mark.django_db(transaction=True)."""
    settings.REPLICA_CHECK_SECONDS = 0  # measured afresh on every use
    _allow_the_alias(monkeypatch)
    _configure()
    yield connections[REPLICA]
    _unconfigure()


@pytest.fixture
def replica_down(settings, monkeypatch):
    settings.REPLICA_CHECK_SECONDS = 0
    _allow_the_alias(monkeypatch)
    _configure(PORT=CLOSED_PORT, OPTIONS={"connect_timeout": 1})
    yield
    _unconfigure()


def caught_up(timeout: float = 10.0) -> None:
    """Wait until the replica has replayed everything committed so far."""
    target = primary_lsn()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = replica_state(fresh=True)
        if state.usable and state.replay_lsn >= target:
            return
        time.sleep(0.05)
    raise AssertionError(f"the replica did not catch up in {timeout} s: {replica_state()}")
