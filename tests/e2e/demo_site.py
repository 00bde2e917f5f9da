"""The demo clinic (seed_demo) behind a live server, shared by the tests of a
module: seeding takes a while, so it is done once per module and committed
(the live server's thread has its own database connection), and the
database is put back as the migrations left it afterwards.

Transactional tests flush what data migrations made (role groups and their
permissions, the curriculum, the placement table), and seed_demo needs it.
Django keeps a copy of it for tests marked `serialized_rollback=True`: the
database is serialized once, right after it is created, when any test in
the run carries that mark. Modules using demo_site carry it (DEMO_MARK) and
put that copy back, as Django's TransactionTestCase does."""

import contextlib
import time

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from pytest_django.live_server_helper import LiveServer

from devdata.management.commands.seed_demo import DEMO_PASSWORD
from iop.accounts import roles

DEMO_MARK = pytest.mark.django_db(serialized_rollback=True)


def database_reset(contents: str | None) -> None:
    """Empty the database and load what the migrations made (`contents`,
    the conftest's migrated_data)."""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=bool(contents))
    if contents:
        connection.creation.deserialize_db_from_string(contents)
    if not Group.objects.filter(name=roles.COUNSELOR).exists():
        pytest.fail(
            "The test database has lost its migrations' data (a reused database "
            "last emptied by a transactional test): run once with --create-db."
        )


@contextlib.contextmanager
def demo_site(django_db_blocker, migrated_data):
    """Seed the demo into an empty test database and serve it; yields the
    live server and how long seeding took, in seconds."""
    with django_db_blocker.unblock():
        database_reset(migrated_data)
        started = time.monotonic()
        call_command("seed_demo", verbosity=0)
        seeded_in = time.monotonic() - started
        server = LiveServer("localhost")
        try:
            yield server, seeded_in
        finally:
            server.stop()
            database_reset(migrated_data)
            # This thread's connection, so that the test database can be dropped.
            connection.close()


def sign_in(browser, server, username: str, *, viewport=None):
    """A fresh browser context signed in as a demo account; its page."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page
