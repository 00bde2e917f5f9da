"""The read replica (iop/replica.py) against a real streaming replica
(tests/replica_support.py). The rest of the suite runs without a replica,
where the router sends everything to the primary."""

import re
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
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
    replica_state,
)
from tests.factories import EpisodeFactory
from tests.replica_support import caught_up

# Committed rows: a replica sees nothing uncommitted.
pytestmark = pytest.mark.django_db(transaction=True)

PROGRAM_URL = reverse("dashboard:program")
CLIENTS_URL = reverse("dashboard:program-clients")
STATUS_URL = reverse("dashboard:system-status")


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
    caught_up()

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
    caught_up()

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
    caught_up()

    response, _primary, standby = _get(browser, reverse("dashboard:worklists"))

    assert response.status_code in (200, 403)
    assert standby == []


def test_after_a_change_the_user_reads_the_primary_until_the_replica_replayed_it(
    replica, login, administrator
):
    browser = login(administrator)
    EpisodeFactory()
    caught_up()

    # A change the replica has not replayed yet (a position ahead of it).
    browser.cookies[WROTE_AT_COOKIE] = str(primary_lsn() + 10**12)
    _response, _primary, standby = _get(browser, CLIENTS_URL)
    assert standby == []

    # Once replayed, the replica serves the page again.
    browser.cookies[WROTE_AT_COOKIE] = str(primary_lsn())
    caught_up()
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
    caught_up()

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
    caught_up()
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
    caught_up()
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
    caught_up()

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
    # The section is in the page's content, not its title.
    assert "<title>System status · " in page and page.count('id="replica-heading"') == 1


def test_without_a_replica_a_post_sets_no_cookie(login, administrator):
    response = login(administrator).post(PROGRAM_URL)

    assert WROTE_AT_COOKIE not in response.cookies
