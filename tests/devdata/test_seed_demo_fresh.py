"""seed_demo tests that need an empty database to start from (the main
module shares one seeded database between its tests)."""

import random
from datetime import timedelta

from django.contrib.auth import authenticate
from django.utils import timezone

from devdata.demo.audit import seed_chain_verification, seed_emergency_access
from devdata.demo.dashboard import seed_program_summary
from devdata.demo.groups import seed_groups
from devdata.management.commands.seed_demo import DEMO_PASSWORD, EXTRA_SEEDERS, seed_users
from groups.models import GroupSession, RecurringGroup
from iop.accounts.models import User
from iop.audit.models import AuditEvent, ChainVerification
from iop.audit.services import audit_record
from iop.clients.models import Episode
from iop.dashboard.models import SummaryRefresh
from screening.models import Referral, Screening
from tests.devdata.demo.seeding import seed
from tests.devdata.demo.test_seed_demo import DEMO_ROLES, _midnight
from tests.factories import EpisodeFactory


def test_existing_user_keeps_a_usable_password_and_gets_one_if_unusable(db, rf):
    kept = User.objects.create_user("supervisor", password="someone-elses-choice")
    unusable = User.objects.create_user("intake", password=None)

    seed()

    # django-axes throttles by address, so authenticate() needs the request.
    request = rf.post("/accounts/login/")
    assert authenticate(request, username="supervisor", password="someone-elses-choice") == kept
    assert authenticate(request, username="intake", password=DEMO_PASSWORD) == unusable
    assert User.objects.filter(username__in=DEMO_ROLES).count() == len(DEMO_ROLES)


def test_groups_are_seeded_once_and_counselor1_meets_on_any_weekday(db):
    users = seed_users()
    today = timezone.localdate()
    sunday = today - timedelta(days=(today.weekday() - 6) % 7)

    summary = seed_groups(users=users, rng=random.Random(1), today=sunday)
    again = seed_groups(users=users, rng=random.Random(1), today=sunday)

    assert "already there" in again and summary.split(" attendance")[0] in again
    sunday_groups = RecurringGroup.objects.filter(weekday=6, facilitator=users["counselor1"])
    assert sunday_groups.get().track.code == "rp"
    assert GroupSession.objects.filter(
        group__in=sunday_groups,
        starts_at__gte=_midnight(sunday),
        starts_at__lt=_midnight(sunday + timedelta(days=1)),
    ).exists()


def test_clients_that_are_not_demo_clients_are_left_alone(db):
    other = EpisodeFactory(phase=Episode.Phase.SCREENING, admission_date=None, level_of_care="")

    seed()

    assert not Referral.objects.filter(episode=other).exists()
    assert not Screening.objects.filter(episode=other).exists()


def test_the_demo_ends_by_building_the_summary_and_verifying_the_chain(transactional_db):
    # Committed (no test transaction around it), so the events are sealed as
    # in a real `seed_demo` run, whose last two seeders these are.
    for _ in range(3):
        audit_record(actor=None, action=AuditEvent.Action.LOGIN_FAILED, details={})

    summary_line = seed_program_summary(users={}, rng=None, today=None)
    chain_line = seed_chain_verification(users={}, rng=None, today=None)

    assert SummaryRefresh.objects.exists()
    assert summary_line.startswith("Program summary rebuilt")
    verification = ChainVerification.objects.get()
    assert verification.ok
    assert verification.rows_checked == 3
    assert chain_line == "Audit chain: 3 events verified, intact."
    assert EXTRA_SEEDERS[-2:] == (seed_program_summary, seed_chain_verification)


def test_demo_designates_one_licensed_counselor_for_emergency_access(counselor1, counselor2):
    assert seed_emergency_access in EXTRA_SEEDERS
    users = {"counselor1": counselor1, "counselor2": counselor2}
    seed_emergency_access(users=users, rng=None, today=timezone.localdate())
    seed_emergency_access(users=users, rng=None, today=timezone.localdate())

    assert type(counselor1).objects.get(pk=counselor1.pk).has_perm("audit.break_glass")
    assert not type(counselor2).objects.get(pk=counselor2.pk).has_perm("audit.break_glass")
    assert counselor1.role_names == {"Counselor"}
