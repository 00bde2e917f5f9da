"""Fixtures of the screening tests: a draft screening of the cast's
screening client, and a client in screening on counselor1's caseload."""

import pytest

from iop.clients.models import Episode
from screening import services
from tests.factories import ClientFactory, EpisodeFactory


@pytest.fixture
def draft(intake, screening_client):
    """A screening in progress, started by the intake worker."""
    return services.screening_start(actor=intake, episode=screening_client.episodes.get())


@pytest.fixture
def screening_client_of_counselor1(counselor1):
    """In screening, yet visible to counselor1 (primary counselor already set),
    so that counselor1 passes the access policy and meets the role check."""
    client = ClientFactory()
    EpisodeFactory(
        client=client,
        phase=Episode.Phase.SCREENING,
        admission_date=None,
        level_of_care="",
        primary_counselor=counselor1,
    )
    return client
