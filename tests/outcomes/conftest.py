"""Fixtures of the self-report tests, reusing the reminders' providers
(the SMS file, the Twilio stand-in, quiet hours off)."""

import pytest
from django.core.cache import cache

from tests.factories import EpisodeFactory
from tests.outcomes.support import DOB, due_by_link
from tests.reminders.conftest import mailbox, no_quiet_hours, sms_file, twilio  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test counts its own requests: a window key of its own."""
    import redis

    redis.Redis.from_url(settings.REDIS_URL).delete(
        *redis.Redis.from_url(settings.REDIS_URL).keys("selfreport:rate:*") or ["-"]
    )
    cache.clear()


@pytest.fixture
def episode(counselor1):
    """Counselor 1's client, who agreed to texts and email, in Spanish."""
    episode = EpisodeFactory(primary_counselor=counselor1)
    client = episode.client
    client.date_of_birth = DOB
    client.phone = "+15555550123"
    client.email = "robin@example.test"
    client.sms_consent = True
    client.email_consent = True
    client.preferred_language = "es"
    client.save()
    return episode


@pytest.fixture
def due(episode):
    return due_by_link(episode)
