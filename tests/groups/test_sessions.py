"""Documenting a group session: saving attendance lines, signing everything
at once, roster changes that never touch other clients' notes, cloned
remarks, addenda; and the reads built on attendance (progress, IOP hours)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from groups.models import Attendance, GroupSession, Topic
from groups.selectors import episode_track_progress, episode_weekly_hours, session_roster
from groups.services import schedule
from groups.services.sessions import (
    Line,
    session_add_client,
    session_cloned_remarks,
    session_lines_save,
    session_remove_client,
    session_sign,
)
from iop.accounts import roles
from iop.audit.models import AuditEvent
from iop.audit.policy import clients_visible_to
from iop.clients.models import Appointment, Episode
from iop.clients.services import plans
from iop.clients.signing import note_addenda, note_addendum_add
from tests.factories import EpisodeFactory, UserFactory
from tests.groups.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
    enroll,
    local,
    track,
)

pytestmark = pytest.mark.django_db

PRESENT = Attendance.Status.PRESENT
LATE = Attendance.Status.LATE
ABSENT = Attendance.Status.ABSENT
EXCUSED = Attendance.Status.EXCUSED


def _counselor(**fields):
    return UserFactory(roles=[roles.COUNSELOR], **fields)


def _session(count=3, *, facilitator=None, **session_fields):
    """A started session of an RP group with `count` enrolled clients."""
    group = RecurringGroupFactory(facilitator=facilitator or _counselor())
    enrollments = enroll(group, count)
    session = GroupSessionFactory(group=group, **session_fields)
    return session, [enrollment.episode.client for enrollment in enrollments]


def _line(client, status=PRESENT, **fields):
    fields.setdefault("participation", Attendance.Participation.ACTIVE)
    fields.setdefault(
        "remark", f"Named trigger number {client.pk} of their own."
    )  # unique per client
    return Line(status=status, **fields)


def _document(session, clients, *, summary="Topic discussed; group shared triggers.", **statuses):
    lines = {client.pk: _line(client, statuses.get(str(client.pk), PRESENT)) for client in clients}
    return session_lines_save(
        actor=session.group.facilitator, session=session, summary=summary, lines=lines
    )


def _sign(session, actor=None, **options):
    return session_sign(actor=actor or session.group.facilitator, session=session, **options)


def _rows(session):
    return {row.client_id: row for row in Attendance.objects.filter(session=session)}


# --- saving lines --------------------------------------------------------------------


def test_lines_save_writes_one_row_per_client_with_default_minutes():
    session, (a, b, c) = _session(3)

    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={a.pk: _line(a, PRESENT), b.pk: _line(b, LATE), c.pk: Line(status=ABSENT)},
    )

    rows = _rows(session)
    assert {pk: (row.status, row.minutes) for pk, row in rows.items()} == {
        a.pk: (PRESENT, 90),
        b.pk: (LATE, 75),
        c.pk: (ABSENT, 0),
    }


def test_lines_save_keeps_minutes_given_by_the_counselor():
    session, (a,) = _session(1)

    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={a.pk: _line(a, LATE, minutes=60)},
    )

    assert _rows(session)[a.pk].minutes == 60


def test_lines_save_writes_the_group_note():
    session, clients = _session(2)

    _document(session, clients, summary="  Boredom: planning the week.  ")

    assert GroupSession.objects.get(pk=session.pk).summary == "Boredom: planning the week."


def test_lines_save_updates_an_unsigned_line_in_place():
    session, (a,) = _session(1)
    _document(session, [a])

    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={a.pk: Line(status=EXCUSED)},
    )

    rows = Attendance.objects.filter(session=session)
    assert [(row.status, row.participation, row.remark) for row in rows] == [(EXCUSED, "", "")]


def test_lines_save_drops_participation_and_remark_of_an_absent_client():
    session, (a,) = _session(1)

    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={a.pk: Line(status=ABSENT, participation="active", remark="Was here?")},
    )

    row = _rows(session)[a.pk]
    assert (row.participation, row.remark) == ("", "")


def test_lines_save_audits_one_event_per_client():
    session, clients = _session(3)

    _document(session, clients)

    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_id=str(session.public_id)
    )
    assert sorted(event.client_id for event in events) == sorted(client.pk for client in clients)


def test_lines_save_refuses_a_client_not_on_the_roster():
    session, (a,) = _session(1)
    stranger = EpisodeFactory().client

    with pytest.raises(ValidationError) as error:
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary="Note",
            lines={a.pk: _line(a), stranger.pk: _line(stranger)},
        )

    assert f"client-{stranger.pk}" in error.value.message_dict
    assert not Attendance.objects.filter(session=session).exists()
    assert GroupSession.objects.get(pk=session.pk).summary == ""


@pytest.mark.parametrize("minutes", [-1, 91, 999])
def test_lines_save_refuses_minutes_outside_the_session_length(minutes):
    session, (a,) = _session(1)

    with pytest.raises(ValidationError) as error:
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary=None,
            lines={a.pk: _line(a, minutes=minutes)},
        )

    assert f"client-{a.pk}-minutes" in error.value.message_dict
    assert not Attendance.objects.filter(session=session).exists()


@pytest.mark.parametrize("minutes", [0, 90])
def test_lines_save_accepts_minutes_at_the_bounds(minutes):
    session, (a,) = _session(1)

    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={a.pk: _line(a, minutes=minutes)},
    )

    assert _rows(session)[a.pk].minutes == minutes


def test_lines_save_refuses_an_unknown_participation_level():
    session, (a,) = _session(1)

    with pytest.raises(ValidationError) as error:
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary=None,
            lines={a.pk: _line(a, participation="sleepy")},
        )

    assert f"client-{a.pk}-participation" in error.value.message_dict
    assert not Attendance.objects.filter(session=session).exists()


def test_lines_save_refuses_an_unknown_attendance_status():
    session, (a,) = _session(1)

    with pytest.raises(ValidationError) as error:
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary=None,
            lines={a.pk: Line(status="maybe")},
        )

    assert f"client-{a.pk}-status" in error.value.message_dict


def test_lines_save_refuses_changes_to_a_signed_line():
    session, clients = _session(2)
    _document(session, clients)
    _sign(session)
    a = clients[0]

    with pytest.raises(ValidationError) as error:
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary=None,
            lines={a.pk: Line(status=ABSENT)},
        )

    assert f"client-{a.pk}" in error.value.message_dict
    assert _rows(session)[a.pk].status == PRESENT


def test_lines_save_refuses_a_new_group_note_after_signing():
    session, clients = _session(1)
    _document(session, clients, summary="Signed note")
    _sign(session)

    with pytest.raises(ValidationError):
        session_lines_save(
            actor=session.group.facilitator, session=session, summary="Rewritten", lines={}
        )

    assert GroupSession.objects.get(pk=session.pk).summary == "Signed note"


def test_lines_save_refuses_a_session_that_has_not_started():
    session, (a,) = _session(1, starts_at=timezone.now() + datetime.timedelta(hours=1))

    with pytest.raises(ValidationError):
        session_lines_save(
            actor=session.group.facilitator, session=session, summary=None, lines={a.pk: _line(a)}
        )

    assert not Attendance.objects.filter(session=session).exists()


def test_lines_save_refuses_a_cancelled_session():
    session, (a,) = _session(1, status=GroupSession.Status.CANCELLED, cancel_reason="Snow")

    with pytest.raises(ValidationError):
        session_lines_save(
            actor=session.group.facilitator, session=session, summary=None, lines={a.pk: _line(a)}
        )

    assert not Attendance.objects.filter(session=session).exists()


# --- signing -------------------------------------------------------------------------


def test_sign_signs_the_session_and_every_line_with_one_signer_and_time():
    session, clients = _session(3)
    _document(session, clients, **{str(clients[2].pk): ABSENT})

    signed = _sign(session)

    facilitator = session.group.facilitator
    assert signed.signed_by == facilitator
    assert signed.signed_at is not None
    rows = Attendance.objects.filter(session=session)
    assert {(row.signed_by_id, row.signed_at) for row in rows} == {
        (facilitator.pk, signed.signed_at)
    }


def test_sign_requires_the_group_note():
    session, clients = _session(2)
    _document(session, clients, summary="   ")

    with pytest.raises(ValidationError) as error:
        _sign(session)

    assert any("group note" in message for message in error.value.messages)
    assert not GroupSession.objects.get(pk=session.pk).is_signed


def test_sign_requires_attendance_for_every_roster_client():
    session, (a, b) = _session(2)
    _document(session, [a])

    with pytest.raises(ValidationError) as error:
        _sign(session)

    assert any(b.display_name in message for message in error.value.messages)
    assert not Attendance.objects.filter(session=session, signed_at__isnull=False).exists()


def test_sign_requires_a_participation_line_for_every_attended_client():
    session, (a, b) = _session(2)
    _document(session, [a])
    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={b.pk: Line(status=LATE, participation="prompted", remark="")},
    )

    with pytest.raises(ValidationError) as error:
        _sign(session)

    assert any(b.display_name in message for message in error.value.messages)
    assert not GroupSession.objects.get(pk=session.pk).is_signed


def test_sign_does_not_require_a_line_for_an_absent_client():
    session, (a, b) = _session(2)
    _document(session, [a, b], **{str(b.pk): ABSENT})

    assert _sign(session).is_signed


@pytest.mark.parametrize(
    "second_remark",
    [
        "Shared a plan for the weekend.",
        "shared a plan for the weekend",
        "SHARED a plan, for the weekend!",
    ],
)
def test_sign_refuses_identical_remarks_ignoring_case_and_punctuation(second_remark):
    session, (a, b) = _session(2)
    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary="Weekend planning.",
        lines={
            a.pk: _line(a, remark="Shared a plan for the weekend."),
            b.pk: _line(b, remark=second_remark),
        },
    )

    with pytest.raises(ValidationError) as error:
        _sign(session)

    assert any("identical" in message for message in error.value.messages)
    assert not GroupSession.objects.get(pk=session.pk).is_signed


def test_sign_accepts_identical_remarks_when_confirmed():
    session, (a, b) = _session(2)
    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary="Weekend planning.",
        lines={a.pk: _line(a, remark="Engaged well."), b.pk: _line(b, remark="engaged well")},
    )

    assert _sign(session, accept_identical=True).is_signed
    assert not Attendance.objects.filter(session=session, signed_at__isnull=True).exists()


def test_sign_within_72_hours_is_not_late():
    session, clients = _session(2, starts_at=timezone.now() - datetime.timedelta(hours=71))
    _document(session, clients)

    signed = _sign(session)

    assert signed.signed_late is False
    assert not Attendance.objects.filter(session=session, signed_late=True).exists()


def test_sign_more_than_72_hours_after_the_session_is_late():
    session, clients = _session(2, starts_at=timezone.now() - datetime.timedelta(days=4))
    _document(session, clients)

    signed = _sign(session)

    assert signed.signed_late is True
    assert set(
        Attendance.objects.filter(session=session).values_list("signed_late", flat=True)
    ) == {True}


def test_sign_by_a_counselor_in_training_requires_a_cosignature():
    trainee = _counselor(in_training=True)
    session, clients = _session(2, facilitator=trainee)
    _document(session, clients)

    signed = _sign(session, actor=trainee)

    assert signed.cosign_required is True
    assert signed.awaits_cosignature
    assert set(
        Attendance.objects.filter(session=session).values_list("cosign_required", flat=True)
    ) == {True}


def test_sign_by_a_licensed_counselor_needs_no_cosignature():
    session, clients = _session(1)
    _document(session, clients)

    assert _sign(session).cosign_required is False


def test_sign_refuses_a_session_that_has_not_started():
    session, _ = _session(
        1, starts_at=timezone.now() + datetime.timedelta(minutes=5), summary="Note"
    )

    with pytest.raises(ValidationError):
        _sign(session)

    assert not GroupSession.objects.get(pk=session.pk).is_signed


def test_sign_refuses_a_cancelled_session():
    session, _ = _session(0, status=GroupSession.Status.CANCELLED, summary="Note")

    with pytest.raises(ValidationError):
        _sign(session)


def test_sign_refuses_when_everything_is_already_signed():
    session, clients = _session(1)
    _document(session, clients)
    _sign(session)

    with pytest.raises(ValidationError):
        _sign(session)


def test_sign_audits_one_event_per_signed_line():
    session, clients = _session(3)
    _document(session, clients)

    _sign(session)

    events = AuditEvent.objects.filter(object_id=str(session.public_id), details__signed=True)
    assert sorted(event.client_id for event in events) == sorted(client.pk for client in clients)


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
    session, _ = _session(2)
    visitor = _drop_in_client(session.group.facilitator)

    row = _add(session, visitor)

    assert (row.status, row.minutes, row.drop_in) == (PRESENT, 90, True)
    entry = next(entry for entry in session_roster(session) if entry.client == visitor)
    assert entry.drop_in


def test_drop_in_after_signing_leaves_other_signatures_unchanged():
    session, clients = _session(3)
    _document(session, clients)
    signed = _sign(session)
    before = {
        pk: (row.signed_at, row.signed_by_id, row.remark) for pk, row in _rows(session).items()
    }

    visitor = _drop_in_client(session.group.facilitator)
    _add(session, visitor)

    rows = _rows(session)
    assert not rows[visitor.pk].is_signed
    assert {
        pk: (row.signed_at, row.signed_by_id, row.remark)
        for pk, row in rows.items()
        if pk != visitor.pk
    } == before
    assert GroupSession.objects.get(pk=session.pk).signed_at == signed.signed_at


def test_drop_in_added_after_signing_is_signed_later_alone():
    session, clients = _session(2)
    _document(session, clients)
    first = _sign(session)
    before = {pk: row.signed_at for pk, row in _rows(session).items()}
    visitor = _drop_in_client(session.group.facilitator)
    _add(session, visitor)
    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={
            visitor.pk: _line(visitor, remark="Came in mid-group; spoke about cravings at work.")
        },
    )

    second = _sign(session)

    rows = _rows(session)
    assert rows[visitor.pk].is_signed
    assert rows[visitor.pk].signed_at > first.signed_at
    assert {pk: row.signed_at for pk, row in rows.items() if pk != visitor.pk} == before
    assert second.signed_at == first.signed_at


def test_drop_in_refuses_a_client_the_counselor_may_not_see():
    session, _ = _session(1)
    stranger = EpisodeFactory().client

    with pytest.raises(ValidationError):
        _add(session, stranger)

    assert not Attendance.objects.filter(session=session, client=stranger).exists()


def test_drop_in_refuses_a_client_without_an_admitted_episode():
    session, _ = _session(1)
    facilitator = session.group.facilitator
    screening = EpisodeFactory(
        primary_counselor=facilitator, phase=Episode.Phase.SCREENING, admission_date=None
    ).client

    with pytest.raises(ValidationError):
        _add(session, screening)


def test_drop_in_refuses_a_client_already_on_the_roster():
    session, _ = _session(1)
    visitor = _drop_in_client(session.group.facilitator)
    _add(session, visitor)

    with pytest.raises(ValidationError):
        _add(session, visitor)

    assert Attendance.objects.filter(session=session, client=visitor).count() == 1


def test_removing_an_unsigned_line_leaves_other_lines_untouched():
    session, (a, b, c) = _session(3)
    _document(session, [a, b, c])
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
    session, clients = _session(2)
    _document(session, clients)
    _sign(session)

    with pytest.raises(ValidationError):
        session_remove_client(actor=session.group.facilitator, session=session, client=clients[0])

    assert Attendance.objects.filter(session=session, client=clients[0]).exists()


def test_removing_a_client_without_a_line_is_refused():
    session, (a,) = _session(1)

    with pytest.raises(ValidationError):
        session_remove_client(actor=session.group.facilitator, session=session, client=a)


# --- cloned remarks ------------------------------------------------------------------


def test_cloned_remarks_groups_clients_with_the_same_remark():
    session, (a, b, c) = _session(3)
    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={
            a.pk: _line(a, remark="Participated."),
            b.pk: _line(b, remark="participated"),
            c.pk: _line(c, remark="Described a craving at the bus stop."),
        },
    )

    clones = session_cloned_remarks(session)

    assert [sorted(row.client_id for row in rows) for rows in clones] == [sorted([a.pk, b.pk])]


def test_cloned_remarks_ignores_individual_and_empty_remarks():
    session, (a, b, c) = _session(3)
    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={
            a.pk: _line(a, remark=""),
            b.pk: _line(b, remark=""),
            c.pk: _line(c, remark="Quiet but attentive."),
        },
    )

    assert session_cloned_remarks(session) == []


def test_cloned_remarks_ignores_clients_who_did_not_attend():
    session, (a, b) = _session(2)
    _document(session, [a])
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
    session, clients = _session(1)
    _document(session, clients)

    with pytest.raises(ValidationError):
        note_addendum_add(note=session, actor=session.group.facilitator, text="Forgot to add.")

    assert not note_addenda(session).exists()


def test_addendum_follows_a_signed_session():
    session, clients = _session(1)
    _document(session, clients)
    signed = _sign(session)

    note_addendum_add(note=signed, actor=signed.group.facilitator, text=" Client called after. ")

    assert [(addendum.text, addendum.author) for addendum in note_addenda(signed)] == [
        ("Client called after.", signed.group.facilitator)
    ]
    assert GroupSession.objects.get(pk=session.pk).summary == signed.summary


# --- progress per track --------------------------------------------------------------


def _rp_history(statuses, *, cancelled=()):
    """An episode enrolled in RP with one attendance row per status, on
    consecutive past sessions taking topics 1, 2, 3, ..."""
    enrollment = EnrollmentFactory(group=RecurringGroupFactory(track=track("rp")))
    now = timezone.now()
    for number, status in enumerate(statuses, start=1):
        session = GroupSessionFactory(
            group=enrollment.group,
            starts_at=now - datetime.timedelta(days=40 - number),
            topic=Topic.objects.get(track__code="rp", number=number),
            status=GroupSession.Status.CANCELLED
            if number in cancelled
            else GroupSession.Status.SCHEDULED,
        )
        AttendanceFactory(session=session, episode=enrollment.episode, status=status)
    return enrollment.episode


def _rp_progress(episode):
    return next(item for item in episode_track_progress(episode) if item["track"].code == "rp")


def test_progress_counts_present_and_late_as_attended_of_required():
    episode = _rp_history([PRESENT, LATE, PRESENT, ABSENT, EXCUSED])

    progress = _rp_progress(episode)

    assert (progress["attended"], progress["required"]) == (3, 32)
    assert progress["percent"] == 9


def test_progress_counts_absences_and_excused_separately():
    episode = _rp_history([PRESENT, ABSENT, ABSENT, EXCUSED])

    progress = _rp_progress(episode)

    assert (progress["absent"], progress["excused"]) == (2, 1)


def test_progress_does_not_count_cancelled_sessions():
    episode = _rp_history([PRESENT, PRESENT, ABSENT], cancelled=(2, 3))

    progress = _rp_progress(episode)

    assert (progress["attended"], progress["absent"]) == (1, 0)


def test_progress_topics_leave_out_cancelled_sessions():
    episode = _rp_history([PRESENT, PRESENT], cancelled=(2,))

    assert _rp_progress(episode)["topics"] == [(1, "Alcohol: The Legal Drug")]


def test_progress_lists_the_topics_covered_by_attended_sessions():
    episode = _rp_history([PRESENT, ABSENT, LATE])

    progress = _rp_progress(episode)

    assert progress["topics"] == [(1, "Alcohol: The Legal Drug"), (3, "Avoiding Relapse Drift")]


def test_progress_lists_each_track_the_episode_is_enrolled_in():
    enrollment = EnrollmentFactory(group=RecurringGroupFactory(track=track("ers")))
    EnrollmentFactory(episode=enrollment.episode, group=RecurringGroupFactory(track=track("rp")))

    progress = episode_track_progress(enrollment.episode)

    assert [(item["track"].code, item["attended"], item["required"]) for item in progress] == [
        ("ers", 0, 8),
        ("rp", 0, 32),
    ]


def test_progress_percent_is_capped_at_one_hundred():
    enrollment = EnrollmentFactory(group=RecurringGroupFactory(track=track("ers")))
    for days_ago in range(1, 10):
        AttendanceFactory(
            session=GroupSessionFactory(
                group=enrollment.group, starts_at=timezone.now() - datetime.timedelta(days=days_ago)
            ),
            episode=enrollment.episode,
        )

    (progress,) = episode_track_progress(enrollment.episode)

    assert (progress["attended"], progress["percent"]) == (9, 100)


# --- hours per week and H0015 --------------------------------------------------------

WEEK = datetime.date(2026, 11, 2)  # a Monday


def _attended(episode, start, minutes, status=PRESENT):
    session = GroupSessionFactory(starts_at=start, duration_minutes=max(minutes, 60))
    return AttendanceFactory(session=session, episode=episode, status=status, minutes=minutes)


def _week(episode, week_of=WEEK):
    return next(week for week in episode_weekly_hours(episode) if week["week_of"] == week_of)


def test_three_days_of_three_hours_make_an_h0015_week():
    episode = EpisodeFactory()
    for day in (2, 4, 6):
        _attended(episode, local(2026, 11, day, 10), 180)

    week = _week(episode)

    assert (week["hours"], week["full_days"], week["h0015"], week["meets_minimum"]) == (
        9.0,
        3,
        True,
        True,
    )


def test_two_days_of_three_hours_do_not_make_an_h0015_week():
    episode = EpisodeFactory()
    for day in (2, 4):
        _attended(episode, local(2026, 11, day, 10), 180)
    _attended(episode, local(2026, 11, 6, 10), 120)

    week = _week(episode)

    assert (week["hours"], week["full_days"], week["h0015"], week["meets_minimum"]) == (
        8.0,
        2,
        False,
        False,
    )


def test_a_day_adds_up_several_group_sessions():
    episode = EpisodeFactory()
    for day in (2, 4, 6):
        _attended(episode, local(2026, 11, day, 10), 90)
        _attended(episode, local(2026, 11, day, 13), 90)

    assert _week(episode)["h0015"] is True


def test_weekly_hours_include_attended_individual_sessions():
    episode = EpisodeFactory()
    counselor = _counselor()
    _attended(episode, local(2026, 11, 2, 10), 180)
    _attended(episode, local(2026, 11, 4, 10), 180)
    _attended(episode, local(2026, 11, 6, 10), 130)
    Appointment.objects.create(
        client=episode.client,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=local(2026, 11, 6, 15),
        duration_minutes=50,
        counselor=counselor,
        status=Appointment.Status.ATTENDED,
    )

    week = _week(episode)

    assert (week["minutes"], week["full_days"], week["h0015"]) == (540, 3, True)


def test_weekly_hours_leave_out_individual_sessions_not_attended():
    episode = EpisodeFactory()
    _attended(episode, local(2026, 11, 6, 10), 130)
    Appointment.objects.create(
        client=episode.client,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=local(2026, 11, 6, 15),
        duration_minutes=50,
        counselor=_counselor(),
        status=Appointment.Status.NO_SHOW,
    )

    assert _week(episode)["minutes"] == 130


def test_weekly_hours_leave_out_absences():
    episode = EpisodeFactory()
    _attended(episode, local(2026, 11, 2, 10), 180)
    _attended(episode, local(2026, 11, 4, 10), 0, status=ABSENT)

    week = _week(episode)

    assert (week["minutes"], week["full_days"]) == (180, 1)


def test_weekly_hours_leave_out_cancelled_sessions():
    episode = EpisodeFactory()
    _attended(episode, local(2026, 11, 2, 10), 180)
    cancelled = _attended(episode, local(2026, 11, 4, 10), 180)
    GroupSession.objects.filter(pk=cancelled.session_id).update(
        status=GroupSession.Status.CANCELLED
    )

    assert _week(episode)["minutes"] == 180


def test_weekly_hours_count_late_arrivals():
    episode = EpisodeFactory()
    _attended(episode, local(2026, 11, 2, 10), 75, status=LATE)

    assert _week(episode)["minutes"] == 75


def test_weekly_hours_group_days_in_the_program_time_zone():
    episode = EpisodeFactory()
    # Sunday 22:00 in New York is already Monday in UTC: it still belongs to the week of 2 November.
    _attended(episode, local(2026, 11, 8, 22), 60)

    weeks = episode_weekly_hours(episode)

    assert [week["week_of"] for week in weeks] == [WEEK]


def test_weekly_hours_list_weeks_newest_first():
    episode = EpisodeFactory()
    _attended(episode, local(2026, 11, 2, 10), 90)
    _attended(episode, local(2026, 11, 9, 10), 90)

    assert [week["week_of"] for week in episode_weekly_hours(episode)] == [
        datetime.date(2026, 11, 9),
        WEEK,
    ]


# --- the roster ----------------------------------------------------------------------


def test_roster_holds_the_group_members_enrolled_on_the_session_day():
    session, clients = _session(2)

    assert {entry.client for entry in session_roster(session)} == set(clients)
    assert all(entry.enrolled and not entry.drop_in for entry in session_roster(session))


def test_roster_leaves_out_an_enrollment_that_starts_after_the_session():
    session, (a,) = _session(1)
    later = EnrollmentFactory(
        group=session.group, start_date=timezone.localdate() + datetime.timedelta(weeks=12)
    )

    clients = {entry.client for entry in session_roster(session)}
    assert clients == {a}
    assert later.episode.client not in clients


def test_roster_leaves_out_an_enrollment_that_ended_before_the_session():
    session, (a,) = _session(1)
    EnrollmentFactory(
        group=session.group, end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    EnrollmentFactory(group=session.group, status="ended")

    assert [entry.client for entry in session_roster(session)] == [a]


def test_roster_leaves_out_a_discharged_member_without_a_line():
    session, (a,) = _session(1)
    EnrollmentFactory(
        group=session.group,
        episode=EpisodeFactory(phase=Episode.Phase.DISCHARGED, discharge_date=timezone.localdate()),
    )

    assert [entry.client for entry in session_roster(session)] == [a]


def test_roster_keeps_a_client_with_a_line_who_is_no_longer_enrolled():
    session, (a,) = _session(1)
    former = EpisodeFactory()
    AttendanceFactory(session=session, episode=former)

    entries = {entry.client: entry for entry in session_roster(session)}
    assert set(entries) == {a, former.client}
    assert entries[former.client].drop_in


# --- check and lock ------------------------------------------------------------------


def test_cancel_refuses_a_session_signed_after_it_was_loaded():
    session, clients = _session(2)
    _document(session, clients)
    loaded_before_signing = GroupSession.objects.get(pk=session.pk)
    _sign(session)

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
    session, clients = _session(1)
    episode = clients[0].episodes.get()
    objective = _active_objective(episode, session.group.facilitator)

    session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={clients[0].pk: _line(clients[0], objective_id=objective.pk)},
    )

    assert _rows(session)[clients[0].pk].objective == objective


def test_an_objective_of_another_clients_plan_is_refused():
    session, clients = _session(2)
    other_objective = _active_objective(clients[1].episodes.get(), session.group.facilitator)

    with pytest.raises(ValidationError):
        session_lines_save(
            actor=session.group.facilitator,
            session=session,
            summary=None,
            lines={clients[0].pk: _line(clients[0], objective_id=other_objective.pk)},
        )

    assert not Attendance.objects.filter(session=session).exists()
