"""Matrix progress is the track's, shown once per track: a client moved from
one Relapse Prevention group to another has an enrollment per group, and the
chart, the step-down warning and the release of information each show
"Relapse Prevention 5 of 32" once, counting the sessions of both groups."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Enrollment
from groups.selectors import episode_track_progress
from tests.factories import EpisodeFactory
from tests.family.factories import consent_for, family_member
from tests.groups.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
    track,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(counselor1):
    """counselor1's client in the intensive phase, 3 sessions attended in a
    first Relapse Prevention group, then moved to a second one (2 more)."""
    episode = EpisodeFactory(primary_counselor=counselor1)
    today = timezone.localdate()
    first = EnrollmentFactory(
        episode=episode,
        group=RecurringGroupFactory(track=track("rp"), name="RP Monday"),
        start_date=today - datetime.timedelta(days=30),
        end_date=today - datetime.timedelta(days=10),
        status=Enrollment.Status.ENDED,
    )
    second = EnrollmentFactory(
        episode=episode,
        group=RecurringGroupFactory(track=track("rp"), name="RP Thursday"),
        start_date=today - datetime.timedelta(days=9),
    )
    for enrollment, days in ((first, (28, 21, 14)), (second, (7, 2))):
        for days_ago in days:
            session = GroupSessionFactory(
                group=enrollment.group,
                starts_at=timezone.now() - datetime.timedelta(days=days_ago),
            )
            AttendanceFactory(session=session, episode=episode)
    return first, second


def test_progress_has_one_row_per_track_with_the_sessions_of_every_group(moved):
    first, second = moved

    (progress,) = episode_track_progress(second.episode)

    assert (progress["track"].code, progress["attended"], progress["required"]) == ("rp", 5, 32)
    # The current enrollment stands for the track, since the first one began.
    assert progress["enrollment"] == second
    assert progress["started_on"] == first.start_date


def test_the_chart_shows_the_track_once(login, counselor1, moved):
    _first, second = moved
    client = second.episode.client

    response = login(counselor1).get(
        reverse("clients:client-section", args=[client.public_id, "groups"])
    )

    page = response.content.decode()
    assert page.count('data-testid="progress-rp"') == 1
    assert page.count("5 of 32 sessions") == 1
    assert "RP Thursday" in page and "RP Monday" not in page


def test_the_step_down_warning_names_the_track_once(login, counselor1, moved):
    _first, second = moved
    client = second.episode.client

    response = login(counselor1).get(reverse("aftercare:step-down", args=[client.public_id]))

    assert [item["attended"] for item in response.context["unmet"]] == [5]
    assert response.content.decode().count("Relapse Prevention: 5 of 32") == 1


def test_the_release_of_information_reports_the_track_once(login, counselor1, moved):
    _first, second = moved
    client = second.episode.client
    member = family_member(client, actor=counselor1, first_name="Rosa")
    consent = consent_for(client, member, actor=counselor1, categories=["progress"])

    response = login(counselor1).post(
        reverse("family:release-export", args=[client.public_id, consent.public_id])
    )

    assert response.status_code == 200
    (progress,) = (s for s in response.context["sections"] if s["category"] == "progress")
    assert [(item["track"].code, item["attended"]) for item in progress["tracks"]] == [("rp", 5)]
    assert response.content.decode().count("5 / 32") == 1
