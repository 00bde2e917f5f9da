"""Aftercare fixtures (see tests/aftercare/factories.py)."""

import pytest

from tests.aftercare.factories import stepped_down


@pytest.fixture
def plan(counselor1):
    """counselor1's client, in aftercare for four weeks."""
    return stepped_down(counselor1)


@pytest.fixture
def aftercare_client(plan):
    return plan.client
