"""A client answers a measure from a link on a phone, in Spanish; PHQ-9
item 9 answered "several days" shows the crisis resources at once and
flags the chart, where the counselor records the action taken."""

import datetime

import pytest
from playwright.sync_api import expect

from iop.accounts import roles
from screening.models import SafetyFlag
from tests.e2e.axe import axe_violations, report
from tests.e2e.conftest import PASSWORD
from tests.factories import EpisodeFactory, UserFactory
from tests.outcomes.support import DOB, due_by_link, issued_link

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_a_client_answers_on_a_phone_and_the_counselor_acts_on_the_flag(
    browser, live_server, transactional_db, settings
):
    settings.CLINIC_PHONE = "+1 555 555 0199"
    counselor = UserFactory(username="counselor1", roles=[roles.COUNSELOR])
    UserFactory(username="supervisor", roles=[roles.SUPERVISOR])
    episode = EpisodeFactory(primary_counselor=counselor)
    client = episode.client
    client.date_of_birth = DOB
    client.save()
    _, token = issued_link(due_by_link(episode), language="en")

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.set_default_timeout(15_000)
    phone.goto(f"{live_server.url}/r/{token}/")

    # Nothing about the client or the care before the date of birth.
    expect(phone.get_by_role("heading", level=1)).to_have_text("Please confirm it is you")
    expect(phone.locator("body")).not_to_contain_text(client.legal_last_name)
    expect(phone.locator("body")).not_to_contain_text("PHQ")
    assert axe_violations(phone, label="date of birth") == [], report(
        axe_violations(phone, label="date of birth")
    )
    phone.get_by_role("link", name="Español").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Confirme que es usted")
    phone.get_by_label("Fecha de nacimiento").fill(DOB.isoformat())
    phone.get_by_role("button", name="Continuar").click()

    # One question at a time, in Spanish, with a progress bar.
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Patient Health Questionnaire-9")
    expect(phone.get_by_text("Poco interés o placer en hacer las cosas")).to_be_visible()
    progress = phone.get_by_role("progressbar")
    expect(progress).to_have_attribute("value", "0")
    violations = axe_violations(phone, label="form")
    assert violations == [], report(violations)
    for number in range(1, 10):
        question = phone.locator(f"#item-{number}")
        expect(question).to_be_visible()
        answer = "Varios días" if number == 9 else "Nunca"
        question.get_by_text(answer, exact=True).click()
        phone.get_by_role("button", name="Siguiente").click()
    expect(progress).to_have_attribute("value", "9")
    expect(phone.locator("#item-difficulty")).to_be_visible()
    phone.get_by_role("button", name="Enviar mis respuestas").click()

    # The crisis resources, at once.
    crisis = phone.get_by_test_id("crisis-resources")
    expect(crisis).to_be_visible()
    expect(crisis).to_contain_text("988")
    expect(crisis).to_contain_text("+1 555 555 0199")
    expect(crisis).to_contain_text("911")
    expect(phone.get_by_role("heading", name="Gracias")).to_be_visible()
    phone.context.close()

    # The counselor sees the flag on the chart and records the action.
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("counselor1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/clients/{client.public_id}/")
    alert = page.get_by_test_id("safety-alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("PHQ-9 item 9")
    alert.get_by_role("link", name="Record action taken").click()
    page.get_by_text("Safety plan completed with the client", exact=True).click()
    page.get_by_label("What was done, with whom, and when").fill(
        "Called the client the same hour; safety plan reviewed; 988 given."
    )
    page.get_by_role("button", name="Record the action").click()
    expect(page.get_by_test_id("safety-alert")).to_have_count(0)
    flag = SafetyFlag.objects.get(client=client)
    assert not flag.is_open
    assert flag.administration.source == "link"
    assert flag.administration.language == "es"
    assert flag.raised_at > datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(hours=1)
    page.context.close()
