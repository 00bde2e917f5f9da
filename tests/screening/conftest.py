"""Fixtures of the screening tests: a draft screening of the cast's
screening client, a client in screening on counselor1's caseload, and a
screening completed by a screener in training."""

import pytest

from iop.accounts import roles
from iop.clients.models import Episode
from screening import services
from tests.factories import ClientFactory, EpisodeFactory, UserFactory
from tests.screening.helpers import admit, ready_to_complete


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


@pytest.fixture
def trainee(db):
    """An intake worker in training: what they sign awaits a supervisor."""
    return UserFactory(username="trainee", roles=[roles.INTAKE], in_training=True)


@pytest.fixture
def trainee_screening(trainee, counselor1, screening_client):
    """A screening the trainee completed, admitting the client to counselor1."""
    draft = services.screening_start(actor=trainee, episode=screening_client.episodes.get())
    ready_to_complete(draft, trainee)
    return admit(draft, trainee, counselor1)
