"""Actions that cannot be taken back (signing a note or a plan, cancelling
an appointment) need the confirmation dialog's explicit confirm=yes; without
it nothing changes. Cancelling records why: by the client, by the program,
or a no-show once the time has come."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.clients.models import Appointment, ServiceCode, SessionNote, TreatmentPlan
from iop.clients.services import appointment_schedule
from iop.clients.services.plans import (
    plan_add_goal,
    plan_add_objective,
    plan_add_problem,
    plan_start_draft,
)
from iop.clients.services.sessions import appointment_cancel

pytestmark = pytest.mark.django_db

NOTE = {
    "status": Appointment.Status.ATTENDED,
    "service_code": ServiceCode.H0004,
    "minutes": "50",
    "data": "Reports three days abstinent.",
    "assessment": "Motivated.",
    "plan": "Next session in a week.",
    "action": "sign",
}


def _appointment(counselor, client, *, starts_in):
    return appointment_schedule(
        actor=counselor,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() + starts_in,
        counselor=counselor,
    )


def _url(name, client, appointment=None):
    kwargs = {"client_id": client.public_id}
    if appointment is not None:
        kwargs["appointment_id"] = appointment.public_id
    return reverse(f"clients:{name}", kwargs=kwargs)


@pytest.fixture
def tomorrow(counselor1, client_of_counselor1):
    return _appointment(counselor1, client_of_counselor1, starts_in=datetime.timedelta(days=1))


@pytest.fixture
def an_hour_ago(counselor1, client_of_counselor1):
    return _appointment(counselor1, client_of_counselor1, starts_in=datetime.timedelta(hours=-1))


# --- signing a session note -------------------------------------------------------------


def test_signing_a_note_without_confirmation_saves_and_signs_nothing(
    login, counselor1, client_of_counselor1, an_hour_ago
):
    response = login(counselor1).post(
        _url("session-document", client_of_counselor1, an_hour_ago), NOTE
    )

    assert response.status_code == 400
    assert "Confirm signing" in response.content.decode()
    assert not SessionNote.objects.exists()


def test_signing_a_note_with_confirmation_signs_it(
    login, counselor1, client_of_counselor1, an_hour_ago
):
    response = login(counselor1).post(
        _url("session-document", client_of_counselor1, an_hour_ago), {**NOTE, "confirm": "yes"}
    )

    assert response.status_code == 302
    assert SessionNote.objects.get().is_signed


def test_note_page_asks_for_confirmation_before_signing(
    login, counselor1, client_of_counselor1, an_hour_ago
):
    content = (
        login(counselor1)
        .get(_url("session-document", client_of_counselor1, an_hour_ago))
        .content.decode()
    )

    assert 'value="sign" data-confirm="Sign the note?' in content


# --- signing a treatment plan -----------------------------------------------------------


def test_signing_a_plan_without_confirmation_leaves_the_draft(
    login, counselor1, client_of_counselor1
):
    draft = plan_start_draft(actor=counselor1, episode=client_of_counselor1.episodes.get())
    problem = plan_add_problem(actor=counselor1, plan=draft, statement="Drinks daily")
    goal = plan_add_goal(actor=counselor1, problem=problem, statement="Abstinence")
    plan_add_objective(
        actor=counselor1,
        goal=goal,
        statement="Two meetings a week",
        target_date=timezone.localdate() + datetime.timedelta(days=30),
    )

    response = login(counselor1).post(
        _url("plan-sign", client_of_counselor1),
        {"client_agreed_on": timezone.localdate().isoformat()},
        follow=True,
    )

    assert "Confirm signing" in response.content.decode()
    assert TreatmentPlan.objects.get().status == TreatmentPlan.Status.DRAFT


# --- cancelling an appointment ----------------------------------------------------------


@pytest.mark.parametrize(
    "reason", [Appointment.Status.CANCELLED_CLIENT, Appointment.Status.CANCELLED_PROGRAM]
)
def test_cancel_records_the_reason_given(login, counselor1, client_of_counselor1, tomorrow, reason):
    response = login(counselor1).post(
        _url("appointment-cancel", client_of_counselor1, tomorrow),
        {"reason": reason, "confirm": "yes"},
    )

    assert response.status_code == 302
    tomorrow.refresh_from_db()
    assert tomorrow.status == reason
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).latest("pk")
    assert event.details == {"status": reason}


def test_cancel_without_confirmation_changes_nothing(
    login, counselor1, client_of_counselor1, tomorrow
):
    response = login(counselor1).post(
        _url("appointment-cancel", client_of_counselor1, tomorrow),
        {"reason": "cancelled_client"},
        follow=True,
    )

    assert "Confirm the cancellation" in response.content.decode()
    tomorrow.refresh_from_db()
    assert tomorrow.status == Appointment.Status.SCHEDULED


@pytest.mark.parametrize("reason", ["", "attended", "scheduled", "nonsense"])
def test_cancel_without_a_valid_reason_changes_nothing(
    login, counselor1, client_of_counselor1, tomorrow, reason
):
    response = login(counselor1).post(
        _url("appointment-cancel", client_of_counselor1, tomorrow),
        {"reason": reason, "confirm": "yes"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Choose why the appointment does not take place." in response.content.decode()
    tomorrow.refresh_from_db()
    assert tomorrow.status == Appointment.Status.SCHEDULED


def test_a_no_show_is_refused_before_the_appointments_time(counselor1, tomorrow):
    with pytest.raises(ValidationError, match="once the appointment's time has come"):
        appointment_cancel(actor=counselor1, appointment=tomorrow, reason="no_show")

    tomorrow.refresh_from_db()
    assert tomorrow.status == Appointment.Status.SCHEDULED


def test_a_no_show_is_recorded_once_the_time_has_come(counselor1, an_hour_ago):
    appointment_cancel(actor=counselor1, appointment=an_hour_ago, reason="no_show")

    an_hour_ago.refresh_from_db()
    assert an_hour_ago.status == Appointment.Status.NO_SHOW


def test_cancel_is_404_for_another_counselors_client(
    login, counselor2, client_of_counselor1, tomorrow
):
    response = login(counselor2).post(
        _url("appointment-cancel", client_of_counselor1, tomorrow),
        {"reason": "cancelled_client", "confirm": "yes"},
    )

    assert response.status_code == 404
    tomorrow.refresh_from_db()
    assert tomorrow.status == Appointment.Status.SCHEDULED


def test_chart_offers_the_reasons_with_none_chosen_and_a_dialog(
    login, counselor1, client_of_counselor1, tomorrow, an_hour_ago
):
    sessions = reverse(
        "clients:client-section",
        kwargs={"client_id": client_of_counselor1.public_id, "section": "sessions"},
    )
    content = login(counselor1).get(sessions).content.decode()

    upcoming = content.split(f'id="cancel-reason-{tomorrow.public_id}"')[1].split("</select>")[0]
    assert 'value="cancelled_client"' in upcoming
    assert 'value="no_show"' not in upcoming
    assert "selected" not in upcoming
    past = content.split(f'id="cancel-reason-{an_hour_ago.public_id}"')[1].split("</select>")[0]
    assert 'value="no_show"' in past
    assert 'data-confirm="Cancel the appointment of' in content
