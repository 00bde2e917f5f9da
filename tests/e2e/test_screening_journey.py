"""The intake journey in the browser: a referral, a screening visit whose
PHQ-9 raises a safety flag, the action taken, the six dimension ratings and
the admission (DOMAIN.md sections 3 and 4)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from iop.accounts import roles
from iop.clients.models import Appointment, CaseloadAssignment, Client, Episode
from iop.reminders.models import StaffNotification
from screening.instruments.mood import PHQ_9
from screening.models import SafetyFlag, Screening
from tests.e2e.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

# D1..D6: D2 is over the 1.0 cap, everything fits 2.1 (the default table).
RATINGS = {"D1": 1, "D2": 2, "D3": 2, "D4": 1, "D5": 2, "D6": 1}


def _option_label(item, points):
    """The radio's label as InstrumentForm writes it: "<option> (<points>)"."""
    option = next(option for option in item.options if option.points == points)
    return f"{option.label} ({option.points})"


def _answer_phq9(page, *, item9):
    for number, item in enumerate(PHQ_9.items, start=1):
        if not item.scored:
            continue  # the difficulty question is optional
        points = item9 if item.key == "9" else 0
        group = page.get_by_role("group", name=f"{number}. {item.text}")
        group.get_by_text(_option_label(item, points), exact=True).click()


def _sign_in_elsewhere(browser, live_server, username):
    """A second person, in a browser context of their own."""
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_intake_refers_screens_and_admits_a_client(sign_in, browser, live_server, transactional_db):
    UserFactory(username="intake", roles=[roles.INTAKE])
    UserFactory(username="supervisor", roles=[roles.SUPERVISOR])
    counselor1 = UserFactory(
        username="counselor1", first_name="Casey", last_name="Rivera", roles=[roles.COUNSELOR]
    )

    # The referral.
    page = sign_in("intake")
    navigation = page.get_by_role("navigation", name="Main navigation")
    navigation.get_by_role("button", name="Clients").click()
    navigation.get_by_role("link", name="New referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New referral")
    page.get_by_label("Legal first name").fill("Robin")
    page.get_by_label("Legal last name").fill("Okafor")
    page.get_by_label("Date of birth").fill("1984-03-09")
    page.get_by_label("Sex assigned at birth").select_option(label="Female")
    page.get_by_label("Referral source").select_option(label="Court / criminal justice / DUI")
    primary = page.get_by_role("group", name="Primary", exact=True)
    primary.get_by_label("Substance").select_option(label="Alcohol")
    primary.get_by_label("Route").select_option(label="Oral")
    primary.get_by_label("Frequency").select_option(label="Daily")
    primary.get_by_label("Age at first use").fill("15")
    page.get_by_role("button", name="Register referral").click()

    # The chart of the new client, and the screening visit.
    expect(page.get_by_role("heading", level=1)).to_have_text("Robin Okafor")
    page.get_by_role("button", name="Start screening").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening of Robin Okafor")

    # PHQ-9 with item 9 positive raises a safety flag.
    page.get_by_role("link", name="Give PHQ-9").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("(PHQ-9)")
    _answer_phq9(page, item9=1)
    page.get_by_role("button", name="Save and score").click()
    alert = page.get_by_test_id("safety-alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("PHQ-9 item 9")

    # The action taken on the flag.
    alert.get_by_role("link", name="Record action taken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safety flag")
    page.get_by_text("Safety plan completed with the client", exact=True).click()
    page.get_by_label("What was done, with whom, and when").fill(
        "Safety plan written with the client; crisis line numbers given."
    )
    page.get_by_role("button", name="Record the action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening of Robin Okafor")
    expect(page.get_by_test_id("safety-alert")).to_have_count(0)
    expect(page.get_by_text("Safety flag addressed:")).to_be_visible()

    # The six dimensions, and the recommendation they give.
    for dimension, rating in RATINGS.items():
        group = page.get_by_role("group", name=re.compile(rf"^{dimension} "))
        group.get_by_text(str(rating), exact=True).click()
        page.get_by_label(f"Why {dimension} is rated so").fill(f"{dimension}: seen today")
    page.get_by_role("button", name="Save ratings").click()
    recommendation = page.get_by_test_id("recommendation")
    expect(recommendation).to_contain_text("2.1")
    expect(recommendation).to_contain_text("Intensive outpatient")

    # The TEDS items an admission needs, from the screening page's list.
    missing = page.get_by_test_id("missing-teds-items")
    missing.get_by_role("link", name="Marital status").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demographics and TEDS items")
    page.get_by_label("Black or African American").check()
    page.get_by_label("Ethnicity").select_option(label="Client declined to answer")
    page.get_by_label("Marital status").select_option(label="Never married")
    page.get_by_label("Veteran").select_option(label="No")
    page.get_by_label("Health insurance").select_option(label="Medicaid")
    page.get_by_label("Primary source of payment").select_option(label="Medicaid")
    page.get_by_label("Primary source of income").select_option(label="Unknown")
    page.get_by_label("Arrests in the 30 days before admission").select_option(label="None")
    page.get_by_label(
        "Self-help (mutual-help) attendance in the 30 days before admission"
    ).select_option(label="No attendance")
    page.get_by_label("Pregnant at admission").select_option(label="No")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening of Robin Okafor")
    expect(page.get_by_test_id("missing-teds-items")).to_have_count(0)

    # Admission at 2.1 with counselor1. The decision matches the
    # recommendation, so no reason is required.
    orientation_day = timezone.localdate() + datetime.timedelta(days=3)
    page.get_by_label("Admit to the program").check()
    page.get_by_label("Level of care or service").select_option("2.1")
    page.get_by_label("Primary counselor (admission)").select_option(label="Casey Rivera")
    page.get_by_label("Orientation session (admission)").fill(f"{orientation_day}T10:30")
    # Signing locks the screening: the dialog asks first.
    page.get_by_role("button", name="Complete and sign the screening").click()
    with page.expect_response(
        lambda response: response.request.method == "POST" and response.url.endswith("/complete/")
    ) as completion:
        page.get_by_role("dialog").get_by_role("button", name="Complete and sign").click()
    assert completion.value.status == 302

    # What the admission wrote.
    client = Client.objects.get(legal_last_name="Okafor")
    episode = client.episodes.get()
    assert (episode.phase, episode.level_of_care) == (Episode.Phase.INTENSIVE, "2.1")
    assert (episode.primary_counselor, episode.admission_date) == (counselor1, timezone.localdate())
    assert CaseloadAssignment.objects.filter(episode=episode, counselor=counselor1).count() == 1
    orientation = Appointment.objects.get(episode=episode)
    assert (orientation.kind, orientation.counselor) == (Appointment.Kind.ORIENTATION, counselor1)
    starts = timezone.localtime(orientation.starts_at)
    assert (starts.date(), starts.time()) == (orientation_day, datetime.time(10, 30))
    flag = SafetyFlag.objects.get(client=client)
    assert (flag.is_open, flag.action) == (False, SafetyFlag.Action.SAFETY_PLAN)
    assert StaffNotification.objects.filter(recipient__username="supervisor").count() == 1
    screening = Screening.objects.get(episode=episode)
    assert (screening.recommended_level, screening.decided_level) == ("2.1", "2.1")
    primary_substance = episode.referral.substances.get()
    assert (primary_substance.rank, primary_substance.substance, primary_substance.route) == (
        1,
        "alcohol",
        "oral",
    )
    assert (primary_substance.frequency, primary_substance.age_first_use) == ("daily", 15)

    # The decision on the signed screening. Intake has lost sight of the
    # client now that it has left the screening phase (an open bug, see
    # tests/screening/test_views.py::test_intake_sees_the_decision_after_completing),
    # so the supervisor reads it.
    reviewer = _sign_in_elsewhere(browser, live_server, "supervisor")
    detail = reverse(
        "screening:screening-detail",
        kwargs={"client_id": client.public_id, "screening_id": screening.public_id},
    )
    reviewer.goto(live_server.url + detail)
    expect(reviewer.get_by_test_id("decision")).to_have_text(
        "Admit to the program: 2.1 Intensive outpatient"
    )
    reviewer.context.close()
