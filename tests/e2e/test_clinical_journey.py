"""A counselor's clinical day with one client: the treatment plan signed
with the client's agreement, an individual session documented in DAP form
against an objective and signed, a drug test recorded, and all of it on the
chart's timeline (DOMAIN.md section 5)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from iop.clients.models import Appointment, DrugTest, SessionNote, TreatmentPlan
from iop.clients.services import appointment_schedule

pytestmark = pytest.mark.e2e

OBJECTIVE = "Name three weekend triggers and a plan for each"


def test_counselor_plans_documents_signs_and_tests_then_sees_it_on_the_timeline(
    sign_in, counselor1, client_of_counselor1, transactional_db
):
    client = client_of_counselor1
    today = timezone.localdate()
    # The session started an hour ago; booking it here keeps the journey short.
    appointment = appointment_schedule(
        actor=counselor1,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        counselor=counselor1,
    )

    page = sign_in("counselor1")
    page.get_by_role("button", name="Clients").click()
    page.get_by_role("link", name="My caseload").click()
    page.get_by_role("link", name=f"{client.legal_last_name}, {client.legal_first_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(client.display_name)

    # The treatment plan: one problem, goal and measurable objective, signed.
    page.get_by_role("link", name="Treatment plan").click()
    page.get_by_role("button", name="Start the treatment plan").click()
    expect(page.get_by_role("heading", name="Draft (version 1)")).to_be_visible()
    page.get_by_label("Add a problem").fill("Cocaine use on weekends with old friends")
    page.get_by_role("button", name="Add problem").click()
    page.get_by_label("Goal", exact=True).fill("Stay abstinent through the weekends")
    page.get_by_role("button", name="Add goal").click()
    page.get_by_label("Measurable objective").fill(OBJECTIVE)
    page.get_by_label("Target date").fill(f"{today + datetime.timedelta(days=28):%Y-%m-%d}")
    page.get_by_role("button", name="Add objective").click()
    expect(page.get_by_text(OBJECTIVE)).to_be_visible()
    page.get_by_label("Client agreed on").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("How (signature").fill("Signed on paper in session")
    page.get_by_role("button", name="Sign the plan").click()
    # Signing locks the version: the dialog asks first.
    page.get_by_role("dialog").get_by_role("button", name="Sign the plan").click()
    expect(page.get_by_role("heading", name="Active plan (version 1)")).to_be_visible()
    expect(page.get_by_test_id("next-review")).to_have_text(
        f"{today + datetime.timedelta(days=30):%Y-%m-%d}"
    )

    # The session: a DAP note addressing the objective, saved and signed.
    page.get_by_role("link", name="Back to the chart").click()
    sections = page.get_by_role("navigation", name="Chart sections")
    sections.get_by_role("link", name="Sessions and notes").click()
    page.get_by_role("link", name="Document", exact=True).click()
    expect(page.get_by_label("Attended")).to_be_checked()
    page.get_by_label("Data (what was observed and said)").fill(
        "Client reports no use since Tuesday; a friend offered cocaine on Saturday."
    )
    page.get_by_label("Assessment (clinical interpretation").fill(
        "Refused the offer; named two of three triggers. Progressing on 1.1.1."
    )
    page.get_by_label("Plan (next steps").fill("Write the third trigger and plan before next week.")
    page.get_by_label(f"1.1.1 {OBJECTIVE}").check()
    page.get_by_role("button", name="Save and sign").click()
    page.get_by_role("dialog").get_by_role("button", name="Sign the note").click()
    expect(page.get_by_role("status").filter(has_text="Signed by")).to_be_visible()

    # The drug test: urine, cocaine and fentanyl negative.
    page.get_by_role("link", name="Back to the chart").click()
    page.get_by_role("link", name="Record drug test").first.click()
    expect(page.get_by_label("Collected on")).to_have_value(f"{today:%Y-%m-%d}")
    page.get_by_label("Specimen").select_option(label="Urine")
    page.get_by_label("Cocaine", exact=True).select_option(label="Negative")
    page.get_by_label("Fentanyl", exact=True).select_option(label="Negative")
    page.get_by_role("button", name="Record test").click()

    # Back on the chart, the timeline shows both.
    expect(page.get_by_role("heading", level=1)).to_have_text(client.display_name)
    sections.get_by_role("link", name="Timeline").click()
    timeline = page.get_by_test_id("timeline")
    session = timeline.locator('li[data-kind="session"]')
    expect(session).to_contain_text("Individual session")
    expect(session).to_contain_text("note signed")
    test = timeline.locator('li[data-kind="drug_test"]')
    expect(test).to_contain_text("Drug test (Urine)")
    expect(test).to_contain_text("No unexpected positive")
    expect(timeline.locator('li[data-kind="plan"]')).to_contain_text(
        "Treatment plan version 1 signed"
    )

    note = SessionNote.objects.get(appointment=appointment)
    assert note.signed_by == counselor1
    assert [objective.statement for objective in note.objectives.all()] == [OBJECTIVE]
    assert (note.minutes, note.units) == (50, 3)
    plan = TreatmentPlan.objects.get(client=client)
    assert (plan.status, plan.client_agreed_on) == (TreatmentPlan.Status.ACTIVE, today)
    drug_test = DrugTest.objects.get(client=client)
    assert dict(drug_test.results.values_list("substance", "result")) == {
        "cocaine": "negative",
        "fentanyl": "negative",
    }
