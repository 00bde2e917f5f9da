"""A counselor documents today's Relapse Prevention group from My day on one
screen and signs it; the client's chart then shows the progress
(DOMAIN.md sections 2 and 5a)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from groups.models import Attendance, GroupSession
from iop.accounts import roles
from tests.factories import UserFactory
from tests.groups.factories import group_meeting_now

pytestmark = pytest.mark.e2e

NAMES = [("Avery", "Abbott"), ("Blake", "Brennan"), ("Casey", "Castillo"), ("Drew", "Dalton")]


def _row(page, client):
    return page.locator(f'[data-testid="roster-row"][data-client="{client.display_name}"]')


def _mark(page, client, label):
    """Click an attendance label and wait until htmx has saved the row and
    swapped it in (a row already saved once shows the badge before)."""
    row = _row(page, client)
    with page.expect_response(lambda response: "/attendance/" in response.url) as saved:
        row.get_by_text(label, exact=True).click()
    assert saved.value.status == 200
    expect(row.get_by_role("status")).to_have_text("saved")
    expect(row.get_by_label(label, exact=True)).to_be_checked()


def _progress(page):
    return page.get_by_test_id("progress-rp").get_by_test_id("progress-count")


def test_counselor_documents_and_signs_a_group_from_my_day(live_server, sign_in, transactional_db):
    counselor = UserFactory(
        username="counselor1", first_name="Casey", last_name="Rivera", roles=[roles.COUNSELOR]
    )
    group, session, (abbott, brennan, castillo, dalton) = group_meeting_now(
        counselor, NAMES, name="Relapse Prevention Evening"
    )

    page = sign_in("counselor1")
    # Before the group: nothing attended yet.
    chart = reverse("clients:client-detail", args=[castillo.public_id])
    page.goto(f"{live_server.url}{chart}?section=groups")
    expect(_progress(page)).to_have_text("0 of 32 sessions")

    # My day lists the group; its page is the one screen to document it.
    navigation = page.get_by_role("navigation", name="Main navigation")
    navigation.get_by_role("button", name="My work").click()
    navigation.get_by_role("link", name="My day").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My day")
    page.get_by_role("link", name="Relapse Prevention Evening").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relapse Prevention Evening")
    expect(page.get_by_text("1. Alcohol: The Legal Drug")).to_be_visible()
    expect(page.get_by_test_id("roster-row")).to_have_count(4)
    # htmx wires the toggles once the page has loaded; a click before that
    # would change the radio without saving it.
    page.wait_for_load_state("load")

    # Attendance saves in place as it is toggled.
    _mark(page, abbott, "Late")
    _mark(page, brennan, "Absent")
    _mark(page, castillo, "Excused")
    _mark(page, castillo, "Present")
    _mark(page, dalton, "Late")
    _mark(page, dalton, "Present")
    assert dict(
        Attendance.objects.filter(session=session).values_list("client__legal_last_name", "status")
    ) == {"Abbott": "late", "Brennan": "absent", "Castillo": "present", "Dalton": "present"}

    # The group note once, and a line per attended client.
    page.get_by_label("Group note (topic, content, process)").fill(
        "Alcohol as the legal drug: where it shows up in each person's week, and plans to avoid it."
    )
    remarks = {
        abbott: "Arrived late; named Friday happy hour as the risk, planned a gym class.",
        castillo: "Described a craving at a family dinner and the text she sent her sponsor.",
        dalton: "Quiet at first, then shared that he has removed all alcohol from his home.",
    }
    for client, remark in remarks.items():
        page.get_by_label(f"Participation of {client.display_name}").select_option("active")
        page.get_by_label(f"Remark on {client.display_name}").fill(remark)
    page.get_by_role("button", name="Save and sign all").click()
    # Signing locks the lines: the dialog asks first.
    dialog = page.get_by_role("dialog", name="This cannot be undone")
    expect(dialog).to_contain_text("only an addendum can be added")
    dialog.get_by_role("button", name="Sign all").click()

    expect(page.get_by_text("Group note and participant lines signed.")).to_be_visible()
    expect(page.get_by_text("Signed by Casey Rivera")).to_be_visible()
    session.refresh_from_db()
    assert session.signed_by == counselor
    assert not Attendance.objects.filter(session=session, signed_at__isnull=True).exists()
    assert GroupSession.objects.get(pk=session.pk).summary.startswith("Alcohol as the legal drug")

    # The client's chart shows one more Relapse Prevention session attended.
    _row(page, castillo).get_by_role("link", name="Castillo, Casey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(castillo.display_name)
    sections = page.get_by_role("navigation", name="Chart sections")
    sections.get_by_role("link", name="Groups", exact=True).click()
    expect(_progress(page)).to_have_text("1 of 32 sessions")
    expect(page.get_by_text("1. Alcohol: The Legal Drug")).to_be_attached()


def test_a_counselor_undoes_an_attendance_mark_within_seconds(
    live_server, sign_in, transactional_db
):
    counselor = UserFactory(username="counselor1", roles=[roles.COUNSELOR])
    _group, session, (abbott, _brennan) = group_meeting_now(counselor, NAMES[:2])
    page = sign_in("counselor1")
    page.goto(live_server.url + reverse("groups:session-detail", args=[session.public_id]))
    page.wait_for_load_state("load")

    _mark(page, abbott, "Absent")
    row = _row(page, abbott)
    with page.expect_response(lambda response: "/attendance/" in response.url):
        row.get_by_role("button", name="Undo (back to Present)").click()
    expect(row.get_by_label("Present", exact=True)).to_be_checked()
    expect(row.get_by_label("Present", exact=True)).to_be_focused()
    assert Attendance.objects.get(session=session, client=abbott).status == "present"

    # The offer lasts a few seconds, then goes.
    _mark(page, abbott, "Late")
    undo = row.get_by_role("button", name="Undo (back to Present)")
    expect(undo).to_be_visible()
    expect(undo).to_be_hidden(timeout=12_000)
