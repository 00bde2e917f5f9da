"""Recurring groups generate their weekly occurrences with the rolling topic
cycle; a facilitator moves, cancels or adds single occurrences."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from groups import tasks
from groups.models import Attendance, GroupSession, RecurringGroup, Topic
from groups.selectors import episode_track_progress
from groups.services import schedule
from tests.groups.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
    local,
    track,
)

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 1, 5)


def _ers_group(**fields):
    fields.setdefault("track", track("ers"))
    return RecurringGroupFactory(**fields)


def _topic_numbers(group):
    return list(group.sessions.order_by("starts_at").values_list("topic__number", flat=True))


def _generate(group, weeks, today=MONDAY):
    return schedule.group_sessions_generate(
        group=group, today=today, until=today + datetime.timedelta(weeks=weeks)
    )


# --- generation ----------------------------------------------------------------------


def test_generation_creates_weekly_occurrences_up_to_the_horizon():
    group = _ers_group(weekday=RecurringGroup.Weekday.MONDAY)

    created = schedule.group_sessions_generate(group=group, today=MONDAY)

    days = [timezone.localtime(session.starts_at).date() for session in created]
    assert days[0] == MONDAY
    assert days[-1] == MONDAY + datetime.timedelta(weeks=schedule.HORIZON_WEEKS)
    assert len(days) == schedule.HORIZON_WEEKS + 1
    assert {later - earlier for earlier, later in itertools.pairwise(days)} == {
        datetime.timedelta(days=7)
    }


def test_generation_puts_occurrences_on_the_group_weekday_and_time():
    group = _ers_group(weekday=RecurringGroup.Weekday.WEDNESDAY, start_time=datetime.time(9, 30))

    created = _generate(group, weeks=3)

    local_starts = [timezone.localtime(session.starts_at) for session in created]
    assert {start.weekday() for start in local_starts} == {RecurringGroup.Weekday.WEDNESDAY}
    assert {(start.hour, start.minute) for start in local_starts} == {(9, 30)}


def test_generated_occurrences_take_the_track_length_and_group_room():
    group = _ers_group(room="Blue room")

    created = _generate(group, weeks=1)

    assert {(session.duration_minutes, session.room) for session in created} == {(60, "Blue room")}


def test_generation_starts_no_earlier_than_the_group_first_day():
    group = _ers_group(starts_on=datetime.date(2026, 1, 20))

    created = _generate(group, weeks=4)

    assert timezone.localtime(created[0].starts_at).date() == datetime.date(2026, 1, 26)


def test_generation_is_idempotent():
    group = _ers_group()
    _generate(group, weeks=4)
    pointer = RecurringGroup.objects.get(pk=group.pk).next_topic_number

    again = _generate(group, weeks=4)

    assert again == []
    assert group.sessions.count() == 5
    assert RecurringGroup.objects.get(pk=group.pk).next_topic_number == pointer


def test_generation_extends_an_existing_schedule_without_duplicates():
    group = _ers_group()
    _generate(group, weeks=2)

    _generate(group, weeks=4)

    assert _topic_numbers(group) == [1, 2, 3, 4, 5]


def test_generation_assigns_topics_in_rolling_order():
    group = _ers_group()

    _generate(group, weeks=3)

    assert _topic_numbers(group) == [1, 2, 3, 4]
    assert RecurringGroup.objects.get(pk=group.pk).next_topic_number == 5


def test_generation_continues_from_the_group_topic_pointer():
    group = _ers_group(next_topic_number=6)

    _generate(group, weeks=2)

    assert _topic_numbers(group) == [6, 7, 8]


def test_generation_wraps_to_the_first_topic_after_the_last():
    group = _ers_group()

    _generate(group, weeks=9)

    assert _topic_numbers(group) == [1, 2, 3, 4, 5, 6, 7, 8, 1, 2]
    assert RecurringGroup.objects.get(pk=group.pk).next_topic_number == 3


def test_generation_crosses_a_month_boundary():
    group = _ers_group(weekday=RecurringGroup.Weekday.FRIDAY)

    created = schedule.group_sessions_generate(
        group=group, today=datetime.date(2026, 1, 26), until=datetime.date(2026, 2, 14)
    )

    assert [timezone.localtime(session.starts_at).date() for session in created] == [
        datetime.date(2026, 1, 30),
        datetime.date(2026, 2, 6),
        datetime.date(2026, 2, 13),
    ]


def test_generation_keeps_local_start_time_across_the_end_of_daylight_saving():
    group = _ers_group(weekday=RecurringGroup.Weekday.MONDAY, start_time=datetime.time(18, 0))

    created = schedule.group_sessions_generate(
        group=group, today=datetime.date(2026, 10, 26), until=datetime.date(2026, 11, 16)
    )

    starts = [timezone.localtime(session.starts_at) for session in created]
    assert [start.date() for start in starts] == [
        datetime.date(2026, 10, 26),
        datetime.date(2026, 11, 2),
        datetime.date(2026, 11, 9),
        datetime.date(2026, 11, 16),
    ]
    assert {start.hour for start in starts} == {18}
    # Daylight time (UTC-4) before 1 November 2026, standard time (UTC-5) after.
    assert starts[0].utcoffset() == datetime.timedelta(hours=-4)
    assert starts[1].utcoffset() == datetime.timedelta(hours=-5)
    stored = GroupSession.objects.filter(group=group).order_by("starts_at")
    assert [timezone.localtime(session.starts_at).hour for session in stored] == [18] * 4


def test_generation_keeps_local_start_time_across_the_start_of_daylight_saving():
    group = _ers_group(weekday=RecurringGroup.Weekday.MONDAY, start_time=datetime.time(18, 0))

    created = schedule.group_sessions_generate(
        group=group, today=datetime.date(2026, 3, 2), until=datetime.date(2026, 3, 16)
    )

    starts = [timezone.localtime(session.starts_at) for session in created]
    assert {start.hour for start in starts} == {18}
    assert starts[0].utcoffset() != starts[-1].utcoffset()


def test_generation_of_an_inactive_group_creates_nothing():
    group = _ers_group(active=False)

    assert _generate(group, weeks=4) == []
    assert not group.sessions.exists()


def test_generation_is_not_fooled_by_a_cancelled_occurrence():
    group = _ers_group()
    first = _generate(group, weeks=2)[0]
    schedule.group_session_cancel(actor=group.facilitator, session=first, reason="Snow day")

    _generate(group, weeks=2)

    assert group.sessions.count() == 3


def test_generation_does_not_recreate_a_moved_occurrence_at_its_old_time():
    group = _ers_group(weekday=RecurringGroup.Weekday.MONDAY)
    created = _generate(group, weeks=2)
    schedule.group_session_move(
        actor=group.facilitator,
        session=created[1],
        starts_at=created[1].starts_at + datetime.timedelta(days=1),
    )

    _generate(group, weeks=2)

    assert group.sessions.count() == 3


def test_generate_all_task_keeps_every_active_group_ahead():
    today = timezone.localdate()
    active = _ers_group(weekday=today.weekday(), starts_on=today)
    inactive = _ers_group(weekday=today.weekday(), starts_on=today, active=False)

    total = tasks.generate_group_sessions.apply().get()

    assert total == schedule.HORIZON_WEEKS + 1
    assert active.sessions.count() == schedule.HORIZON_WEEKS + 1
    assert not inactive.sessions.exists()


def test_generate_all_task_run_twice_creates_nothing_the_second_time():
    today = timezone.localdate()
    group = _ers_group(weekday=today.weekday(), starts_on=today)
    tasks.generate_group_sessions.apply().get()

    assert tasks.generate_group_sessions.apply().get() == 0
    assert group.sessions.count() == schedule.HORIZON_WEEKS + 1


# --- move ----------------------------------------------------------------------------


def _weekly_sessions(weeks=3, **group_fields):
    group = _ers_group(**group_fields)
    return group, _generate(group, weeks=weeks)


def test_move_changes_the_start_of_one_occurrence():
    group, sessions = _weekly_sessions()
    new_start = sessions[1].starts_at + datetime.timedelta(days=1, hours=-2)

    schedule.group_session_move(actor=group.facilitator, session=sessions[1], starts_at=new_start)

    assert GroupSession.objects.get(pk=sessions[1].pk).starts_at == new_start
    assert GroupSession.objects.get(pk=sessions[2].pk).starts_at == sessions[2].starts_at


def test_move_refuses_a_time_where_the_group_already_meets():
    group, sessions = _weekly_sessions()

    with pytest.raises(ValidationError) as error:
        schedule.group_session_move(
            actor=group.facilitator, session=sessions[1], starts_at=sessions[2].starts_at
        )

    assert "starts_at" in error.value.message_dict
    assert GroupSession.objects.get(pk=sessions[1].pk).starts_at == sessions[1].starts_at


def test_move_refuses_once_attendance_is_recorded():
    group = _ers_group()
    session = GroupSessionFactory(group=group)
    AttendanceFactory(session=session)

    with pytest.raises(ValidationError):
        schedule.group_session_move(
            actor=group.facilitator,
            session=session,
            starts_at=session.starts_at + datetime.timedelta(hours=2),
        )

    assert GroupSession.objects.get(pk=session.pk).starts_at == session.starts_at


def test_move_refuses_a_cancelled_occurrence():
    group, sessions = _weekly_sessions()
    schedule.group_session_cancel(actor=group.facilitator, session=sessions[0], reason="Holiday")
    session = GroupSession.objects.get(pk=sessions[0].pk)

    with pytest.raises(ValidationError):
        schedule.group_session_move(
            actor=group.facilitator,
            session=session,
            starts_at=session.starts_at + datetime.timedelta(days=1),
        )


# --- cancel --------------------------------------------------------------------------


def test_cancel_marks_the_occurrence_cancelled_with_its_reason():
    group, sessions = _weekly_sessions()

    schedule.group_session_cancel(actor=group.facilitator, session=sessions[0], reason=" Snow ")

    session = GroupSession.objects.get(pk=sessions[0].pk)
    assert session.status == GroupSession.Status.CANCELLED
    assert session.cancel_reason == "Snow"


def test_cancel_shifts_later_undocumented_topics_back_one():
    group, sessions = _weekly_sessions(weeks=3)
    assert _topic_numbers(group) == [1, 2, 3, 4]

    schedule.group_session_cancel(actor=group.facilitator, session=sessions[1], reason="Flu")

    assert _topic_numbers(group) == [1, 2, 2, 3]


def test_cancel_moves_the_group_topic_pointer_back_one():
    group, sessions = _weekly_sessions(weeks=3)

    schedule.group_session_cancel(actor=group.facilitator, session=sessions[1], reason="Flu")

    assert RecurringGroup.objects.get(pk=group.pk).next_topic_number == 4


def test_cancel_then_generate_skips_no_topic():
    group, sessions = _weekly_sessions(weeks=3)
    schedule.group_session_cancel(actor=group.facilitator, session=sessions[1], reason="Flu")

    _generate(group, weeks=4)

    scheduled = group.sessions.filter(status=GroupSession.Status.SCHEDULED).order_by("starts_at")
    assert list(scheduled.values_list("topic__number", flat=True)) == [1, 2, 3, 4]


def test_cancel_of_the_last_occurrence_rewinds_the_pointer_to_its_topic():
    group, sessions = _weekly_sessions(weeks=3)

    schedule.group_session_cancel(actor=group.facilitator, session=sessions[-1], reason="Flu")

    assert RecurringGroup.objects.get(pk=group.pk).next_topic_number == 4


def test_cancel_leaves_topics_of_later_documented_occurrences_alone():
    group, sessions = _weekly_sessions(weeks=3)
    AttendanceFactory(session=sessions[2])

    schedule.group_session_cancel(actor=group.facilitator, session=sessions[1], reason="Flu")

    assert GroupSession.objects.get(pk=sessions[2].pk).topic.number == 3
    assert GroupSession.objects.get(pk=sessions[3].pk).topic.number == 2


def test_cancel_deletes_unsigned_attendance_so_it_is_not_an_absence():
    group = _ers_group()
    session = GroupSessionFactory(group=group, topic=Topic.objects.get(track=group.track, number=1))
    enrollment = EnrollmentFactory(group=group)
    AttendanceFactory(session=session, episode=enrollment.episode, status=Attendance.Status.ABSENT)

    schedule.group_session_cancel(actor=group.facilitator, session=session, reason="Power cut")

    assert not Attendance.objects.filter(session=session).exists()
    progress = episode_track_progress(enrollment.episode)
    assert [(item["absent"], item["attended"]) for item in progress] == [(0, 0)]


def test_cancel_refuses_without_a_reason():
    group, sessions = _weekly_sessions()

    with pytest.raises(ValidationError) as error:
        schedule.group_session_cancel(actor=group.facilitator, session=sessions[0], reason="   ")

    assert "reason" in error.value.message_dict
    assert GroupSession.objects.get(pk=sessions[0].pk).status == GroupSession.Status.SCHEDULED


def test_cancel_refuses_a_signed_session():
    group = _ers_group()
    session = GroupSessionFactory(
        group=group, signed_at=timezone.now(), signed_by=group.facilitator
    )

    with pytest.raises(ValidationError):
        schedule.group_session_cancel(actor=group.facilitator, session=session, reason="Late")

    assert GroupSession.objects.get(pk=session.pk).status == GroupSession.Status.SCHEDULED


# --- add -----------------------------------------------------------------------------


def test_add_creates_an_extra_occurrence_outside_the_pattern():
    group, _ = _weekly_sessions(weekday=RecurringGroup.Weekday.MONDAY)
    extra_start = local(2026, 1, 7, 18)
    topic = Topic.objects.get(track=group.track, number=6)

    session = schedule.group_session_add(
        actor=group.facilitator, group=group, starts_at=extra_start, topic=topic
    )

    assert session.starts_at == extra_start
    assert session.topic == topic
    assert session.duration_minutes == group.track.session_minutes
    assert group.sessions.count() == 5


def test_add_refuses_a_time_where_the_group_already_meets():
    group, sessions = _weekly_sessions()

    with pytest.raises(ValidationError) as error:
        schedule.group_session_add(
            actor=group.facilitator, group=group, starts_at=sessions[0].starts_at
        )

    assert "starts_at" in error.value.message_dict
    assert group.sessions.count() == len(sessions)


def test_add_refuses_a_topic_of_another_track():
    group = _ers_group()
    other = Topic.objects.get(track__code="rp", number=1)

    with pytest.raises(ValidationError):
        schedule.group_session_add(
            actor=group.facilitator, group=group, starts_at=local(2026, 1, 7, 18), topic=other
        )

    assert not group.sessions.exists()
