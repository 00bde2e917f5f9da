"""The Matrix curriculum and the default program arrive by data migration
(DOMAIN.md section 2)."""

import importlib

import django.apps
import pytest

from groups.models import Program, ProgramTrack, Topic, Track
from tests.groups.factories import CURRICULUM_MIGRATION, ensure_curriculum

pytestmark = pytest.mark.django_db

ERS_TITLES = [
    "Stop the Cycle",
    "Identifying External Triggers",
    "Identifying Internal Triggers",
    "Twelve-Step or Other Spiritual Group Introduction",
    "Your Body Chemistry in Recovery",
    "Early Recovery Problems",
    "Thinking, Feeling, and Doing",
    "Keep It Simple",
]
RP_TITLES = [
    "Alcohol: The Legal Drug",
    "Boredom",
    "Avoiding Relapse Drift",
    "Work and Recovery",
    "Guilt and Shame",
    "Staying Busy",
    "Motivation for Recovery",
    "Truthfulness",
    "Total Abstinence",
    "Sex and Recovery",
    "Relapse Prevention",
    "Trust",
    "Be Smart, Not Strong",
]
FAMILY_TITLES = [
    "Triggers and Cravings",
    "AA/Matrix Model Panel",
    "Road Map for Recovery",
    "Avoiding/Coping with Relapse",
    "Families in Recovery",
    "Living with an Addiction",
]
SOCIAL_THEMES = {
    "Anger",
    "Codependence",
    "Cravings",
    "Depression",
    "Friendship",
    "Grief",
    "Honesty",
    "Intimacy",
    "Isolation",
    "Relaxation",
    "Spirituality",
    "Thought stopping",
    "Triggers",
    "Trust",
    "Work",
}


def _titles(code):
    return list(
        Topic.objects.filter(track__code=code).order_by("number").values_list("title", flat=True)
    )


def _placeholder_numbers(code):
    return list(
        Topic.objects.filter(track__code=code, placeholder=True)
        .order_by("number")
        .values_list("number", flat=True)
    )


@pytest.mark.parametrize(
    ("code", "count"), [("ers", 8), ("rp", 32), ("family", 12), ("social", 15)]
)
def test_each_track_has_its_number_of_topics(code, count):
    assert Topic.objects.filter(track__code=code).count() == count


def test_topics_are_numbered_from_one_without_gaps():
    for track in Track.objects.all():
        numbers = list(track.topics.order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1)), track.code


def test_early_recovery_skills_topics_follow_the_matrix_manual():
    assert _titles("ers") == ERS_TITLES


def test_relapse_prevention_topics_one_to_thirteen_follow_the_matrix_manual():
    assert _titles("rp")[:13] == RP_TITLES


def test_relapse_prevention_topics_fourteen_to_thirty_two_are_placeholders():
    assert _placeholder_numbers("rp") == list(range(14, 33))


def test_family_education_topics_one_to_six_follow_the_matrix_manual():
    assert _titles("family")[:6] == FAMILY_TITLES


def test_family_education_topics_seven_to_twelve_are_placeholders():
    assert _placeholder_numbers("family") == list(range(7, 13))


def test_social_support_has_the_fifteen_themes_and_no_placeholders():
    assert set(_titles("social")) == SOCIAL_THEMES
    assert _placeholder_numbers("social") == []


def test_early_recovery_skills_has_no_placeholders():
    assert _placeholder_numbers("ers") == []


def test_default_program_is_the_matrix_sixteen_week_iop():
    program = Program.objects.get(is_default=True)

    assert program.name == "Matrix 16-week IOP"
    assert program.weeks == 16


@pytest.mark.parametrize(
    ("code", "start_week", "required", "per_week"),
    [("ers", 1, 8, 2), ("rp", 1, 32, 2), ("family", 1, 12, 1), ("social", 13, 36, 1)],
)
def test_default_program_plans_each_track(code, start_week, required, per_week):
    plan = ProgramTrack.objects.get(program__is_default=True, track__code=code)

    assert (plan.start_week, plan.sessions_required, plan.sessions_per_week) == (
        start_week,
        required,
        per_week,
    )


def test_default_program_has_exactly_the_four_matrix_tracks():
    codes = set(
        ProgramTrack.objects.filter(program__is_default=True).values_list("track__code", flat=True)
    )

    assert codes == {"ers", "rp", "family", "social"}


@pytest.mark.parametrize(
    ("code", "minutes", "for_family"),
    [("ers", 60, False), ("rp", 90, False), ("family", 90, True), ("social", 90, False)],
)
def test_tracks_have_their_session_length_and_audience(code, minutes, for_family):
    track = Track.objects.get(code=code)

    assert track.session_minutes == minutes
    assert track.for_family is for_family
    assert track.rolling is True


def test_track_weeks_follow_from_sessions_required_and_frequency():
    weeks = {
        plan.track.code: plan.weeks
        for plan in ProgramTrack.objects.filter(program__is_default=True).select_related("track")
    }

    assert weeks == {"ers": 4, "rp": 16, "family": 12, "social": 36}


def test_loading_the_curriculum_again_changes_nothing():
    before = (Topic.objects.count(), ProgramTrack.objects.count(), Program.objects.count())

    importlib.import_module(CURRICULUM_MIGRATION).load(django.apps.apps, None)

    assert (Topic.objects.count(), ProgramTrack.objects.count(), Program.objects.count()) == before


def test_ensure_curriculum_returns_the_default_program():
    assert ensure_curriculum() == Program.objects.get(is_default=True)
