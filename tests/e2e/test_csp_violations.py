"""Pages with charts, progress bars, htmx and dialogs run under the Content-Security-
Policy without the browser refusing anything (Chromium reports each refusal on
the console, naming the Content Security Policy)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from iop.accounts import roles
from tests.factories import UserFactory
from tests.groups.factories import group_meeting_now

pytestmark = pytest.mark.e2e


@pytest.fixture
def refusals(page):
    """Console messages and page errors that tell of a blocked resource."""
    found: list[str] = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            found.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(f"page error: {error}"))
    return found


def test_group_session_and_chart_run_without_policy_refusals(
    live_server, sign_in, refusals, transactional_db
):
    counselor = UserFactory(username="counselor1", roles=[roles.COUNSELOR])
    _, session, clients = group_meeting_now(counselor, [("Avery", "Abbott")])
    page = sign_in("counselor1")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # htmx saves an attendance toggle in place (its attributes are not eval).
    page.goto(live_server.url + reverse("groups:session-detail", args=[session.public_id]))
    row = page.locator(f'[data-testid="roster-row"][data-client="{clients[0].display_name}"]')
    with page.expect_response(lambda response: "/attendance/" in response.url) as saved:
        row.get_by_text("Late", exact=True).click()
    assert saved.value.status == 200
    expect(row.get_by_role("status")).to_have_text("saved")
    # The remark box grows with its text; the confirmation dialog opens.
    row.get_by_label(f"Participation of {clients[0].display_name}").select_option("active")
    row.get_by_label(f"Remark on {clients[0].display_name}").fill("A line\nand another")
    page.get_by_role("button", name="Save and sign all").click()
    dialog = page.get_by_role("dialog", name="This cannot be undone")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Go back").click()
    expect(dialog).to_be_hidden()

    # The chart's progress bars get their width from data-progress, in the
    # Groups section htmx loads when it is opened.
    page.goto(live_server.url + reverse("clients:client-detail", args=[clients[0].public_id]))
    sections = page.get_by_role("navigation", name="Chart sections")
    sections.get_by_role("link", name="Groups", exact=True).click()
    bar = page.get_by_test_id("progress-rp").locator(".progress-bar")
    percent = bar.get_attribute("data-progress")
    assert percent is not None
    assert bar.evaluate("element => element.style.width") == f"{percent}%"

    assert refusals == []


def test_program_dashboard_draws_its_charts_without_policy_refusals(
    live_server, sign_in, refusals, transactional_db
):
    UserFactory(username="admin", roles=[roles.ADMINISTRATOR], is_staff=True)
    page = sign_in("admin")
    page.goto(live_server.url + reverse("dashboard:program"))
    canvas = page.locator("canvas").first
    expect(canvas).to_be_visible()
    # Chart.js sizes its canvas through the CSSOM once it has drawn.
    page.wait_for_function("() => !!document.querySelector('canvas').style.width")
    assert refusals == []
