"""The counselor's caseload table (iop.dashboard.caseload): which episodes
it lists, Matrix progress, last attendance, the flags, and its sorting."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from groups.models import GroupSession
from iop.audit.policy import clients_visible_to
from iop.clients.models import DrugTest, DrugTestResult, Episode, Substance
from iop.dashboard.caseload import caseload_rows
from tests.factories import EpisodeFactory
from tests.groups.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
    program_track,
    track,
)
from tests.outcomes.helpers import give, install_default_rules

pytestmark = pytest.mark.django_db


def _rows(counselor, **kwargs):
    return caseload_rows(clients_visible_to(counselor), counselor=counselor, **kwargs)


def _row(counselor, episode):
    return next(row for row in _rows(counselor) if row["episode"].pk == episode.pk)


def _attend(episode, group, days_ago, status="present", session_status="scheduled"):
    starts_at = timezone.now() - timedelta(days=days_ago)
    return AttendanceFactory(
        episode=episode,
        status=status,
        session=GroupSessionFactory(group=group, starts_at=starts_at, status=session_status),
    )


def test_table_lists_the_counselors_intensive_and_aftercare_episodes(counselor1, counselor2):
    intensive = EpisodeFactory(primary_counselor=counselor1)
    aftercare = EpisodeFactory(primary_counselor=counselor1, phase=Episode.Phase.AFTERCARE)
    EpisodeFactory(primary_counselor=counselor1, phase=Episode.Phase.SCREENING)
    EpisodeFactory(primary_counselor=counselor2)

    rows = _rows(counselor1)

    assert {row["episode"].pk for row in rows} == {intensive.pk, aftercare.pk}


def test_progress_counts_sessions_attended_of_required_per_track(counselor1):
    episode = EpisodeFactory(primary_counselor=counselor1)
    group = RecurringGroupFactory(track=track("rp"), facilitator=counselor1)
    EnrollmentFactory(episode=episode, group=group)
    _attend(episode, group, 3, "present")
    _attend(episode, group, 2, "late")
    _attend(episode, group, 1, "absent")
    _attend(episode, group, 4, "present", session_status=GroupSession.Status.CANCELLED)

    progress = _row(counselor1, episode)["progress"]

    required = program_track("rp").sessions_required
    assert [(p["code"], p["attended"], p["required"]) for p in progress] == [("rp", 2, required)]


def test_last_attended_is_the_latest_session_present_or_late(counselor1):
    episode = EpisodeFactory(primary_counselor=counselor1)
    group = RecurringGroupFactory(facilitator=counselor1)
    attended = _attend(episode, group, 5, "late")
    _attend(episode, group, 2, "absent")

    row = _row(counselor1, episode)

    assert row["last_attended"] == attended.session.starts_at


def test_two_absences_in_a_row_are_flagged_excused_ones_left_out(counselor1):
    flagged = EpisodeFactory(primary_counselor=counselor1)
    fine = EpisodeFactory(primary_counselor=counselor1)
    group = RecurringGroupFactory(facilitator=counselor1)
    _attend(flagged, group, 6, "present")
    _attend(flagged, group, 5, "absent")
    _attend(flagged, group, 4, "excused")
    _attend(flagged, group, 3, "absent")
    _attend(fine, group, 5, "absent")
    _attend(fine, group, 3, "present")

    assert "two_absences" in _row(counselor1, flagged)["flags"]
    assert "two_absences" not in _row(counselor1, fine)["flags"]


def test_only_the_latest_test_raises_the_unexpected_positive_flag(counselor1):
    flagged = EpisodeFactory(primary_counselor=counselor1)
    recovered = EpisodeFactory(primary_counselor=counselor1)
    today = timezone.localdate()

    def test(episode, days_ago, result, expected=False):
        drug_test = DrugTest.objects.create(
            client=episode.client,
            collected_on=today - datetime.timedelta(days=days_ago),
            specimen=DrugTest.Specimen.URINE,
            recorded_by=counselor1,
        )
        DrugTestResult.objects.create(
            test=drug_test, substance=Substance.COCAINE, result=result, expected=expected
        )

    test(flagged, 1, "positive")
    test(recovered, 9, "positive")
    test(recovered, 2, "negative")

    assert "unexpected_positive" in _row(counselor1, flagged)["flags"]
    row = _row(counselor1, recovered)
    assert "unexpected_positive" not in row["flags"]
    assert row["last_test_on"] == today - datetime.timedelta(days=2)


def test_sorting_by_flags_puts_the_most_flagged_first(counselor1):
    calm = EpisodeFactory(primary_counselor=counselor1)
    worried = EpisodeFactory(primary_counselor=counselor1)
    group = RecurringGroupFactory(facilitator=counselor1)
    _attend(worried, group, 3, "absent")
    _attend(worried, group, 2, "absent")

    rows = _rows(counselor1, sort="flags")

    assert [row["episode"].pk for row in rows] == [worried.pk, calm.pk]


def test_the_table_names_the_not_on_track_flags_in_words(login, counselor1):
    install_default_rules()
    episode = EpisodeFactory(
        primary_counselor=counselor1,
        referral_date=timezone.localdate() - timedelta(days=80),
        admission_date=timezone.localdate() - timedelta(days=70),
    )
    give(episode.client, "PHQ-9", 65, total=18)
    give(episode.client, "PHQ-9", 1, total=17)

    assert [flag.label for flag in _row(counselor1, episode)["not_on_track"]] == [
        "PHQ-9 not improving"
    ]
    page = login(counselor1).get("/").content.decode()
    assert "Not on track: PHQ-9 not improving" in page
