"""The episodes' measures read from the database (outcomes.selectors): the
episode's window, the flags of real administrations and due measures, and a
fixed number of queries whatever the number of episodes."""

import datetime

import pytest
from django.utils import timezone

from iop.audit.policy import clients_visible_to
from iop.clients.models import Episode
from outcomes.models import DueMeasure, OnTrackRule
from outcomes.selectors import episode_histories, episodes_standing, not_on_track
from tests.factories import EpisodeFactory
from tests.outcomes.helpers import give, install_default_rules

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _admitted(counselor, days_ago=70, **kwargs):
    admitted_on = TODAY() - datetime.timedelta(days=days_ago)
    return EpisodeFactory(
        primary_counselor=counselor,
        referral_date=admitted_on - datetime.timedelta(days=7),
        admission_date=admitted_on,
        **kwargs,
    )


def _due(episode, instrument, days_ago, status):
    due_on = TODAY() - datetime.timedelta(days=days_ago)
    return DueMeasure.objects.create(
        client=episode.client,
        episode=episode,
        instrument=instrument,
        occasion=f"every-28-{days_ago}",
        method="link",
        due_on=due_on,
        closes_on=due_on + datetime.timedelta(days=7),
        status=status,
    )


def test_the_episode_holds_administrations_from_three_days_before_admission(counselor1):
    episode = _admitted(counselor1, days_ago=60)
    give(episode.client, "PHQ-9", 64, total=20)  # a screening visit before: not baseline
    give(episode.client, "PHQ-9", 63, total=14)
    give(episode.client, "PHQ-9", 5, total=12)

    history = episode_histories([episode])[episode.pk]

    assert [score.total for score in history.of("PHQ-9")] == [14, 12]


def test_a_discharged_episode_ends_on_its_discharge_date(counselor1):
    episode = _admitted(
        counselor1,
        days_ago=90,
        phase=Episode.Phase.DISCHARGED,
        discharge_date=TODAY() - datetime.timedelta(days=10),
    )
    give(episode.client, "BAM", 90, use=2)
    give(episode.client, "BAM", 5, use=0)

    history = episode_histories([episode])[episode.pk]

    assert [score.value("use") for score in history.of("BAM")] == [2]


def test_not_on_track_lists_the_counselors_clients_with_their_flags(counselor1, counselor2):
    install_default_rules()
    stuck = _admitted(counselor1)
    give(stuck.client, "PHQ-9", 60, total=16)
    give(stuck.client, "PHQ-9", 2, total=14)
    better = _admitted(counselor1)
    give(better.client, "PHQ-9", 60, total=16)
    give(better.client, "PHQ-9", 2, total=9)
    missing = _admitted(counselor1)
    _due(missing, "BAM", 40, DueMeasure.Status.MISSED)
    _due(missing, "BAM", 12, DueMeasure.Status.OPEN)  # closed 5 days ago: missed
    elsewhere = _admitted(counselor2)
    give(elsewhere.client, "PHQ-9", 60, total=16)
    give(elsewhere.client, "PHQ-9", 2, total=16)

    listed = not_on_track(clients_visible_to(counselor1), counselor=counselor1)

    flags = {item.episode.pk: [flag.key for flag in item.flags] for item in listed}
    assert flags == {stuck.pk: ["phq9-no-improvement"], missing.pk: ["measures-missed"]}


def test_a_rule_out_of_use_raises_no_flag(counselor1):
    install_default_rules()
    OnTrackRule.objects.filter(key="phq9-no-improvement").update(active=False)
    stuck = _admitted(counselor1)
    give(stuck.client, "PHQ-9", 60, total=16)
    give(stuck.client, "PHQ-9", 2, total=14)

    assert not_on_track(clients_visible_to(counselor1), counselor=counselor1) == []


def test_response_and_remission_per_episode(counselor1):
    install_default_rules()
    episode = _admitted(counselor1)
    give(episode.client, "PHQ-9", 60, total=12)
    give(episode.client, "PHQ-9", 2, total=4)
    give(episode.client, "GAD-7", 60, total=10)
    give(episode.client, "GAD-7", 2, total=6)

    standing = episodes_standing([episode])[episode.pk]

    assert standing.response == {"PHQ-9": True, "GAD-7": False}
    assert standing.remission == {"PHQ-9": True, "GAD-7": False}


def _caseload(counselor, count):
    for number in range(count):
        episode = _admitted(counselor)
        give(episode.client, "BAM", 60, use=1, risk=5)
        give(episode.client, "BAM", 20 + number % 3, use=2, risk=10)
        _due(episode, "PHQ-9", 40, DueMeasure.Status.MISSED)


def test_the_evaluation_reads_a_fixed_number_of_queries(counselor1, django_assert_num_queries):
    install_default_rules()
    _caseload(counselor1, 2)
    visible = clients_visible_to(counselor1)  # reads the user's roles once
    with django_assert_num_queries(4):
        small = not_on_track(visible, counselor=counselor1)

    _caseload(counselor1, 20)
    with django_assert_num_queries(4):
        large = not_on_track(visible, counselor=counselor1)

    assert (len(small), len(large)) == (2, 22)
    assert {flag.key for flag in large[0].flags} == {"bam-use-running", "bam-risk-rising"}
