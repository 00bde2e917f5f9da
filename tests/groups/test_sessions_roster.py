"""Who is on a session's roster, and changes to it (drop-ins, removed lines)
that never touch other clients' notes or signatures."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from groups.models import Attendance, GroupSession
from groups.selectors import session_roster
from groups.services.sessions import session_add_client, session_lines_save, session_remove_client
from iop.audit.policy import clients_visible_to
from iop.clients.models import Episode
from tests.factories import EpisodeFactory
from tests.groups.factories import AttendanceFactory, EnrollmentFactory
from tests.groups.session_helpers import (
    PRESENT,
    document_all,
    make_line,
    saved_rows,
    sign_session,
    started_session,
)

pytestmark = pytest.mark.django_db


# --- roster changes ------------------------------------------------------------------


def _drop_in_client(facilitator):
    return EpisodeFactory(primary_counselor=facilitator).client


def _add(session, client):
    facilitator = session.group.facilitator
    return session_add_client(
        actor=facilitator,
        session=session,
        client=client,
        visible_clients=clients_visible_to(facilitator),
    )


def test_drop_in_is_added_to_the_roster_as_present():
    session, _ = started_session(2)
    visitor = _drop_in_client(session.group.facilitator)

    row = _add(session, visitor)

    assert (row.status, row.minutes, row.drop_in) == (PRESENT, 90, True)
    entry = next(entry for entry in session_roster(session) if entry.client == visitor)
    assert entry.drop_in


def test_drop_in_after_signing_leaves_other_signatures_unchanged():
    session, clients = started_session(3)
    document_all(session, clients)
    signed = sign_session(session)
    before = {
        pk: (row.signed_at, row.signed_by_id, row.remark) for pk, row in saved_rows(session).items()
    }

    visitor = _drop_in_client(session.group.facilitator)
    _add(session, visitor)

    rows = saved_rows(session)
    assert not rows[visitor.pk].is_signed
    assert {
        pk: (row.signed_at, row.signed_by_id, row.remark)
        for pk, row in rows.items()
        if pk != visitor.pk
    } == before
    assert GroupSession.objects.get(pk=session.pk).signed_at == signed.signed_at


def test_drop_in_added_after_signing_is_signed_later_alone():
    session, clients = started_session(2)
    document_all(session, clients)
    first = sign_session(session)
    before = {pk: row.signed_at for pk, row in saved_rows(session).items()}
    visitor = _drop_in_client(session.group.facilitator)
    _add(session, visitor)
    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={
            visitor.pk: make_line(
                visitor, remark="Came in mid-group; spoke about cravings at work."
            )
        },
    )

    second = sign_session(session)

    rows = saved_rows(session)
    assert rows[visitor.pk].is_signed
    assert rows[visitor.pk].signed_at > first.signed_at
    assert {pk: row.signed_at for pk, row in rows.items() if pk != visitor.pk} == before
    assert second.signed_at == first.signed_at


def test_drop_in_refuses_a_client_the_counselor_may_not_see():
    session, _ = started_session(1)
    stranger = EpisodeFactory().client

    with pytest.raises(ValidationError):
        _add(session, stranger)

    assert not Attendance.objects.filter(session=session, client=stranger).exists()


def test_drop_in_refuses_a_client_without_an_admitted_episode():
    session, _ = started_session(1)
    facilitator = session.group.facilitator
    screening = EpisodeFactory(
        primary_counselor=facilitator, phase=Episode.Phase.SCREENING, admission_date=None
    ).client

    with pytest.raises(ValidationError):
        _add(session, screening)


def test_drop_in_refuses_a_client_already_on_the_roster():
    session, _ = started_session(1)
    visitor = _drop_in_client(session.group.facilitator)
    _add(session, visitor)

    with pytest.raises(ValidationError):
        _add(session, visitor)

    assert Attendance.objects.filter(session=session, client=visitor).count() == 1


def test_removing_an_unsigned_line_leaves_other_lines_untouched():
    session, (a, b, c) = started_session(3)
    document_all(session, [a, b, c])
    before = {
        row.client_id: (row.status, row.remark, row.updated_at)
        for row in Attendance.objects.filter(session=session)
    }

    session_remove_client(actor=session.group.facilitator, session=session, client=b)

    after = {
        row.client_id: (row.status, row.remark, row.updated_at)
        for row in Attendance.objects.filter(session=session)
    }
    assert after == {pk: value for pk, value in before.items() if pk != b.pk}


def test_removing_a_signed_line_is_refused():
    session, clients = started_session(2)
    document_all(session, clients)
    sign_session(session)

    with pytest.raises(ValidationError):
        session_remove_client(actor=session.group.facilitator, session=session, client=clients[0])

    assert Attendance.objects.filter(session=session, client=clients[0]).exists()


def test_removing_a_client_without_a_line_is_refused():
    session, (a,) = started_session(1)

    with pytest.raises(ValidationError):
        session_remove_client(actor=session.group.facilitator, session=session, client=a)


# --- the roster ----------------------------------------------------------------------


def test_roster_holds_the_group_members_enrolled_on_the_session_day():
    session, clients = started_session(2)

    assert {entry.client for entry in session_roster(session)} == set(clients)
    assert all(entry.enrolled and not entry.drop_in for entry in session_roster(session))


def test_roster_leaves_out_an_enrollment_that_starts_after_the_session():
    session, (a,) = started_session(1)
    later = EnrollmentFactory(
        group=session.group, start_date=timezone.localdate() + datetime.timedelta(weeks=12)
    )

    clients = {entry.client for entry in session_roster(session)}
    assert clients == {a}
    assert later.episode.client not in clients


def test_roster_leaves_out_an_enrollment_that_ended_before_the_session():
    session, (a,) = started_session(1)
    EnrollmentFactory(
        group=session.group, end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    EnrollmentFactory(group=session.group, status="ended")

    assert [entry.client for entry in session_roster(session)] == [a]


def test_roster_leaves_out_a_discharged_member_without_a_line():
    session, (a,) = started_session(1)
    EnrollmentFactory(
        group=session.group,
        episode=EpisodeFactory(phase=Episode.Phase.DISCHARGED, discharge_date=timezone.localdate()),
    )

    assert [entry.client for entry in session_roster(session)] == [a]


def test_roster_keeps_a_client_with_a_line_who_is_no_longer_enrolled():
    session, (a,) = started_session(1)
    former = EpisodeFactory()
    AttendanceFactory(session=session, episode=former)

    entries = {entry.client: entry for entry in session_roster(session)}
    assert set(entries) == {a, former.client}
    assert entries[former.client].drop_in
