"""The read replica (iop/replica.py) against a real streaming replica: a
second PostgreSQL cluster made with pg_basebackup from the test server
(scripts/start_replica.sh, which .ci/run starts). DATABASE_REPLICA_URL names
it; the test database, created on the primary, reaches it by replication.

Without DATABASE_REPLICA_URL these tests are skipped, unless REQUIRE_REPLICA
is set (CI sets it: there a missing replica is a failure, not a skip). The
rest of the suite runs without a replica, where the router sends everything
to the primary."""

import os
import re
import time

import environ
import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import InternalError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iop.accounts.models import User
from iop.clients.models import Client
from iop.replica import (
    REPLICA,
    WROTE_AT_COOKIE,
    primary_lsn,
    reading_from_replica,
    replica_forget,
    replica_state,
)
from tests.factories import EpisodeFactory

# Committed rows: a replica sees nothing uncommitted.
pytestmark = pytest.mark.django_db(transaction=True)

PROGRAM_URL = reverse("dashboard:program")
CLIENTS_URL = reverse("dashboard:program-clients")
STATUS_URL = reverse("dashboard:system-status")
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


def _caught_up(timeout: float = 10.0) -> None:
    """Wait until the replica has replayed everything committed so far."""
    target = primary_lsn()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = replica_state(fresh=True)
        if state.usable and state.replay_lsn >= target:
            return
        time.sleep(0.05)
    raise AssertionError(f"the replica did not catch up in {timeout} s: {replica_state()}")


def _tables(queries) -> str:
    return " ".join(query["sql"] for query in queries)


def _get(browser, url, **kwargs):
    """A page, with the statements each database received."""
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as standby,
    ):
        response = browser.get(url, **kwargs)
    # The router's own check of the replica's state is not the page's.
    reads = [query for query in standby.captured_queries if "pg_is_in_recovery" not in query["sql"]]
    return response, primary.captured_queries, reads


def test_it_is_a_real_standby_that_replays_the_primary(replica):
    client = EpisodeFactory().client
    _caught_up()

    assert replica_state(fresh=True).status == "ok"
    assert Client.objects.using(REPLICA).filter(pk=client.pk).exists()
    with (
        pytest.raises(InternalError, match="read-only transaction"),
        connections[REPLICA].cursor() as cursor,
    ):
        cursor.execute("UPDATE clients_client SET legal_first_name = 'x'")


def test_a_dashboard_reads_the_replica_and_who_the_user_is_from_the_primary(
    replica, login, administrator
):
    EpisodeFactory.create_batch(3)
    browser = login(administrator)
    _caught_up()

    response, primary, standby = _get(browser, PROGRAM_URL)

    assert response.status_code == 200
    assert standby, "the dashboard read nothing from the replica"
    assert not [q for q in standby if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    assert "clients_episode" in _tables(standby)
    # Who the user is (the session, their row and roles), and the audit
    # trail: the primary's. (A figure may join a counselor's name.)
    for table in ('FROM "django_session"', 'FROM "accounts_user"'):
        assert table in _tables(primary) and table not in _tables(standby)
    assert "audit_" not in _tables(standby)


def test_pages_not_marked_for_the_replica_read_the_primary(replica, login, administrator):
    browser = login(administrator)
    _caught_up()

    response, _primary, standby = _get(browser, reverse("dashboard:worklists"))

    assert response.status_code in (200, 403)
    assert standby == []


def test_after_a_change_the_user_reads_the_primary_until_the_replica_replayed_it(
    replica, login, administrator
):
    browser = login(administrator)
    EpisodeFactory()
    _caught_up()

    # A change the replica has not replayed yet (a position ahead of it).
    browser.cookies[WROTE_AT_COOKIE] = str(primary_lsn() + 10**12)
    _response, _primary, standby = _get(browser, CLIENTS_URL)
    assert standby == []

    # Once replayed, the replica serves the page again.
    browser.cookies[WROTE_AT_COOKIE] = str(primary_lsn())
    _caught_up()
    _response, _primary, standby = _get(browser, CLIENTS_URL)
    assert standby


def test_a_post_leaves_the_position_of_the_change_in_a_cookie(replica, login, administrator):
    browser = login(administrator)
    before = primary_lsn()

    response = browser.post(reverse("dashboard:program"))

    assert int(response.cookies[WROTE_AT_COOKIE].value) >= before
    assert response.cookies[WROTE_AT_COOKIE]["httponly"]


def test_the_router_keeps_writes_transactions_and_access_tables_on_the_primary(replica):
    earlier = EpisodeFactory().client
    _caught_up()

    with reading_from_replica() as used:
        assert used
        assert Client.objects.all().db == REPLICA
        # Who may see what is never read a replica's lag late.
        assert User.objects.all().db == DEFAULT_DB_ALIAS
        # A read inside a transaction on the primary sees that transaction.
        with transaction.atomic():
            created = EpisodeFactory().client
            assert Client.objects.all().db == DEFAULT_DB_ALIAS
            assert Client.objects.filter(pk=created.pk).exists()
        # Saving an object read from the replica writes to the primary.
        client = Client.objects.get(pk=earlier.pk)
        assert client._state.db == REPLICA
        client.preferred_name = "Replica-read"
        client.save(update_fields=["preferred_name"])
    assert Client.objects.using(DEFAULT_DB_ALIAS).get(pk=client.pk).preferred_name == (
        "Replica-read"
    )


def test_a_replica_too_far_behind_is_skipped(replica, settings, login, administrator):
    settings.REPLICA_MAX_LAG_SECONDS = 1
    browser = login(administrator)
    _caught_up()
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        EpisodeFactory()  # committed on the primary, not replayed
        time.sleep(1.5)

        state = replica_state(fresh=True)
        assert state.status == "behind" and state.lag_seconds > 1
        _response, _primary, standby = _get(browser, CLIENTS_URL)
        assert standby == []
        page = browser.get(STATUS_URL).content.decode()
        assert "Skipped" in page
    finally:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    _caught_up()
    assert replica_state(fresh=True).status == "ok"


def test_a_replica_that_is_down_is_skipped_and_shown(replica_down, login, administrator):
    browser = login(administrator)

    assert replica_state(fresh=True).status == "down"
    response = browser.get(CLIENTS_URL)
    assert response.status_code == 200
    page = browser.get(STATUS_URL).content.decode()
    assert "Down" in page and "every page reads the primary" in page


def test_system_status_shows_the_replica_in_use_and_its_lag(replica, login, administrator):
    browser = login(administrator)
    _caught_up()

    page = browser.get(STATUS_URL).content.decode()

    assert "In use" in page and "seconds behind the primary" in page


# --- without a replica: the rest of the suite's configuration ---------------------------


def test_without_a_replica_everything_reads_the_primary(login, administrator):
    assert replica_state().status == "off"
    with reading_from_replica() as used:
        assert not used
        assert Client.objects.all().db == DEFAULT_DB_ALIAS

    page = login(administrator).get(STATUS_URL).content.decode()
    assert "No read replica is configured" in page


def test_without_a_replica_a_post_sets_no_cookie(login, administrator):
    response = login(administrator).post(PROGRAM_URL)

    assert WROTE_AT_COOKIE not in response.cookies
