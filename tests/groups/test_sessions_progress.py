"""The reads built on attendance: progress per track (attended of required)
and hours per week against the IOP minimum and the H0015 week."""

import datetime

import pytest
from django.utils import timezone

from groups.models import GroupSession, Topic
from groups.selectors import episode_track_progress, episode_weekly_hours
from iop.clients.models import Appointment
from tests.factories import EpisodeFactory
from tests.groups.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
    local,
    track,
)
from tests.groups.session_helpers import ABSENT, EXCUSED, LATE, PRESENT, new_counselor

pytestmark = pytest.mark.django_db


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
    counselor = new_counselor()
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
        counselor=new_counselor(),
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
