"""The idle-logoff warning in a real browser: one minute before the idle limit
a dialog offers to stay signed in; staying keeps the session, ignoring it
signs the person out."""

import pytest
from playwright.sync_api import expect

from iop.audit.models import AuditEvent

pytestmark = pytest.mark.e2e

# The warning shows at idle - 60 s: ten seconds after the page loads.
IDLE_SECONDS = 70


@pytest.fixture
def short_idle(settings):
    settings.SESSION_IDLE_SECONDS = IDLE_SECONDS


def test_warning_appears_and_stay_signed_in_keeps_the_session(
    short_idle, sign_in, counselor1, transactional_db
):
    page = sign_in("counselor1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible(timeout=20_000)
    expect(dialog).to_contain_text("You will be signed out in")
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()

    with page.expect_response("**/accounts/session/keepalive/") as answer:
        page.get_by_role("button", name="Stay signed in").click()

    expect(dialog).to_be_hidden()
    # The server restarted the idle clock: the whole idle time is left again.
    assert answer.value.json()["seconds_left"] >= IDLE_SECONDS - 1
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_ignoring_the_warning_signs_out_to_the_login_page(
    short_idle, sign_in, counselor1, transactional_db
):
    page = sign_in("counselor1")
    expect(page.get_by_role("alertdialog")).to_be_visible(timeout=20_000)

    page.wait_for_url("**/accounts/login/**", timeout=80_000)

    expect(page.get_by_role("alert")).to_contain_text("signed out after")
    assert AuditEvent.objects.filter(
        actor=counselor1, action=AuditEvent.Action.LOGOUT, details={"reason": "idle"}
    ).exists()


def test_activity_in_another_tab_postpones_the_warning(
    short_idle, sign_in, counselor1, transactional_db, live_server
):
    first = sign_in("counselor1")
    expect(first.get_by_role("heading", level=1)).to_contain_text("Welcome")
    first.wait_for_timeout(6_000)
    second = first.context.new_page()
    second.goto(f"{live_server.url}/")  # activity six seconds later, in another tab

    # The first tab would warn at ten seconds; the server says more time is left.
    first.wait_for_timeout(7_000)
    expect(first.get_by_role("alertdialog")).to_have_count(0)
    # It warns when the session, touched in the second tab, nears its end.
    expect(first.get_by_role("alertdialog")).to_be_visible(timeout=15_000)


def test_a_page_whose_session_ended_elsewhere_goes_to_the_login_page(
    short_idle, sign_in, counselor1, transactional_db
):
    """Signed out on another device (or deactivated): the session is gone, so
    the status check is sent to sign in rather than answered. The page, which
    may show client data, must not stay on the screen."""
    from iop.accounts.services import user_sessions_end

    page = sign_in("counselor1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    user_sessions_end(user=counselor1)

    # The first status check comes ten seconds after the page loaded.
    page.wait_for_url("**/accounts/login/**", timeout=25_000)
