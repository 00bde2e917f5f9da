"""Migration 0009 numbers the episodes that exist, per client in the order
they were referred, and leaves a trigger that numbers every new one."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from iop.clients.models import Episode
from tests.factories import ClientFactory, EpisodeFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_NUMBERING = [("clients", "0008_episode_number")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


@pytest.fixture
def before_numbering():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(BEFORE_NUMBERING)
    yield
    _migrate(latest)


def test_existing_episodes_are_numbered_in_referral_order_and_new_ones_follow(before_numbering):
    client, other = ClientFactory(), ClientFactory()
    today = datetime.date(2026, 6, 1)
    # Inserted out of order: the later referral first.
    later = EpisodeFactory(client=client, referral_date=today, admission_date=today)
    earlier = EpisodeFactory(
        client=client,
        phase=Episode.Phase.DISCHARGED,
        referral_date=today - datetime.timedelta(days=200),
        admission_date=today - datetime.timedelta(days=190),
        discharge_date=today - datetime.timedelta(days=100),
    )
    alone = EpisodeFactory(client=other)
    assert set(Episode.objects.values_list("number", flat=True)) == {0}

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    numbers = dict(Episode.objects.values_list("pk", "number"))
    assert (numbers[earlier.pk], numbers[later.pk], numbers[alone.pk]) == (1, 2, 1)
    Episode.objects.filter(pk=later.pk).update(phase=Episode.Phase.DISCHARGED)
    assert EpisodeFactory(client=client, referral_date=today).number == 3
