"""The intake journey and documenting a group with the keyboard alone
(WCAG 2.1.1, keyboard): no mouse, no click. Focus moves only with Tab,
controls are worked with Enter, Space, the arrow keys and typing
(tests/e2e/keyboard.py). The steps are those of test_screening_journey.py
and test_group_journey.py."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import Attendance, GroupSession
from iop.accounts import roles
from iop.clients.models import Appointment, Client, Episode
from screening.instruments.mood import PHQ_9
from screening.models import SafetyFlag, Screening
from tests.e2e.conftest import PASSWORD
from tests.e2e.keyboard import check, choose, fill, open_menu, pick, press, tab_to
from tests.factories import UserFactory, answered_demographics
from tests.groups.factories import group_meeting_now

pytestmark = pytest.mark.e2e

RATINGS = {"D1": 1, "D2": 2, "D3": 2, "D4": 1, "D5": 2, "D6": 1}


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    fill(page, page.get_by_label("Username"), username)
    fill(page, page.get_by_label("Password"), PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def _type_date(page, field, day: datetime.date, at: datetime.time | None = None):
    """Chromium's date fields take the digits in the locale's order (en-US:
    month, day, year), then hours, minutes and AM/PM."""
    tab_to(page, field)
    page.keyboard.type(day.strftime("%m%d%Y"))
    if at is not None:
        page.keyboard.type(at.strftime("%I%M%p"))


def _option_label(item, points):
    option = next(option for option in item.options if option.points == points)
    return f"{option.label} ({option.points})"


def test_intake_refers_screens_and_admits_a_client_with_the_keyboard_alone(
    page, live_server, transactional_db
):
    UserFactory(username="intake", roles=[roles.INTAKE])
    UserFactory(
        username="counselor1", first_name="Casey", last_name="Rivera", roles=[roles.COUNSELOR]
    )
    _sign_in(page, live_server, "intake")

    # The referral, from the navigation's Clients menu.
    navigation = page.get_by_role("navigation", name="Main navigation")
    open_menu(
        page,
        navigation.get_by_role("button", name="Clients"),
        navigation.get_by_role("link", name="New referral"),
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("New referral")
    fill(page, page.get_by_label("Legal first name"), "Robin")
    fill(page, page.get_by_label("Legal last name"), "Okafor")
    _type_date(page, page.get_by_label("Date of birth"), datetime.date(1984, 3, 9))
    choose(page, page.get_by_label("Sex assigned at birth"), "Female")
    choose(page, page.get_by_label("Referral source"), "Court / criminal justice / DUI")
    primary = page.get_by_role("group", name="Primary", exact=True)
    choose(page, primary.get_by_label("Substance"), "Alcohol")
    choose(page, primary.get_by_label("Route"), "Oral")
    choose(page, primary.get_by_label("Frequency"), "Daily")
    fill(page, primary.get_by_label("Age at first use"), "15")
    press(page, page.get_by_role("button", name="Register referral"))

    # The new client's chart, and the screening visit.
    expect(page.get_by_role("heading", level=1)).to_have_text("Robin Okafor")
    press(page, page.get_by_role("button", name="Start screening"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening of Robin Okafor")

    # PHQ-9 with item 9 positive raises a safety flag.
    press(page, page.get_by_role("link", name="Give PHQ-9"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("(PHQ-9)")
    for number, item in enumerate(PHQ_9.items, start=1):
        if item.scored:
            group = page.get_by_role("group", name=f"{number}. {item.text}")
            pick(page, group, _option_label(item, 1 if item.key == "9" else 0))
    press(page, page.get_by_role("button", name="Save and score"))
    alert = page.get_by_test_id("safety-alert")
    expect(alert).to_contain_text("PHQ-9 item 9")

    # The action taken on the flag.
    press(page, alert.get_by_role("link", name="Record action taken"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Safety flag")
    pick(
        page,
        page.get_by_role("group", name="Action taken"),
        "Safety plan completed with the client",
    )
    fill(
        page,
        page.get_by_label("What was done, with whom, and when"),
        "Safety plan written with the client; crisis line numbers given.",
    )
    press(page, page.get_by_role("button", name="Record the action"))
    expect(page.get_by_text("Safety flag addressed:")).to_be_visible()

    # The six dimensions.
    for dimension, rating in RATINGS.items():
        pick(page, page.get_by_role("group", name=re.compile(rf"^{dimension} ")), str(rating))
        fill(page, page.get_by_label(f"Why {dimension} is rated so"), f"{dimension}: seen today")
    press(page, page.get_by_role("button", name="Save ratings"))
    expect(page.get_by_test_id("recommendation")).to_contain_text("2.1")
    # The TEDS items (their form is driven in test_screening_journey.py).
    answered_demographics(Client.objects.get(legal_last_name="Okafor").episodes.get())

    # The admission at 2.1 with counselor1.
    orientation_day = timezone.localdate() + datetime.timedelta(days=3)
    check(page, page.get_by_label("Admit to the program"))
    choose(page, page.get_by_label("Level of care or service"), "2.1 Intensive outpatient")
    choose(page, page.get_by_label("Primary counselor (admission)"), "Casey Rivera")
    _type_date(
        page,
        page.get_by_label("Orientation session (admission)"),
        orientation_day,
        datetime.time(10, 30),
    )
    press(page, page.get_by_role("button", name="Complete and sign the screening"))
    dialog = page.get_by_role("dialog", name="This cannot be undone")
    expect(dialog.get_by_role("button", name="Go back")).to_be_focused()
    with page.expect_response(
        lambda response: response.request.method == "POST" and response.url.endswith("/complete/")
    ) as completion:
        press(page, dialog.get_by_role("button", name="Complete and sign"))
    assert completion.value.status == 302

    episode = Client.objects.get(legal_last_name="Okafor").episodes.get()
    assert (episode.phase, episode.level_of_care) == (Episode.Phase.INTENSIVE, "2.1")
    assert episode.primary_counselor.username == "counselor1"
    flag = SafetyFlag.objects.get(client=episode.client)
    assert (flag.is_open, flag.action) == (False, SafetyFlag.Action.SAFETY_PLAN)
    screening = Screening.objects.get(episode=episode)
    assert (screening.recommended_level, screening.decided_level) == ("2.1", "2.1")
    orientation = timezone.localtime(Appointment.objects.get(episode=episode).starts_at)
    assert (orientation.date(), orientation.time()) == (orientation_day, datetime.time(10, 30))


GROUP_CLIENTS = [("Avery", "Abbott"), ("Blake", "Brennan"), ("Casey", "Castillo")]


def test_a_counselor_documents_and_signs_a_group_with_the_keyboard_alone(
    page, live_server, transactional_db
):
    counselor = UserFactory(
        username="counselor1", first_name="Casey", last_name="Rivera", roles=[roles.COUNSELOR]
    )
    _group, session, (abbott, brennan, castillo) = group_meeting_now(
        counselor, GROUP_CLIENTS, name="Relapse Prevention Evening"
    )
    _sign_in(page, live_server, "counselor1")

    # My day, from the navigation's My work menu, lists the group.
    navigation = page.get_by_role("navigation", name="Main navigation")
    open_menu(
        page,
        navigation.get_by_role("button", name="My work"),
        navigation.get_by_role("link", name="My day"),
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("My day")
    press(page, page.get_by_role("link", name="Relapse Prevention Evening"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Relapse Prevention Evening")
    page.wait_for_load_state("load")  # htmx wires the attendance toggles

    # Attendance, saved as it changes; the arrow keys move through the choices,
    # and Alt+N (named in the help above the roster) goes to the next client.
    expect(page.get_by_text("Alt+N goes to the next client")).to_be_visible()
    attendance = {abbott: "Late", brennan: "Absent", castillo: "Present"}
    for number, (client, label) in enumerate(attendance.items()):
        group = page.get_by_role("group", name=f"Attendance of {client.display_name}")
        if number:
            page.keyboard.press("Alt+N")
            expect(group.get_by_role("radio").first).to_be_focused()
        pick(page, group, label)
        expect(group.get_by_label(label, exact=True)).to_be_checked()
        # The saved row is swapped in, and the focus stays where it was.
        expect(group.get_by_label(label, exact=True)).to_be_focused()
    # Alt+P goes back to the previous client.
    page.keyboard.press("Alt+P")
    expect(
        page.get_by_role("group", name=f"Attendance of {brennan.display_name}").get_by_label(
            "Absent", exact=True
        )
    ).to_be_focused()
    # The note once, and a line for each client who came.
    fill(
        page,
        page.get_by_label("Group note (topic, content, process)"),
        "Alcohol as the legal drug: where it shows up in each person's week.",
    )
    remarks = {
        abbott: "Arrived late; named Friday happy hour as the risk, planned a gym class.",
        castillo: "Described a craving at a family dinner and the text she sent her sponsor.",
    }
    for client, remark in remarks.items():
        choose(
            page, page.get_by_label(f"Participation of {client.display_name}"), "Actively engaged"
        )
        fill(page, page.get_by_label(f"Remark on {client.display_name}"), remark)
    press(page, page.get_by_role("button", name="Save and sign all"))
    # The confirmation opens with the focus on its safe choice; Tab reaches
    # its Sign button.
    dialog = page.get_by_role("dialog", name="This cannot be undone")
    expect(dialog.get_by_role("button", name="Go back")).to_be_focused()
    press(page, dialog.get_by_role("button", name="Sign all"))

    expect(page.get_by_text("Group note and participant lines signed.")).to_be_visible()
    session.refresh_from_db()
    assert session.signed_by == counselor
    statuses = dict(
        Attendance.objects.filter(session=session).values_list("client__legal_last_name", "status")
    )
    assert statuses == {"Abbott": "late", "Brennan": "absent", "Castillo": "present"}
    assert not Attendance.objects.filter(session=session, signed_at__isnull=True).exists()
    assert GroupSession.objects.get(pk=session.pk).summary.startswith("Alcohol as the legal drug")
