"""manage.py seed_demo: demo accounts and fictitious clients, safe to run again."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from iop.accounts import roles
from iop.accounts.models import User
from iop.audit.models import AuditEvent
from iop.clients.management.commands.seed_demo import DEMO_PASSWORD
from iop.clients.models import CaseloadAssignment, Client, Episode

DEMO_ROLES = {
    "admin": roles.ADMINISTRATOR,
    "supervisor": roles.SUPERVISOR,
    "intake": roles.INTAKE,
    "counselor1": roles.COUNSELOR,
    "counselor2": roles.COUNSELOR,
}


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (User, Client, Episode, CaseloadAssignment, AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def seeded(db):
    return seed()


def test_running_seed_demo_twice_creates_nothing_the_second_time(seeded):
    first = counts()

    output = seed()

    assert counts() == first
    assert "0 new of 40" in output


def test_demo_users_have_their_roles_and_sign_in_with_the_demo_password(seeded):
    for username, role in DEMO_ROLES.items():
        user = User.objects.get(username=username)
        assert user.role_names == {role}
        assert authenticate(username=username, password=DEMO_PASSWORD) == user


def test_admin_is_staff_but_not_superuser_and_counselor2_is_in_training(seeded):
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    assert User.objects.get(username="counselor2").in_training


def test_existing_user_keeps_a_usable_password_and_gets_one_if_unusable(db):
    kept = User.objects.create_user("supervisor", password="someone-elses-choice")
    unusable = User.objects.create_user("intake", password=None)

    seed()

    assert authenticate(username="supervisor", password="someone-elses-choice") == kept
    assert authenticate(username="intake", password=DEMO_PASSWORD) == unusable
    assert User.objects.filter(username__in=DEMO_ROLES).count() == 5


def test_the_password_is_printed_with_the_accounts(seeded):
    assert DEMO_PASSWORD in seeded
    for username, role in DEMO_ROLES.items():
        assert username in seeded
        assert role in seeded


def test_every_phase_has_clients(seeded):
    phases = set(Episode.objects.values_list("phase", flat=True))

    assert phases == set(Episode.Phase.values)


def test_discharges_use_several_teds_reasons_and_no_date_is_in_the_future(seeded):
    discharged = Episode.objects.filter(phase=Episode.Phase.DISCHARGED)

    assert discharged.values("discharge_reason").distinct().count() >= 4
    for episode in discharged:
        assert episode.admission_date <= episode.discharge_date <= timezone.localdate()


def test_counselor_caseloads_are_non_empty_and_disjoint(seeded):
    def caseload(username):
        return set(
            Client.objects.filter(
                episodes__primary_counselor__username=username,
            ).values_list("pk", flat=True)
        )

    first, second = caseload("counselor1"), caseload("counselor2")

    assert first and second
    assert not first & second
    assert 0.8 <= len(first) / len(second) <= 1.25


def test_screening_clients_have_no_counselor_and_admitted_ones_have_one(seeded):
    screening = Episode.objects.filter(phase=Episode.Phase.SCREENING)
    admitted = Episode.objects.exclude(phase=Episode.Phase.SCREENING)

    assert not screening.filter(primary_counselor__isnull=False).exists()
    assert not admitted.filter(primary_counselor__isnull=True).exists()
    assert CaseloadAssignment.objects.count() == admitted.count()


def test_two_clients_are_readmitted_with_one_discharged_and_one_open_episode(seeded):
    readmitted = Client.objects.filter(episodes__phase=Episode.Phase.DISCHARGED).filter(
        episodes__phase=Episode.Phase.INTENSIVE
    )

    assert readmitted.distinct().count() == 2


def test_about_forty_clients_are_seeded(seeded):
    assert 35 <= Client.objects.count() <= 45
