"""Individual sessions: billable units, documenting attendance and the DAP
note, booking the next appointment, and the pages to schedule, document,
sign, co-sign, add an addendum and cancel (DOMAIN.md section 5)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from iop.accounts import roles
from iop.clients.clinical_forms import AppointmentForm
from iop.clients.models import Appointment, NoteAddendum, ServiceCode, SessionNote
from iop.clients.services import appointment_schedule
from iop.clients.services.plans import (
    plan_add_goal,
    plan_add_objective,
    plan_add_problem,
    plan_sign,
    plan_start_draft,
)
from iop.clients.services.sessions import (
    appointment_cancel,
    session_document,
    session_note_sign,
    session_units,
)
from tests.factories import EpisodeFactory, UserFactory

DAP = {
    "data": "Reports three days abstinent; urges after work.",
    "assessment": "Motivated; identifies triggers.",
    "plan": "Practise urge surfing; next session in a week.",
}
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _appointment(counselor, client, *, starts_in=datetime.timedelta(hours=-1), **fields):
    return appointment_schedule(
        actor=counselor,
        episode=client.episodes.get(),
        kind=fields.pop("kind", Appointment.Kind.INDIVIDUAL),
        starts_at=timezone.now() + starts_in,
        counselor=counselor,
        **fields,
    )


def _objective(counselor, client):
    plan = plan_start_draft(actor=counselor, episode=client.episodes.get())
    problem = plan_add_problem(actor=counselor, plan=plan, statement="Cocaine use on weekends")
    goal = plan_add_goal(actor=counselor, problem=problem, statement="Sustained abstinence")
    objective = plan_add_objective(
        actor=counselor,
        goal=goal,
        statement="Name three weekend triggers",
        target_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    plan_sign(actor=counselor, plan=plan, client_agreed_on=timezone.localdate())
    return objective


def _url(name, client, appointment=None):
    kwargs = {"client_id": client.public_id}
    if appointment is not None:
        kwargs["appointment_id"] = appointment.public_id
    return reverse(f"clients:{name}", kwargs=kwargs)


def _note_post(**overrides):
    return {
        "status": Appointment.Status.ATTENDED,
        "service_code": ServiceCode.H0004,
        "minutes": "50",
        **DAP,
        **overrides,
    }


def _schedule_post(counselor, **overrides):
    starts_at = timezone.localtime() + datetime.timedelta(days=2)
    return {
        "kind": Appointment.Kind.INDIVIDUAL,
        "starts_at": starts_at.strftime(DATETIME_INPUT),
        "duration_minutes": "50",
        "counselor": str(counselor.pk),
        "mode": Appointment.Mode.IN_PERSON,
        **overrides,
    }


# --- units ------------------------------------------------------------------------------


@pytest.mark.parametrize(("minutes", "units"), [(7, 0), (8, 1), (22, 1), (23, 2), (50, 3), (60, 4)])
def test_h0004_bills_a_unit_per_15_minutes_once_8_minutes_are_given(minutes, units):
    assert session_units(service_code=ServiceCode.H0004, minutes=minutes) == units


def test_h0001_bills_one_unit_per_assessment():
    assert session_units(service_code=ServiceCode.H0001, minutes=90) == 1


@pytest.mark.parametrize("service_code", [ServiceCode.H0004, ServiceCode.H0001])
def test_zero_minutes_bill_zero_units(service_code):
    assert session_units(service_code=service_code, minutes=0) == 0


# --- documenting ------------------------------------------------------------------------


def test_documenting_an_attended_session_records_minutes_units_and_status(
    counselor1, client_of_counselor1
):
    appointment = _appointment(counselor1, client_of_counselor1)

    note = session_document(
        actor=counselor1,
        appointment=appointment,
        status=Appointment.Status.ATTENDED,
        minutes=50,
        **DAP,
    )

    note.refresh_from_db()
    appointment.refresh_from_db()
    assert (note.minutes, note.units, note.author) == (50, 3, counselor1)
    assert appointment.status == Appointment.Status.ATTENDED
    assert not note.is_signed


def test_documenting_a_future_appointment_is_refused(counselor1, client_of_counselor1):
    appointment = _appointment(
        counselor1, client_of_counselor1, starts_in=datetime.timedelta(hours=2)
    )

    with pytest.raises(ValidationError) as error:
        session_document(
            actor=counselor1,
            appointment=appointment,
            status=Appointment.Status.ATTENDED,
            minutes=50,
            **DAP,
        )

    assert "future" in str(error.value.message_dict["status"])
    assert not SessionNote.objects.exists()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.SCHEDULED


def test_no_show_records_zero_minutes_and_zero_units(counselor1, client_of_counselor1):
    appointment = _appointment(counselor1, client_of_counselor1)

    note = session_document(
        actor=counselor1, appointment=appointment, status=Appointment.Status.NO_SHOW, minutes=50
    )

    note.refresh_from_db()
    appointment.refresh_from_db()
    assert (note.minutes, note.units) == (0, 0)
    assert appointment.status == Appointment.Status.NO_SHOW


def test_attended_session_needs_minutes_of_service(counselor1, client_of_counselor1):
    appointment = _appointment(counselor1, client_of_counselor1)

    with pytest.raises(ValidationError) as error:
        session_document(
            actor=counselor1,
            appointment=appointment,
            status=Appointment.Status.ATTENDED,
            minutes=0,
            **DAP,
        )

    assert "minutes" in error.value.message_dict
    assert not SessionNote.objects.exists()


def test_objectives_of_the_clients_plan_are_linked_to_the_note(counselor1, client_of_counselor1):
    objective = _objective(counselor1, client_of_counselor1)

    note = session_document(
        actor=counselor1,
        appointment=_appointment(counselor1, client_of_counselor1),
        status=Appointment.Status.ATTENDED,
        minutes=50,
        objectives=[objective],
        **DAP,
    )

    assert list(note.objectives.all()) == [objective]


def test_objectives_from_another_clients_plan_are_refused(
    counselor1, client_of_counselor1, counselor2, client_of_counselor2
):
    foreign = _objective(counselor2, client_of_counselor2)

    with pytest.raises(ValidationError) as error:
        session_document(
            actor=counselor1,
            appointment=_appointment(counselor1, client_of_counselor1),
            status=Appointment.Status.ATTENDED,
            minutes=50,
            objectives=[foreign],
            **DAP,
        )

    assert "objectives" in error.value.message_dict
    assert not SessionNote.objects.exists()


def test_documenting_books_the_next_appointment(counselor1, client_of_counselor1):
    appointment = _appointment(counselor1, client_of_counselor1)
    next_week = timezone.now() + datetime.timedelta(days=7)

    session_document(
        actor=counselor1,
        appointment=appointment,
        status=Appointment.Status.ATTENDED,
        minutes=50,
        next_appointment={"starts_at": next_week},
        **DAP,
    )

    booked = Appointment.objects.exclude(pk=appointment.pk).get()
    assert booked.starts_at == next_week
    assert booked.episode == appointment.episode
    assert booked.counselor == counselor1
    assert booked.status == Appointment.Status.SCHEDULED


def test_cancel_marks_a_scheduled_appointment_cancelled_by_the_client(
    counselor1, client_of_counselor1
):
    appointment = _appointment(
        counselor1, client_of_counselor1, starts_in=datetime.timedelta(days=1)
    )

    appointment_cancel(actor=counselor1, appointment=appointment, reason="cancelled_client")

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED_CLIENT


def test_cancel_refuses_an_appointment_already_documented(counselor1, client_of_counselor1):
    appointment = _appointment(counselor1, client_of_counselor1)
    session_document(actor=counselor1, appointment=appointment, status=Appointment.Status.NO_SHOW)
    appointment.refresh_from_db()

    with pytest.raises(ValidationError, match="Only a scheduled appointment"):
        appointment_cancel(actor=counselor1, appointment=appointment, reason="cancelled_program")


# --- scheduling page --------------------------------------------------------------------


def test_schedule_page_shows_the_form(login, counselor1, client_of_counselor1):
    response = login(counselor1).get(_url("appointment-new", client_of_counselor1))

    assert response.status_code == 200
    assert response.context["form"].initial["counselor"] == counselor1


def test_schedule_page_says_booking_another_counselor_opens_the_client_to_them(
    login, counselor1, client_of_counselor1
):
    response = login(counselor1).get(_url("appointment-new", client_of_counselor1))

    assert "Booking another counselor opens this client to them" in response.content.decode()


def test_schedule_page_books_an_appointment(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        _url("appointment-new", client_of_counselor1), _schedule_post(counselor1)
    )

    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.client == client_of_counselor1
    assert appointment.counselor == counselor1
    assert appointment.created_by == counselor1


def test_schedule_page_refuses_a_one_minute_session(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        _url("appointment-new", client_of_counselor1),
        _schedule_post(counselor1, duration_minutes="1"),
    )

    assert response.status_code == 400
    assert "duration_minutes" in response.context["form"].errors
    assert not Appointment.objects.exists()


def test_appointment_form_itself_refuses_a_one_minute_session(counselor1):
    form = AppointmentForm(data=_schedule_post(counselor1, duration_minutes="1"))

    assert not form.is_valid()


def test_schedule_page_is_404_for_other_caseload(login, counselor2, client_of_counselor1):
    response = login(counselor2).post(
        _url("appointment-new", client_of_counselor1), _schedule_post(counselor2)
    )

    assert response.status_code == 404
    assert not Appointment.objects.exists()


def test_schedule_page_is_403_for_intake(login, intake, screening_client):
    response = login(intake).get(_url("appointment-new", screening_client))

    assert response.status_code == 403


def test_schedule_page_is_403_for_administrator(login, administrator, client_of_counselor1):
    response = login(administrator).get(_url("appointment-new", client_of_counselor1))

    assert response.status_code == 403


def test_schedule_page_refuses_put(login, counselor1, client_of_counselor1):
    response = login(counselor1).put(_url("appointment-new", client_of_counselor1))

    assert response.status_code == 405


# --- document page ----------------------------------------------------------------------


def test_document_page_prefills_attended_and_the_booked_length(
    login, counselor1, client_of_counselor1
):
    appointment = _appointment(counselor1, client_of_counselor1, duration_minutes=45)

    response = login(counselor1).get(_url("session-document", client_of_counselor1, appointment))

    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["status"] == Appointment.Status.ATTENDED
    assert initial["minutes"] == 45


def test_document_page_offers_the_active_plans_objectives(login, counselor1, client_of_counselor1):
    objective = _objective(counselor1, client_of_counselor1)
    appointment = _appointment(counselor1, client_of_counselor1)

    response = login(counselor1).get(_url("session-document", client_of_counselor1, appointment))

    assert list(response.context["form"].fields["objectives"].queryset) == [objective]
    assert objective.label in response.content.decode()


def test_document_page_saves_a_draft(login, counselor1, client_of_counselor1):
    appointment = _appointment(counselor1, client_of_counselor1)

    response = login(counselor1).post(
        _url("session-document", client_of_counselor1, appointment),
        _note_post(action="save"),
    )

    assert response.status_code == 302
    note = SessionNote.objects.get(appointment=appointment)
    assert (note.data, note.units) == (DAP["data"], 3)
    assert not note.is_signed


def test_document_page_saves_and_signs(login, counselor1, client_of_counselor1):
    objective = _objective(counselor1, client_of_counselor1)
    appointment = _appointment(counselor1, client_of_counselor1)

    response = login(counselor1).post(
        _url("session-document", client_of_counselor1, appointment),
        _note_post(action="sign", confirm="yes", objectives=[str(objective.pk)]),
    )

    assert response.status_code == 302
    note = SessionNote.objects.get(appointment=appointment)
    assert note.signed_by == counselor1
    assert list(note.objectives.all()) == [objective]


def test_document_page_books_the_next_appointment(login, counselor1, client_of_counselor1):
    appointment = _appointment(counselor1, client_of_counselor1)
    next_week = timezone.localtime() + datetime.timedelta(days=7)

    login(counselor1).post(
        _url("session-document", client_of_counselor1, appointment),
        _note_post(next_starts_at=next_week.strftime(DATETIME_INPUT)),
    )

    booked = Appointment.objects.exclude(pk=appointment.pk).get()
    assert booked.kind == Appointment.Kind.INDIVIDUAL
    assert timezone.localtime(booked.starts_at).strftime(DATETIME_INPUT) == next_week.strftime(
        DATETIME_INPUT
    )


def test_document_page_refuses_a_next_appointment_in_the_past(
    login, counselor1, client_of_counselor1
):
    appointment = _appointment(counselor1, client_of_counselor1)
    yesterday = timezone.localtime() - datetime.timedelta(days=1)

    response = login(counselor1).post(
        _url("session-document", client_of_counselor1, appointment),
        _note_post(next_starts_at=yesterday.strftime(DATETIME_INPUT)),
    )

    assert response.status_code == 400
    assert "next_starts_at" in response.context["form"].errors
    assert not SessionNote.objects.exists()


def test_document_page_refuses_a_future_appointment(login, counselor1, client_of_counselor1):
    appointment = _appointment(
        counselor1, client_of_counselor1, starts_in=datetime.timedelta(hours=3)
    )

    response = login(counselor1).post(
        _url("session-document", client_of_counselor1, appointment), _note_post()
    )

    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    assert not SessionNote.objects.exists()


def test_document_page_refuses_signing_without_the_plan_section(
    login, counselor1, client_of_counselor1
):
    appointment = _appointment(counselor1, client_of_counselor1)

    response = login(counselor1).post(
        _url("session-document", client_of_counselor1, appointment),
        _note_post(action="sign", confirm="yes", plan=""),
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not SessionNote.objects.get(appointment=appointment).is_signed


def test_document_page_refuses_an_invalid_form(login, counselor1, client_of_counselor1):
    appointment = _appointment(counselor1, client_of_counselor1)

    response = login(counselor1).post(
        _url("session-document", client_of_counselor1, appointment),
        _note_post(minutes="many", status="scheduled"),
    )

    assert response.status_code == 400
    assert {"minutes", "status"} <= set(response.context["form"].errors)
    assert not SessionNote.objects.exists()


def test_document_page_is_404_for_other_caseload(
    login, counselor1, client_of_counselor1, counselor2
):
    appointment = _appointment(counselor1, client_of_counselor1)

    response = login(counselor2).get(_url("session-document", client_of_counselor1, appointment))

    assert response.status_code == 404


def test_document_page_is_404_for_another_clients_appointment(
    login, supervisor, counselor1, client_of_counselor1, counselor2, client_of_counselor2
):
    appointment = _appointment(counselor2, client_of_counselor2)

    response = login(supervisor).get(_url("session-document", client_of_counselor1, appointment))

    assert response.status_code == 404


def test_document_page_is_403_for_administrator(
    login, administrator, counselor1, client_of_counselor1
):
    appointment = _appointment(counselor1, client_of_counselor1)

    response = login(administrator).get(_url("session-document", client_of_counselor1, appointment))

    assert response.status_code == 403


def test_document_page_refuses_put(login, counselor1, client_of_counselor1):
    appointment = _appointment(counselor1, client_of_counselor1)

    response = login(counselor1).put(_url("session-document", client_of_counselor1, appointment))

    assert response.status_code == 405


# --- co-sign, addendum, cancel pages ----------------------------------------------------


@pytest.fixture
def trainee_note(db):
    trainee = UserFactory(username="trainee", roles=[roles.COUNSELOR], in_training=True)
    client = EpisodeFactory(primary_counselor=trainee).client
    note = session_document(
        actor=trainee,
        appointment=_appointment(trainee, client),
        status=Appointment.Status.ATTENDED,
        minutes=50,
        **DAP,
    )
    return session_note_sign(actor=trainee, note=note)


def _note_url(name, note):
    return _url(name, note.appointment.client, note.appointment)


def test_document_page_offers_cosigning_to_a_supervisor(login, supervisor, trainee_note):
    response = login(supervisor).get(_note_url("session-document", trainee_note))

    assert response.context["can_cosign"] is True
    assert "awaiting supervisor co-signature" in response.content.decode()


def test_supervisor_cosigns_on_the_page(login, supervisor, trainee_note):
    response = login(supervisor).post(_note_url("note-cosign", trainee_note))

    assert response.status_code == 302
    assert response.url == _note_url("session-document", trainee_note)
    trainee_note.refresh_from_db()
    assert trainee_note.cosigned_by == supervisor


def test_cosign_page_is_403_for_counselor(login, trainee_note):
    trainee = trainee_note.author

    response = login(trainee).post(_note_url("note-cosign", trainee_note))

    assert response.status_code == 403
    trainee_note.refresh_from_db()
    assert trainee_note.cosigned_at is None


def test_cosign_page_refuses_get(login, supervisor, trainee_note):
    response = login(supervisor).get(_note_url("note-cosign", trainee_note))

    assert response.status_code == 405


def test_cosign_page_reports_a_second_cosignature_without_changing_the_first(
    login, supervisor, trainee_note
):
    browser = login(supervisor)
    browser.post(_note_url("note-cosign", trainee_note))
    trainee_note.refresh_from_db()
    first = trainee_note.cosigned_at

    response = browser.post(_note_url("note-cosign", trainee_note), follow=True)

    assert "already co-signed" in response.content.decode()
    trainee_note.refresh_from_db()
    assert trainee_note.cosigned_at == first


def test_addendum_page_adds_a_signed_addendum(login, counselor1, client_of_counselor1):
    appointment = _appointment(counselor1, client_of_counselor1)
    note = session_document(
        actor=counselor1,
        appointment=appointment,
        status=Appointment.Status.ATTENDED,
        minutes=50,
        **DAP,
    )
    session_note_sign(actor=counselor1, note=note)

    response = login(counselor1).post(
        _note_url("note-addendum", note), {"text": "Sponsor confirmed by phone."}
    )

    assert response.status_code == 302
    addendum = NoteAddendum.objects.get()
    assert (addendum.author, addendum.text) == (counselor1, "Sponsor confirmed by phone.")


def test_addendum_page_refuses_an_unsigned_note(login, counselor1, client_of_counselor1):
    note = session_document(
        actor=counselor1,
        appointment=_appointment(counselor1, client_of_counselor1),
        status=Appointment.Status.ATTENDED,
        minutes=50,
        **DAP,
    )

    response = login(counselor1).post(
        _note_url("note-addendum", note), {"text": "Too early"}, follow=True
    )

    assert "Edit the note itself until it is signed." in response.content.decode()
    assert not NoteAddendum.objects.exists()


def test_addendum_page_refuses_an_empty_addendum(login, supervisor, trainee_note):
    response = login(supervisor).post(
        _note_url("note-addendum", trainee_note), {"text": ""}, follow=True
    )

    assert "Write the addendum." in response.content.decode()
    assert not NoteAddendum.objects.exists()


def test_addendum_page_refuses_get(login, supervisor, trainee_note):
    response = login(supervisor).get(_note_url("note-addendum", trainee_note))

    assert response.status_code == 405


def test_addendum_page_is_404_for_other_caseload(login, counselor2, trainee_note):
    response = login(counselor2).post(_note_url("note-addendum", trainee_note), {"text": "x"})

    assert response.status_code == 404
    assert not NoteAddendum.objects.exists()


def test_cancel_page_cancels_for_the_program(login, counselor1, client_of_counselor1):
    appointment = _appointment(
        counselor1, client_of_counselor1, starts_in=datetime.timedelta(days=1)
    )

    response = login(counselor1).post(
        _url("appointment-cancel", client_of_counselor1, appointment),
        {"reason": "cancelled_program", "confirm": "yes"},
    )

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED_PROGRAM


def test_cancel_page_cancels_for_the_client(login, counselor1, client_of_counselor1):
    appointment = _appointment(
        counselor1, client_of_counselor1, starts_in=datetime.timedelta(days=1)
    )

    login(counselor1).post(
        _url("appointment-cancel", client_of_counselor1, appointment),
        {"reason": "cancelled_client", "confirm": "yes"},
    )

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED_CLIENT


def test_cancel_page_refuses_get(login, counselor1, client_of_counselor1):
    appointment = _appointment(
        counselor1, client_of_counselor1, starts_in=datetime.timedelta(days=1)
    )

    response = login(counselor1).get(_url("appointment-cancel", client_of_counselor1, appointment))

    assert response.status_code == 405
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.SCHEDULED


def test_cancel_page_is_403_for_administrator(
    login, administrator, counselor1, client_of_counselor1
):
    appointment = _appointment(
        counselor1, client_of_counselor1, starts_in=datetime.timedelta(days=1)
    )

    response = login(administrator).post(
        _url("appointment-cancel", client_of_counselor1, appointment)
    )

    assert response.status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.SCHEDULED
