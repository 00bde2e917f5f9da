"""Migration 0009 gives every existing staff user a distinct random public
id, then makes the column unique and required."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from iop.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_PUBLIC_ID = [("accounts", "0008_staff_mobile_phone")]


def _migrate(targets):
    MigrationExecutor(connection).migrate(targets)


@pytest.fixture
def before_public_id():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(BEFORE_PUBLIC_ID)
    yield
    _migrate(latest)


def _insert_user(username: str) -> None:
    # The table as it stood before 0009: the current model has a column more.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_user (password, is_superuser, username, first_name,"
            " last_name, email, is_staff, is_active, date_joined, credentials, degree_level,"
            " npi, mobile_phone, in_training, licensed_to_diagnose)"
            " VALUES ('', false, %s, '', '', '', false, true, now(), '', '', '', '',"
            " false, false)",
            [username],
        )


def test_existing_users_get_distinct_public_ids_and_new_ones_one_of_their_own(before_public_id):
    _insert_user("ana")
    _insert_user("ben")

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    ids = list(User.objects.values_list("public_id", flat=True))
    assert len(ids) == 2 and len(set(ids)) == 2
    assert all(isinstance(value, uuid.UUID) for value in ids)
    assert User.objects.create(username="cy").public_id not in ids
