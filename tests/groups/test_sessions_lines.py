"""Documenting a group session: saving attendance lines and the group note,
what is refused, the check on a row locked meanwhile, and the treatment-plan
objective a line addresses."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from groups.models import Attendance, GroupSession
from groups.services import schedule
from groups.services.sessions import Line, session_lines_save
from iop.audit.models import AuditEvent
from iop.clients.services import plans
from tests.factories import EpisodeFactory
from tests.groups.session_helpers import (
    ABSENT,
    EXCUSED,
    LATE,
    PRESENT,
    document_all,
    make_line,
    saved_rows,
    sign_session,
    started_session,
)

pytestmark = pytest.mark.django_db


# --- saving lines --------------------------------------------------------------------


def test_lines_save_writes_one_row_per_client_with_default_minutes():
    session, (a, b, c) = started_session(3)

    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={a.pk: make_line(a, PRESENT), b.pk: make_line(b, LATE), c.pk: Line(status=ABSENT)},
    )

    rows = saved_rows(session)
    assert {pk: (row.status, row.minutes) for pk, row in rows.items()} == {
        a.pk: (PRESENT, 90),
        b.pk: (LATE, 75),
        c.pk: (ABSENT, 0),
    }


def test_lines_save_keeps_minutes_given_by_the_counselor():
    session, (a,) = started_session(1)

    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={a.pk: make_line(a, LATE, minutes=60)},
    )

    assert saved_rows(session)[a.pk].minutes == 60


def test_lines_save_writes_the_group_note():
    session, clients = started_session(2)

    document_all(session, clients, summary="  Boredom: planning the week.  ")

    assert GroupSession.objects.get(pk=session.pk).summary == "Boredom: planning the week."


def test_lines_save_updates_an_unsigned_line_in_place():
    session, (a,) = started_session(1)
    document_all(session, [a])

    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={a.pk: Line(status=EXCUSED)},
    )

    rows = Attendance.objects.filter(session=session)
    assert [(row.status, row.participation, row.remark) for row in rows] == [(EXCUSED, "", "")]


def test_lines_save_drops_participation_and_remark_of_an_absent_client():
    session, (a,) = started_session(1)

    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={a.pk: Line(status=ABSENT, participation="active", remark="Was here?")},
    )

    row = saved_rows(session)[a.pk]
    assert (row.participation, row.remark) == ("", "")


def test_lines_save_audits_one_event_per_client():
    session, clients = started_session(3)

    document_all(session, clients)

    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_id=str(session.public_id)
    )
    assert sorted(event.client_id for event in events) == sorted(client.pk for client in clients)


def test_lines_save_refuses_a_client_not_on_the_roster():
    session, (a,) = started_session(1)
    stranger = EpisodeFactory().client

    with pytest.raises(ValidationError) as error:
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary="Note",
            lines={a.pk: make_line(a), stranger.pk: make_line(stranger)},
        )

    assert f"client-{stranger.pk}" in error.value.message_dict
    assert not Attendance.objects.filter(session=session).exists()
    assert GroupSession.objects.get(pk=session.pk).summary == ""


@pytest.mark.parametrize("minutes", [-1, 91, 999])
def test_lines_save_refuses_minutes_outside_the_session_length(minutes):
    session, (a,) = started_session(1)

    with pytest.raises(ValidationError) as error:
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary=None,
            lines={a.pk: make_line(a, minutes=minutes)},
        )

    assert f"client-{a.pk}-minutes" in error.value.message_dict
    assert not Attendance.objects.filter(session=session).exists()


@pytest.mark.parametrize("minutes", [0, 90])
def test_lines_save_accepts_minutes_at_the_bounds(minutes):
    session, (a,) = started_session(1)

    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={a.pk: make_line(a, minutes=minutes)},
    )

    assert saved_rows(session)[a.pk].minutes == minutes


def test_lines_save_refuses_an_unknown_participation_level():
    session, (a,) = started_session(1)

    with pytest.raises(ValidationError) as error:
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary=None,
            lines={a.pk: make_line(a, participation="sleepy")},
        )

    assert f"client-{a.pk}-participation" in error.value.message_dict
    assert not Attendance.objects.filter(session=session).exists()


def test_lines_save_refuses_an_unknown_attendance_status():
    session, (a,) = started_session(1)

    with pytest.raises(ValidationError) as error:
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary=None,
            lines={a.pk: Line(status="maybe")},
        )

    assert f"client-{a.pk}-status" in error.value.message_dict


def test_lines_save_refuses_changes_to_a_signed_line():
    session, clients = started_session(2)
    document_all(session, clients)
    sign_session(session)
    a = clients[0]

    with pytest.raises(ValidationError) as error:
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary=None,
            lines={a.pk: Line(status=ABSENT)},
        )

    assert f"client-{a.pk}" in error.value.message_dict
    assert saved_rows(session)[a.pk].status == PRESENT


def test_lines_save_refuses_a_new_group_note_after_signing():
    session, clients = started_session(1)
    document_all(session, clients, summary="Signed note")
    sign_session(session)

    with pytest.raises(ValidationError):
        session_lines_save(
            actor=session.group.facilitator, session=session, summary="Rewritten", lines={}
        )

    assert GroupSession.objects.get(pk=session.pk).summary == "Signed note"


def test_lines_save_refuses_a_session_that_has_not_started():
    session, (a,) = started_session(1, starts_at=timezone.now() + datetime.timedelta(hours=1))

    with pytest.raises(ValidationError):
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary=None,
            lines={a.pk: make_line(a)},
        )

    assert not Attendance.objects.filter(session=session).exists()


def test_lines_save_refuses_a_cancelled_session():
    session, (a,) = started_session(1, status=GroupSession.Status.CANCELLED, cancel_reason="Snow")

    with pytest.raises(ValidationError):
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary=None,
            lines={a.pk: make_line(a)},
        )

    assert not Attendance.objects.filter(session=session).exists()


# --- check and lock ------------------------------------------------------------------


def test_cancel_refuses_a_session_signed_after_it_was_loaded():
    session, clients = started_session(2)
    document_all(session, clients)
    loaded_before_signing = GroupSession.objects.get(pk=session.pk)
    sign_session(session)

    with pytest.raises(ValidationError):
        schedule.group_session_cancel(
            actor=session.group.facilitator, session=loaded_before_signing, reason="Snow"
        )

    assert GroupSession.objects.get(pk=session.pk).status == GroupSession.Status.SCHEDULED


def _active_objective(episode, counselor):
    draft = plans.plan_start_draft(actor=counselor, episode=episode)
    problem = plans.plan_add_problem(actor=counselor, plan=draft, statement="Drinking daily")
    goal = plans.plan_add_goal(actor=counselor, problem=problem, statement="Abstinence")
    objective = plans.plan_add_objective(
        actor=counselor,
        goal=goal,
        statement="Two meetings a week",
        target_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    plans.plan_sign(actor=counselor, plan=draft, client_agreed_on=timezone.localdate())
    return objective


def test_a_participation_line_records_the_objective_it_addresses():
    session, clients = started_session(1)
    episode = clients[0].episodes.get()
    objective = _active_objective(episode, session.group.facilitator)

    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={clients[0].pk: make_line(clients[0], objective_id=objective.pk)},
    )

    assert saved_rows(session)[clients[0].pk].objective == objective


def test_an_objective_of_another_clients_plan_is_refused():
    session, clients = started_session(2)
    other_objective = _active_objective(clients[1].episodes.get(), session.group.facilitator)

    with pytest.raises(ValidationError):
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary=None,
            lines={clients[0].pk: make_line(clients[0], objective_id=other_objective.pk)},
        )

    assert not Attendance.objects.filter(session=session).exists()
