"""The group session page on a tablet held upright (768 x 1024): each client
is a card, nothing scrolls sideways, the plan objective shows, the remark box
grows with its text and the participation select keeps the focus."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from iop.accounts import roles
from iop.clients.services import plans
from tests.e2e.axe import axe_violations, report
from tests.factories import UserFactory
from tests.groups.factories import group_meeting_now

pytestmark = pytest.mark.e2e

NAMES = [("Avery", "Abbott"), ("Blake", "Brennan"), ("Casey", "Castillo")]
TABLET = {"width": 768, "height": 1024}
LONG_REMARK = (
    "Named the drive home past the bar as her trigger and planned a new route; "
    "talked about her sister's wedding next month, where alcohol will be served, "
    "and rehearsed what she will say when offered a drink."
)


def _active_objective(client, counselor):
    draft = plans.plan_start_draft(actor=counselor, episode=client.episodes.get())
    problem = plans.plan_add_problem(actor=counselor, plan=draft, statement="Drinking daily")
    goal = plans.plan_add_goal(actor=counselor, problem=problem, statement="Abstinence")
    plans.plan_add_objective(
        actor=counselor,
        goal=goal,
        statement="Two mutual-help meetings a week",
        target_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    plans.plan_sign(actor=counselor, plan=draft, client_agreed_on=timezone.localdate())


def test_group_page_fits_a_tablet_as_cards_with_the_objective(
    live_server, sign_in, transactional_db
):
    counselor = UserFactory(
        username="counselor1", first_name="Casey", last_name="Rivera", roles=[roles.COUNSELOR]
    )
    _group, session, (abbott, brennan, _castillo) = group_meeting_now(counselor, NAMES)
    _active_objective(abbott, counselor)
    page = sign_in("counselor1")
    page.set_viewport_size(TABLET)
    page.goto(live_server.url + reverse("groups:session-detail", args=[session.public_id]))
    page.wait_for_load_state("load")

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    row = page.locator(f'[data-testid="roster-row"][data-client="{abbott.display_name}"]')
    objective = row.get_by_label(f"Plan objective addressed for {abbott.display_name}")
    expect(objective).to_be_visible()
    expect(objective).to_be_in_viewport()
    # A card: its labels show, the column headers do not.
    expect(row.locator("label", has_text="Participation")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Plan objective")).to_be_hidden()

    remark = row.get_by_label(f"Remark on {abbott.display_name}")
    before = remark.bounding_box()["height"]
    remark.fill(LONG_REMARK)
    after = remark.bounding_box()["height"]
    assert after > before * 2
    # Everything written is shown: the box is as tall as its text.
    assert remark.evaluate("(box) => box.scrollHeight <= box.clientHeight + 2")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    violations = axe_violations(page, label="group session, tablet")
    assert not violations, report(violations)
    page.get_by_role("button", name="Save and sign all").click()
    dialog = page.get_by_role("dialog", name="This cannot be undone")
    expect(dialog.get_by_role("button", name="Go back")).to_be_focused()
    violations = axe_violations(page, label="group session, confirmation open")
    assert not violations, report(violations)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Save and sign all")).to_be_focused()

    # Choosing a participation level leaves the focus where it is (WCAG 3.2.2).
    participation = page.get_by_label(f"Participation of {brennan.display_name}")
    participation.focus()
    participation.select_option("active")
    expect(participation).to_be_focused()


def test_group_page_is_a_table_on_a_wide_screen(live_server, sign_in, transactional_db):
    counselor = UserFactory(username="counselor1", roles=[roles.COUNSELOR])
    _group, session, _clients = group_meeting_now(counselor, NAMES)
    page = sign_in("counselor1")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("groups:session-detail", args=[session.public_id]))

    expect(page.get_by_role("columnheader", name="Plan objective")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
