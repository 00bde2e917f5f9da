"""One demo seeding for every module of this package.

seed_demo takes about a minute. Each module here only reads what it wrote
(or runs it again to prove nothing changes), so the package seeds once,
inside a transaction rolled back when its last test has run, and each test
runs in a savepoint within it (pytest-django's `db`): tests stay isolated,
and the suite seeds once instead of once per module. Tests that need a
database never seeded live outside this package (test_seed_demo_fresh.py).
"""

import pytest
from django.db import connection, transaction

from tests.devdata.demo.seeding import seed


@pytest.fixture(scope="package")
def _seeded_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        # Run the deferred foreign-key checks of the seed now, once: each
        # test's teardown checks what is still pending (Django's TestCase),
        # and would otherwise check the whole seed again, seconds a test.
        connection.check_constraints()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_once, db):
    """The output of the package's seed_demo run, the data in place."""
    return _seeded_once
