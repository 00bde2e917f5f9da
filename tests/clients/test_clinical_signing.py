"""Signing session notes: the lock, addenda, the 72-hour late flag, the
co-signature of notes by counselors in training, and the two worklists that
follow from them (DOMAIN.md section 5; iop/clients/signing.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from iop.accounts import roles
from iop.audit.policy import clients_visible_to
from iop.clients.models import Appointment, NoteAddendum, SessionNote
from iop.clients.selectors.clinical import notes_awaiting_cosignature, unsigned_session_notes
from iop.clients.services import appointment_schedule
from iop.clients.services.sessions import (
    session_document,
    session_note_addendum,
    session_note_cosign,
    session_note_sign,
)
from iop.clients.signing import note_addenda
from tests.factories import EpisodeFactory, UserFactory

DAP = {
    "data": "Client reports four days without use; attended two groups.",
    "assessment": "Engaged, early progress on objective 1.1.1.",
    "plan": "Continue weekly sessions; practise refusal skills.",
}


def _appointment(counselor, client, *, ago=datetime.timedelta(hours=1)):
    return appointment_schedule(
        actor=counselor,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - ago,
        counselor=counselor,
    )


def _draft(counselor, client, *, ago=datetime.timedelta(hours=1), **fields) -> SessionNote:
    return session_document(
        actor=counselor,
        appointment=_appointment(counselor, client, ago=ago),
        status=Appointment.Status.ATTENDED,
        minutes=50,
        **{**DAP, **fields},
    )


def _signed(counselor, client, **kwargs) -> SessionNote:
    return session_note_sign(actor=counselor, note=_draft(counselor, client, **kwargs))


@pytest.fixture
def trainee(db):
    return UserFactory(username="trainee", roles=[roles.COUNSELOR], in_training=True)


@pytest.fixture
def client_of_trainee(trainee):
    return EpisodeFactory(primary_counselor=trainee).client


def _document_url(note):
    appointment = note.appointment
    return reverse(
        "clients:session-document",
        kwargs={"client_id": appointment.client.public_id, "appointment_id": appointment.public_id},
    )


# --- the lock ---------------------------------------------------------------------------


def test_signing_records_signer_and_time(counselor1, client_of_counselor1):
    before = timezone.now()

    note = _signed(counselor1, client_of_counselor1)

    note.refresh_from_db()
    assert note.signed_by == counselor1
    assert before <= note.signed_at <= timezone.now()
    assert note.is_signed


def test_editing_a_signed_note_is_refused_by_the_service(counselor1, client_of_counselor1):
    note = _signed(counselor1, client_of_counselor1)

    with pytest.raises(ValidationError, match="signed and locked"):
        session_document(
            actor=counselor1,
            appointment=note.appointment,
            status=Appointment.Status.ATTENDED,
            minutes=50,
            data="Rewritten after signing",
            assessment="x",
            plan="y",
        )

    note.refresh_from_db()
    assert note.data == DAP["data"]


def test_signing_a_signed_note_again_is_refused(counselor1, client_of_counselor1):
    note = _signed(counselor1, client_of_counselor1)
    first_signed_at = note.signed_at

    with pytest.raises(ValidationError, match="signed and locked"):
        session_note_sign(actor=counselor1, note=note)

    note.refresh_from_db()
    assert note.signed_at == first_signed_at


def test_attended_session_cannot_be_signed_without_data_assessment_and_plan(
    counselor1, client_of_counselor1
):
    note = _draft(counselor1, client_of_counselor1, plan="")

    with pytest.raises(ValidationError, match="Data, Assessment and Plan"):
        session_note_sign(actor=counselor1, note=note)

    note.refresh_from_db()
    assert not note.is_signed


def test_document_page_refuses_to_change_a_signed_note(login, counselor1, client_of_counselor1):
    note = _signed(counselor1, client_of_counselor1)

    response = login(counselor1).post(
        _document_url(note),
        {
            "status": Appointment.Status.ATTENDED,
            "data": "Rewritten after signing",
            "assessment": "x",
            "plan": "y",
            "service_code": "H0004",
            "minutes": "50",
        },
    )

    assert response.status_code == 400
    note.refresh_from_db()
    assert note.data == DAP["data"]


def test_document_page_shows_a_signed_note_read_only_with_its_signature(
    login, counselor1, client_of_counselor1
):
    note = _signed(counselor1, client_of_counselor1)

    response = login(counselor1).get(_document_url(note))

    content = response.content.decode()
    assert response.context["locked"] is True
    assert f"Signed by {counselor1}" in content
    assert 'value="sign"' not in content


# --- addenda ----------------------------------------------------------------------------


def test_addendum_is_refused_before_the_note_is_signed(counselor1, client_of_counselor1):
    note = _draft(counselor1, client_of_counselor1)

    with pytest.raises(ValidationError, match="until it is signed"):
        session_note_addendum(actor=counselor1, note=note, text="Late information")

    assert not NoteAddendum.objects.exists()


def test_addendum_to_a_signed_note_is_signed_by_its_author_at_the_time_added(
    counselor1, client_of_counselor1
):
    note = _signed(counselor1, client_of_counselor1)
    before = timezone.now()

    addendum = session_note_addendum(
        actor=counselor1, note=note, text="  Client called: sponsor found.  "
    )

    assert addendum.author == counselor1
    assert before <= addendum.signed_at <= timezone.now()
    assert addendum.text == "Client called: sponsor found."
    assert addendum.client == client_of_counselor1
    assert list(note_addenda(note)) == [addendum]


def test_addendum_leaves_the_signed_note_unchanged(counselor1, client_of_counselor1):
    note = _signed(counselor1, client_of_counselor1)

    session_note_addendum(actor=counselor1, note=note, text="Correction: 45 minutes.")

    note.refresh_from_db()
    assert (note.data, note.minutes) == (DAP["data"], 50)


def test_empty_addendum_is_refused(counselor1, client_of_counselor1):
    note = _signed(counselor1, client_of_counselor1)

    with pytest.raises(ValidationError):
        session_note_addendum(actor=counselor1, note=note, text="   ")

    assert not NoteAddendum.objects.exists()


# --- late after 72 hours ----------------------------------------------------------------


def test_note_signed_71_hours_59_minutes_after_the_session_is_not_late(
    counselor1, client_of_counselor1
):
    note = _signed(counselor1, client_of_counselor1, ago=datetime.timedelta(hours=71, minutes=59))

    note.refresh_from_db()
    assert note.signed_late is False


def test_note_signed_72_hours_1_minute_after_the_session_is_late(counselor1, client_of_counselor1):
    note = _signed(counselor1, client_of_counselor1, ago=datetime.timedelta(hours=72, minutes=1))

    note.refresh_from_db()
    assert note.signed_late is True


def test_document_page_marks_a_late_note(login, counselor1, client_of_counselor1):
    note = _signed(counselor1, client_of_counselor1, ago=datetime.timedelta(days=4))

    response = login(counselor1).get(_document_url(note))

    assert "signed late (over 72 hours)" in response.content.decode()


# --- co-signature -----------------------------------------------------------------------


def test_note_of_a_counselor_in_training_requires_a_cosignature(trainee, client_of_trainee):
    note = _signed(trainee, client_of_trainee)

    note.refresh_from_db()
    assert note.cosign_required is True
    assert note.awaits_cosignature


def test_note_of_a_licensed_counselor_requires_no_cosignature(counselor1, client_of_counselor1):
    note = _signed(counselor1, client_of_counselor1)

    note.refresh_from_db()
    assert note.cosign_required is False
    with pytest.raises(ValidationError, match="does not need a co-signature"):
        session_note_cosign(actor=UserFactory(roles=[roles.SUPERVISOR]), note=note)


def test_supervisor_cosigns_a_trainee_note(trainee, client_of_trainee, supervisor):
    note = _signed(trainee, client_of_trainee)
    before = timezone.now()

    session_note_cosign(actor=supervisor, note=note)

    note.refresh_from_db()
    assert note.cosigned_by == supervisor
    assert before <= note.cosigned_at <= timezone.now()
    assert not note.awaits_cosignature


def test_cosignature_waits_for_the_author_to_sign(trainee, client_of_trainee, supervisor):
    note = _draft(trainee, client_of_trainee)

    with pytest.raises(ValidationError, match="author signs before"):
        session_note_cosign(actor=supervisor, note=note)


def test_counselor_cannot_cosign(trainee, client_of_trainee, counselor2):
    note = _signed(trainee, client_of_trainee)

    with pytest.raises(ValidationError, match="Only a supervisor"):
        session_note_cosign(actor=counselor2, note=note)

    note.refresh_from_db()
    assert note.cosigned_at is None


def test_author_cannot_cosign_their_own_note(db):
    supervisor_in_training = UserFactory(
        username="new-supervisor", roles=[roles.SUPERVISOR], in_training=True
    )
    client = EpisodeFactory(primary_counselor=supervisor_in_training).client
    note = _signed(supervisor_in_training, client)

    with pytest.raises(ValidationError, match="someone other than the author"):
        session_note_cosign(actor=supervisor_in_training, note=note)

    note.refresh_from_db()
    assert note.cosigned_at is None


def test_note_cannot_be_cosigned_twice(trainee, client_of_trainee, supervisor):
    note = _signed(trainee, client_of_trainee)
    session_note_cosign(actor=supervisor, note=note)
    other_supervisor = UserFactory(username="supervisor2", roles=[roles.SUPERVISOR])

    with pytest.raises(ValidationError, match="already co-signed"):
        session_note_cosign(actor=other_supervisor, note=note)

    note.refresh_from_db()
    assert note.cosigned_by == supervisor


# --- worklists --------------------------------------------------------------------------


def test_cosignature_queue_lists_signed_trainee_notes_only(
    trainee, client_of_trainee, counselor1, client_of_counselor1, supervisor
):
    awaiting = _signed(trainee, client_of_trainee)
    _draft(trainee, client_of_trainee)  # not signed yet: not the supervisor's turn
    _signed(counselor1, client_of_counselor1)  # licensed: needs no co-signature
    done = _signed(trainee, client_of_trainee)
    session_note_cosign(actor=supervisor, note=done)

    assert list(notes_awaiting_cosignature(clients_visible_to(supervisor))) == [awaiting]


def test_cosignature_queue_lists_oldest_signature_first(trainee, client_of_trainee, supervisor):
    first = _signed(trainee, client_of_trainee)
    second = _signed(trainee, client_of_trainee)

    assert list(notes_awaiting_cosignature(clients_visible_to(supervisor))) == [first, second]


def test_unsigned_notes_list_holds_the_counselors_own_drafts(
    counselor1, client_of_counselor1, counselor2, client_of_counselor2
):
    older = _draft(counselor1, client_of_counselor1, ago=datetime.timedelta(days=2))
    newer = _draft(counselor1, client_of_counselor1)
    _signed(counselor1, client_of_counselor1)
    _draft(counselor2, client_of_counselor2)

    assert list(unsigned_session_notes(counselor1)) == [older, newer]


def test_signed_note_leaves_the_unsigned_notes_list(counselor1, client_of_counselor1):
    note = _draft(counselor1, client_of_counselor1)

    session_note_sign(actor=counselor1, note=note)

    assert not unsigned_session_notes(counselor1).exists()
