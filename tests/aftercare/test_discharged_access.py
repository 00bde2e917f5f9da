"""The counselor who discharges a client keeps the record for the
recent-discharge period: they reread it and add addenda (the discharge
summary's included), and change nothing else."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aftercare.models import DischargeSummary
from aftercare.services import discharge_summary_addendum, episode_discharge_with_summary
from iop.audit.models import AuditEvent
from iop.clients import teds
from iop.clients.models import DrugTest, Episode
from iop.clients.notes import NoteAddendum

pytestmark = pytest.mark.django_db

SUMMARY = {
    "summary": "Completed the program; attends NA twice a week.",
    "substances_at_discharge": "",
    "employment": teds.Employment.FULL_TIME,
    "living_arrangement": teds.Living.INDEPENDENT,
    "mutual_help": teds.MutualHelp.FEW,
}


def _discharge(plan, counselor, *, days_ago=0) -> DischargeSummary:
    return episode_discharge_with_summary(
        actor=counselor,
        episode=plan.episode,
        discharge_date=timezone.localdate() - datetime.timedelta(days=days_ago),
        reason=Episode.DischargeReason.COMPLETED,
        summary=SUMMARY,
    )


def _addendum_url(client, summary):
    return reverse("aftercare:summary-addendum", args=[client.public_id, summary.public_id])


def test_the_discharging_counselor_still_finds_and_opens_the_client(login, counselor1, plan):
    _discharge(plan, counselor1)
    browser = login(counselor1)

    listed = browser.get(reverse("clients:client-list"), {"q": plan.client.legal_last_name})
    chart = browser.get(
        reverse("clients:client-section", args=[plan.client.public_id, "aftercare"])
    )

    assert plan.client in listed.context["page"].object_list
    assert chart.status_code == 200
    assert SUMMARY["summary"] in chart.content.decode()


def test_the_discharging_counselor_adds_an_addendum_to_the_summary(login, counselor1, plan):
    summary = _discharge(plan, counselor1)

    response = login(counselor1).post(
        _addendum_url(plan.client, summary), {"text": "Called a week later: doing well."}
    )

    assert response.status_code == 302
    addendum = NoteAddendum.objects.get()
    assert (addendum.note, addendum.author, addendum.client) == (summary, counselor1, plan.client)
    event = AuditEvent.objects.filter(action="create", client=plan.client).latest("id")
    assert event.details == {"addendum": True}
    assert event.path == _addendum_url(plan.client, summary)
    chart = login(counselor1).get(
        reverse("clients:client-section", args=[plan.client.public_id, "aftercare"])
    )
    assert "Called a week later: doing well." in chart.content.decode()


def test_an_empty_addendum_is_refused_and_saves_nothing(login, counselor1, plan):
    summary = _discharge(plan, counselor1)

    login(counselor1).post(_addendum_url(plan.client, summary), {"text": "  "})

    assert not NoteAddendum.objects.exists()


def test_the_discharging_counselor_can_change_nothing_else(login, counselor1, plan):
    _discharge(plan, counselor1)

    response = login(counselor1).post(
        reverse("clients:drug-test-new", args=[plan.client.public_id]),
        {"collected_on": f"{timezone.localdate():%Y-%m-%d}", "specimen": "urine"},
    )

    assert response.status_code == 403
    assert not DrugTest.objects.exists()


def test_a_supervisor_may_still_record_for_a_discharged_client(login, counselor1, supervisor, plan):
    summary = _discharge(plan, counselor1)

    response = login(supervisor).post(
        _addendum_url(plan.client, summary), {"text": "Reviewed at the team meeting."}
    )

    assert response.status_code == 302
    assert NoteAddendum.objects.count() == 1


def test_the_record_closes_after_the_recent_discharge_period(login, counselor1, plan, settings):
    settings.RECENT_DISCHARGE_ACCESS_DAYS = 90
    summary = _discharge(plan, counselor1, days_ago=91)
    browser = login(counselor1)

    chart = browser.get(reverse("clients:client-detail", args=[plan.client.public_id]))
    addendum = browser.post(_addendum_url(plan.client, summary), {"text": "Too late."})

    assert (chart.status_code, addendum.status_code) == (404, 404)
    assert not NoteAddendum.objects.exists()


def test_another_counselor_cannot_reach_the_summary(login, counselor1, counselor2, plan):
    summary = _discharge(plan, counselor1)

    response = login(counselor2).post(_addendum_url(plan.client, summary), {"text": "x"})

    assert response.status_code == 404
    assert not NoteAddendum.objects.exists()


def test_the_addendum_service_refuses_an_empty_text(counselor1, plan):
    summary = _discharge(plan, counselor1)

    with pytest.raises(ValidationError, match="Write the addendum"):
        discharge_summary_addendum(actor=counselor1, summary=summary, text="")

    assert not NoteAddendum.objects.exists()
    assert not AuditEvent.objects.filter(details__addendum=True).exists()
