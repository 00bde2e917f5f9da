"""Playwright with Debian's Chromium. Browser tests are part of the suite;
they skip, saying why, only where no Chromium is installed."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the Django
# calls made by the tests themselves are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "correct-horse-battery-staple"  # the factories' password


def pytest_collection_modifyitems(items):
    if CHROMIUM is None:
        skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
        for item in items:
            if "tests/e2e/" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def migrated_data(django_db_setup):
    """What the migrations put in the test database, as Django serialized it
    for tests marked `serialized_rollback=True` (None when no test in the run
    is: Django then keeps no copy). Read before the browser starts: once
    Playwright runs its event loop in this thread, Django (asgiref's Local)
    gives the thread another connection object, without the copy."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture(scope="session")
def browser(migrated_data):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server, page):
    def _sign_in(username, password=PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        return page

    return _sign_in
