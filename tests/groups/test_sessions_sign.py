"""Signing a group session: everything at once with one signer and time, the
72-hour late flag, co-signature for counselors in training, cloned remarks
flagged before signing, and addenda after it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from groups.models import Attendance, GroupSession
from groups.services.sessions import Line, session_cloned_remarks, session_lines_save
from iop.audit.models import AuditEvent
from iop.clients.signing import note_addenda, note_addendum_add
from tests.groups.factories import AttendanceFactory
from tests.groups.session_helpers import (
    ABSENT,
    LATE,
    document_all,
    make_line,
    new_counselor,
    sign_session,
    started_session,
)

pytestmark = pytest.mark.django_db


# --- signing -------------------------------------------------------------------------


def test_sign_signs_the_session_and_every_line_with_one_signer_and_time():
    session, clients = started_session(3)
    document_all(session, clients, **{str(clients[2].pk): ABSENT})

    signed = sign_session(session)

    facilitator = session.group.facilitator
    assert signed.signed_by == facilitator
    assert signed.signed_at is not None
    rows = Attendance.objects.filter(session=session)
    assert {(row.signed_by_id, row.signed_at) for row in rows} == {
        (facilitator.pk, signed.signed_at)
    }


def test_sign_requires_the_group_note():
    session, clients = started_session(2)
    document_all(session, clients, summary="   ")

    with pytest.raises(ValidationError) as error:
        sign_session(session)

    assert any("group note" in message for message in error.value.messages)
    assert not GroupSession.objects.get(pk=session.pk).is_signed


def test_sign_requires_attendance_for_every_roster_client():
    session, (a, b) = started_session(2)
    document_all(session, [a])

    with pytest.raises(ValidationError) as error:
        sign_session(session)

    assert any(b.display_name in message for message in error.value.messages)
    assert not Attendance.objects.filter(session=session, signed_at__isnull=False).exists()


def test_sign_requires_a_participation_line_for_every_attended_client():
    session, (a, b) = started_session(2)
    document_all(session, [a])
    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={b.pk: Line(status=LATE, participation="prompted", remark="")},
    )

    with pytest.raises(ValidationError) as error:
        sign_session(session)

    assert any(b.display_name in message for message in error.value.messages)
    assert not GroupSession.objects.get(pk=session.pk).is_signed


def test_sign_does_not_require_a_line_for_an_absent_client():
    session, (a, b) = started_session(2)
    document_all(session, [a, b], **{str(b.pk): ABSENT})

    assert sign_session(session).is_signed


@pytest.mark.parametrize(
    "second_remark",
    [
        "Shared a plan for the weekend.",
        "shared a plan for the weekend",
        "SHARED a plan, for the weekend!",
    ],
)
def test_sign_refuses_identical_remarks_ignoring_case_and_punctuation(second_remark):
    session, (a, b) = started_session(2)
    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary="Weekend planning.",
        lines={
            a.pk: make_line(a, remark="Shared a plan for the weekend."),
            b.pk: make_line(b, remark=second_remark),
        },
    )

    with pytest.raises(ValidationError) as error:
        sign_session(session)

    assert any("identical" in message for message in error.value.messages)
    assert not GroupSession.objects.get(pk=session.pk).is_signed


def test_sign_accepts_identical_remarks_when_confirmed():
    session, (a, b) = started_session(2)
    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary="Weekend planning.",
        lines={
            a.pk: make_line(a, remark="Engaged well."),
            b.pk: make_line(b, remark="engaged well"),
        },
    )

    assert sign_session(session, accept_identical=True).is_signed
    assert not Attendance.objects.filter(session=session, signed_at__isnull=True).exists()


def test_sign_within_72_hours_is_not_late():
    session, clients = started_session(2, starts_at=timezone.now() - datetime.timedelta(hours=71))
    document_all(session, clients)

    signed = sign_session(session)

    assert signed.signed_late is False
    assert not Attendance.objects.filter(session=session, signed_late=True).exists()


def test_sign_more_than_72_hours_after_the_session_is_late():
    session, clients = started_session(2, starts_at=timezone.now() - datetime.timedelta(days=4))
    document_all(session, clients)

    signed = sign_session(session)

    assert signed.signed_late is True
    assert set(
        Attendance.objects.filter(session=session).values_list("signed_late", flat=True)
    ) == {True}


def test_sign_by_a_counselor_in_training_requires_a_cosignature():
    trainee = new_counselor(in_training=True)
    session, clients = started_session(2, facilitator=trainee)
    document_all(session, clients)

    signed = sign_session(session, actor=trainee)

    assert signed.cosign_required is True
    assert signed.awaits_cosignature
    assert set(
        Attendance.objects.filter(session=session).values_list("cosign_required", flat=True)
    ) == {True}


def test_sign_by_a_licensed_counselor_needs_no_cosignature():
    session, clients = started_session(1)
    document_all(session, clients)

    assert sign_session(session).cosign_required is False


def test_sign_refuses_a_session_that_has_not_started():
    session, _ = started_session(
        1, starts_at=timezone.now() + datetime.timedelta(minutes=5), summary="Note"
    )

    with pytest.raises(ValidationError):
        sign_session(session)

    assert not GroupSession.objects.get(pk=session.pk).is_signed


def test_sign_refuses_a_cancelled_session():
    session, _ = started_session(0, status=GroupSession.Status.CANCELLED, summary="Note")

    with pytest.raises(ValidationError):
        sign_session(session)


def test_sign_refuses_when_everything_is_already_signed():
    session, clients = started_session(1)
    document_all(session, clients)
    sign_session(session)

    with pytest.raises(ValidationError):
        sign_session(session)


def test_sign_audits_one_event_per_signed_line():
    session, clients = started_session(3)
    document_all(session, clients)

    sign_session(session)

    events = AuditEvent.objects.filter(object_id=str(session.public_id), details__signed=True)
    assert sorted(event.client_id for event in events) == sorted(client.pk for client in clients)


# --- cloned remarks ------------------------------------------------------------------


def test_cloned_remarks_groups_clients_with_the_same_remark():
    session, (a, b, c) = started_session(3)
    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={
            a.pk: make_line(a, remark="Participated."),
            b.pk: make_line(b, remark="participated"),
            c.pk: make_line(c, remark="Described a craving at the bus stop."),
        },
    )

    clones = session_cloned_remarks(session)

    assert [sorted(row.client_id for row in rows) for rows in clones] == [sorted([a.pk, b.pk])]


def test_cloned_remarks_ignores_individual_and_empty_remarks():
    session, (a, b, c) = started_session(3)
    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={
            a.pk: make_line(a, remark=""),
            b.pk: make_line(b, remark=""),
            c.pk: make_line(c, remark="Quiet but attentive."),
        },
    )

    assert session_cloned_remarks(session) == []


def test_cloned_remarks_ignores_clients_who_did_not_attend():
    session, (a, b) = started_session(2)
    document_all(session, [a])
    Attendance.objects.filter(session=session, client=a).update(remark="Same words.")
    AttendanceFactory(
        session=session,
        episode=b.episodes.get(),
        status=ABSENT,
        remark="Same words.",
    )

    assert session_cloned_remarks(session) == []


# --- addenda -------------------------------------------------------------------------


def test_addendum_is_refused_before_signing():
    session, clients = started_session(1)
    document_all(session, clients)

    with pytest.raises(ValidationError):
        note_addendum_add(note=session, actor=session.group.facilitator, text="Forgot to add.")

    assert not note_addenda(session).exists()


def test_addendum_follows_a_signed_session():
    session, clients = started_session(1)
    document_all(session, clients)
    signed = sign_session(session)

    note_addendum_add(note=signed, actor=signed.group.facilitator, text=" Client called after. ")

    assert [(addendum.text, addendum.author) for addendum in note_addenda(signed)] == [
        ("Client called after.", signed.group.facilitator)
    ]
    assert GroupSession.objects.get(pk=session.pk).summary == signed.summary
