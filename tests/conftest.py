"""The fixed cast of STYLE.md: an intake worker, two counselors with disjoint
caseloads, a supervisor and an administrator; plus a client on each caseload
and one still in screening."""

import pytest

from iop.accounts import roles
from iop.clients.models import Episode
from tests.factories import ClientFactory, EpisodeFactory, UserFactory


@pytest.fixture
def intake(db):
    return UserFactory(username="intake", roles=[roles.INTAKE])


@pytest.fixture
def counselor1(db):
    return UserFactory(username="counselor1", roles=[roles.COUNSELOR])


@pytest.fixture
def counselor2(db):
    return UserFactory(username="counselor2", roles=[roles.COUNSELOR])


@pytest.fixture
def supervisor(db):
    return UserFactory(username="supervisor", roles=[roles.SUPERVISOR])


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", roles=[roles.ADMINISTRATOR], is_staff=True)


@pytest.fixture
def billing_user(db):
    return UserFactory(username="billing", roles=[roles.BILLING])


@pytest.fixture
def client_of_counselor1(counselor1):
    return EpisodeFactory(primary_counselor=counselor1).client


@pytest.fixture
def client_of_counselor2(counselor2):
    return EpisodeFactory(primary_counselor=counselor2).client


@pytest.fixture
def screening_client(db):
    client = ClientFactory()
    EpisodeFactory(
        client=client, phase=Episode.Phase.SCREENING, admission_date=None, level_of_care=""
    )
    return client


@pytest.fixture
def login(client):
    """Sign the test client in as the given user and return it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# The "replica" and "replica_down" fixtures: a real streaming replica.
from tests.replica_support import replica, replica_down  # noqa: E402, F401
