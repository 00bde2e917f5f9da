"""Admission enrolls an episode in its program's tracks and places it into a
group of each; a counselor sees the members of the groups they facilitate."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from groups.models import Enrollment, RecurringGroup
from groups.services.enrollment import enrollment_change_group, episode_enroll
from iop.audit.models import AuditEvent
from iop.audit.policy import clients_visible_to
from iop.clients.models import Episode
from iop.clients.services import episode_admit, episode_discharge
from tests.factories import EpisodeFactory
from tests.groups.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
    enroll,
    track,
)

TODAY = timezone.localdate


def _screening_episode():
    return EpisodeFactory(phase=Episode.Phase.SCREENING, admission_date=None, level_of_care="")


def _admit(episode, actor, counselor, admission_date=None):
    return episode_admit(
        actor=actor,
        episode=episode,
        admission_date=admission_date or TODAY() - datetime.timedelta(days=2),
        level_of_care="2.1",
        counselor=counselor,
    )


def _enrollments(episode):
    return {
        enrollment.program_track.track.code: enrollment
        for enrollment in Enrollment.objects.filter(episode=episode).select_related(
            "program_track__track", "group"
        )
    }


# --- admission -----------------------------------------------------------------------


def test_admission_enrolls_the_episode_in_all_four_program_tracks(supervisor, counselor1):
    episode = _admit(_screening_episode(), supervisor, counselor1)

    assert set(_enrollments(episode)) == {"ers", "rp", "family", "social"}
    assert {e.status for e in _enrollments(episode).values()} == {Enrollment.Status.ACTIVE}


def test_admission_starts_each_track_in_its_program_week(supervisor, counselor1):
    admitted_on = TODAY() - datetime.timedelta(days=3)

    episode = _admit(_screening_episode(), supervisor, counselor1, admission_date=admitted_on)

    starts = {code: e.start_date for code, e in _enrollments(episode).items()}
    assert starts == {
        "ers": admitted_on,
        "rp": admitted_on,
        "family": admitted_on,
        "social": admitted_on + datetime.timedelta(weeks=12),
    }


def test_admission_ends_each_track_after_its_planned_weeks(supervisor, counselor1):
    admitted_on = TODAY() - datetime.timedelta(days=3)

    episode = _admit(_screening_episode(), supervisor, counselor1, admission_date=admitted_on)

    ends = {code: e.end_date - e.start_date for code, e in _enrollments(episode).items()}
    day = datetime.timedelta(days=1)
    assert ends == {
        "ers": datetime.timedelta(weeks=4) - day,
        "rp": datetime.timedelta(weeks=16) - day,
        "family": datetime.timedelta(weeks=12) - day,
        "social": datetime.timedelta(weeks=36) - day,
    }


def test_admission_places_the_episode_into_the_least_full_group_of_each_track(
    supervisor, counselor1
):
    busy = RecurringGroupFactory(track=track("rp"))
    quiet = RecurringGroupFactory(track=track("rp"), weekday=RecurringGroup.Weekday.FRIDAY)
    enroll(busy, 3)
    enroll(quiet, 1)
    family = RecurringGroupFactory(track=track("family"), weekday=RecurringGroup.Weekday.WEDNESDAY)

    episode = _admit(_screening_episode(), supervisor, counselor1)

    enrollments = _enrollments(episode)
    assert enrollments["family"].group == family
    rp = Enrollment.objects.filter(episode=episode, program_track__track__code="rp").order_by("pk")
    # The least full group first, then the other weekday: RP meets twice a week.
    assert [enrollment.group for enrollment in rp] == [quiet, busy]


def test_a_twice_weekly_track_takes_two_groups_on_different_weekdays(supervisor, counselor1):
    monday = RecurringGroupFactory(track=track("rp"), weekday=RecurringGroup.Weekday.MONDAY)
    RecurringGroupFactory(track=track("rp"), weekday=RecurringGroup.Weekday.MONDAY)
    friday = RecurringGroupFactory(track=track("rp"), weekday=RecurringGroup.Weekday.FRIDAY)

    episode = _admit(_screening_episode(), supervisor, counselor1)

    groups = {
        enrollment.group
        for enrollment in Enrollment.objects.filter(
            episode=episode, program_track__track__code="rp"
        )
    }
    assert len(groups) == 2
    assert friday in groups
    assert {group.weekday for group in groups} == {monday.weekday, friday.weekday}


def test_ended_enrollments_do_not_take_places(supervisor, counselor1):
    full = RecurringGroupFactory(track=track("rp"))
    for enrollment in enroll(full, full.track.capacity):
        Enrollment.objects.filter(pk=enrollment.pk).update(end_date=datetime.date(2020, 1, 31))

    episode = _admit(_screening_episode(), supervisor, counselor1)

    assert _enrollments(episode)["rp"].group == full


def test_admission_without_a_group_of_a_track_enrolls_without_group(supervisor, counselor1):
    RecurringGroupFactory(track=track("rp"))

    episode = _admit(_screening_episode(), supervisor, counselor1)

    enrollments = _enrollments(episode)
    assert enrollments["ers"].group is None
    assert enrollments["social"].group is None
    assert enrollments["rp"].group is not None


def test_admission_skips_a_full_group(supervisor, counselor1):
    rp = track("rp")
    full = RecurringGroupFactory(track=rp)
    enroll(full, rp.capacity)

    episode = _admit(_screening_episode(), supervisor, counselor1)

    assert _enrollments(episode)["rp"].group is None
    assert full.enrollments.count() == rp.capacity


def test_admission_places_into_a_group_with_room_when_another_is_full(supervisor, counselor1):
    rp = track("rp")
    full = RecurringGroupFactory(track=rp)
    enroll(full, rp.capacity)
    roomy = RecurringGroupFactory(track=rp, weekday=RecurringGroup.Weekday.FRIDAY)
    enroll(roomy, rp.capacity - 1)

    episode = _admit(_screening_episode(), supervisor, counselor1)

    assert _enrollments(episode)["rp"].group == roomy


def test_ended_enrollments_do_not_take_a_place_in_a_group(supervisor, counselor1):
    rp = track("rp")
    group = RecurringGroupFactory(track=rp)
    members = enroll(group, rp.capacity)
    Enrollment.objects.filter(pk=members[0].pk).update(status=Enrollment.Status.ENDED)

    episode = _admit(_screening_episode(), supervisor, counselor1)

    assert _enrollments(episode)["rp"].group == group


def test_admission_skips_an_inactive_group(supervisor, counselor1):
    RecurringGroupFactory(track=track("rp"), active=False)

    episode = _admit(_screening_episode(), supervisor, counselor1)

    assert _enrollments(episode)["rp"].group is None


def test_admission_audits_the_enrollment(supervisor, counselor1):
    episode = _admit(_screening_episode(), supervisor, counselor1)

    event = AuditEvent.objects.filter(
        client=episode.client, details__has_key="enrolled_tracks"
    ).get()
    assert sorted(event.details["enrolled_tracks"]) == ["ers", "family", "rp", "social"]


def test_enrolling_an_enrolled_episode_again_changes_nothing(supervisor, counselor1):
    episode = _admit(_screening_episode(), supervisor, counselor1)

    assert episode_enroll(actor=supervisor, episode=episode) == []
    assert Enrollment.objects.filter(episode=episode).count() == 4


# --- changing group ------------------------------------------------------------------


def test_change_group_moves_the_enrollment_to_another_group_of_its_track(supervisor):
    enrollment = EnrollmentFactory()
    other = RecurringGroupFactory(track=enrollment.group.track)

    enrollment_change_group(actor=supervisor, enrollment=enrollment, group=other)

    assert Enrollment.objects.get(pk=enrollment.pk).group == other
    assert AuditEvent.objects.filter(
        actor=supervisor, client=enrollment.episode.client, action=AuditEvent.Action.UPDATE
    ).exists()


def test_change_group_refuses_a_group_of_another_track(supervisor):
    enrollment = EnrollmentFactory()
    original = enrollment.group
    other_track = RecurringGroupFactory(track=track("ers"))

    with pytest.raises(ValidationError) as error:
        enrollment_change_group(actor=supervisor, enrollment=enrollment, group=other_track)

    assert "group" in error.value.message_dict
    assert Enrollment.objects.get(pk=enrollment.pk).group == original


def test_change_group_refuses_an_inactive_group(supervisor):
    enrollment = EnrollmentFactory()
    inactive = RecurringGroupFactory(track=enrollment.group.track, active=False)

    with pytest.raises(ValidationError):
        enrollment_change_group(actor=supervisor, enrollment=enrollment, group=inactive)


def test_change_group_to_none_takes_the_client_out_of_any_group(supervisor):
    enrollment = EnrollmentFactory()

    enrollment_change_group(actor=supervisor, enrollment=enrollment, group=None)

    assert Enrollment.objects.get(pk=enrollment.pk).group is None


# --- the counselor scope of the access policy ----------------------------------------


def test_counselor_sees_members_of_a_group_they_facilitate(counselor2, client_of_counselor1):
    group = RecurringGroupFactory(facilitator=counselor2)
    EnrollmentFactory(group=group, episode=client_of_counselor1.episodes.get())

    assert clients_visible_to(counselor2).filter(pk=client_of_counselor1.pk).exists()


def test_counselor_sees_members_of_a_group_they_co_facilitate(counselor2, client_of_counselor1):
    group = RecurringGroupFactory(co_facilitator=counselor2)
    EnrollmentFactory(group=group, episode=client_of_counselor1.episodes.get())

    assert clients_visible_to(counselor2).filter(pk=client_of_counselor1.pk).exists()


def test_counselor_does_not_see_members_of_another_counselors_group(
    counselor1, counselor2, client_of_counselor1
):
    group = RecurringGroupFactory(facilitator=counselor1)
    EnrollmentFactory(group=group, episode=client_of_counselor1.episodes.get())

    assert not clients_visible_to(counselor2).filter(pk=client_of_counselor1.pk).exists()


def test_counselor_sees_the_client_of_a_drop_in_at_their_group(counselor2, client_of_counselor1):
    session = GroupSessionFactory(group=RecurringGroupFactory(facilitator=counselor2))
    AttendanceFactory(session=session, episode=client_of_counselor1.episodes.get(), drop_in=True)

    assert clients_visible_to(counselor2).filter(pk=client_of_counselor1.pk).exists()


def test_counselor_no_longer_sees_a_group_member_once_discharged(
    supervisor, counselor2, client_of_counselor1
):
    episode = client_of_counselor1.episodes.get()
    EnrollmentFactory(group=RecurringGroupFactory(facilitator=counselor2), episode=episode)

    episode_discharge(actor=supervisor, episode=episode, discharge_date=TODAY(), reason=1)

    assert not clients_visible_to(counselor2).filter(pk=client_of_counselor1.pk).exists()


def test_counselor_no_longer_sees_a_drop_in_client_once_discharged(
    supervisor, counselor2, client_of_counselor1
):
    episode = client_of_counselor1.episodes.get()
    session = GroupSessionFactory(group=RecurringGroupFactory(facilitator=counselor2))
    AttendanceFactory(session=session, episode=episode, drop_in=True)

    episode_discharge(actor=supervisor, episode=episode, discharge_date=TODAY(), reason=1)

    assert not clients_visible_to(counselor2).filter(pk=client_of_counselor1.pk).exists()


def test_counselor_no_longer_sees_a_member_whose_enrollment_ended(counselor2, client_of_counselor1):
    EnrollmentFactory(
        group=RecurringGroupFactory(facilitator=counselor2),
        episode=client_of_counselor1.episodes.get(),
        status=Enrollment.Status.ENDED,
    )

    assert not clients_visible_to(counselor2).filter(pk=client_of_counselor1.pk).exists()
