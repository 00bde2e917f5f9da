"""Fixtures of the FHIR API tests: a staff member, a client in treatment,
and the headers of a program-internal API client's bearer token."""

import pytest

from tests.factories import EpisodeFactory, UserFactory
from tests.interop.support import bearer, register_client


@pytest.fixture
def staff(db):
    return UserFactory()


@pytest.fixture
def patient(db):
    return EpisodeFactory().client


@pytest.fixture
def headers(client, db):
    """A program-internal client's token (system/*.rs)."""
    return bearer(client, register_client())
