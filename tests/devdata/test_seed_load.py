"""The large-clinic generator (devdata.load), run small against the
test database: it scales with the number of clients, keeps every
constraint, writes the audit trail and is reproducible from its seed."""

import datetime
from datetime import UTC

import pytest
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum

from aftercare.models import AftercarePlan, CheckIn
from billing.drafting.service import charges_redraft
from billing.models import Authorization, Charge, ClaimBatch, Coverage
from billing.selectors.authorizations import live_charges
from billing.services.claims import batch_build
from billing.x12.validate import pyx12_findings
from devdata.load import Scale, build
from devdata.load.billing import BILLING_WEEKS
from devdata.load.database import (
    database_url,
    ensure_not_default,
    load_database_url,
    parse,
)
from groups.models import Attendance, GroupSession, RecurringGroup
from iop.accounts import roles
from iop.accounts.models import User
from iop.audit.models import AuditEvent
from iop.audit.services import audit_chain_verify
from iop.clients.models import (
    Appointment,
    Client,
    DrugTestResult,
    Episode,
    SessionNote,
    TreatmentPlan,
)
from iop.reminders.models import Reminder

NOW = datetime.datetime(2026, 3, 4, 15, 30, tzinfo=UTC)
CLIENTS = 60


@pytest.fixture
def clinic(db):
    return build(CLIENTS, seed=7, now=NOW)


def test_scale_follows_the_number_of_clients():
    large = Scale(clients=5000)
    assert (large.counselors, large.groups, large.audit_events) == (40, 151, 1_000_000)
    small = Scale(clients=200)
    assert (small.counselors, small.groups, small.audit_events) == (4, 8, 40_000)


def test_build_writes_a_clinic_of_the_size_asked(clinic):
    assert Client.objects.count() == CLIENTS
    assert CLIENTS <= Episode.objects.count() <= CLIENTS * 1.4
    assert User.objects.filter(groups__name="Counselor").count() == 4
    assert RecurringGroup.objects.count() == 8
    # The trail's 200 a client, then the billing engine's own events.
    drafted = AuditEvent.objects.filter(details__charges_redrafted=True)
    assert AuditEvent.objects.exclude(pk__in=drafted).count() == CLIENTS * 200
    assert drafted.exists()
    assert User.objects.filter(groups__name="Billing").count() == 1
    # The counts reported are the rows that are there.
    assert clinic.counts["clients.Client"] == CLIENTS
    assert clinic.counts["groups.Attendance"] == Attendance.objects.count()
    assert clinic.counts["billing.Charge"] == Charge.objects.count()
    assert [name for name, _ in clinic.timings][-2:] == ["audit trail", "billing"]


def test_build_fills_every_part_of_the_record(clinic):
    for model in (
        Appointment,
        SessionNote,
        TreatmentPlan,
        DrugTestResult,
        GroupSession,
        Attendance,
        AftercarePlan,
        CheckIn,
        Reminder,
    ):
        assert model.objects.exists(), model.__name__
    statuses = set(Reminder.objects.values_list("status", flat=True))
    assert {"sent", "pending", "cancelled"} <= statuses
    attended = Attendance.objects.filter(status__in=["present", "late"]).count()
    counted = Attendance.objects.exclude(status="excused").count()
    assert 0.65 < attended / counted < 0.95


def test_build_bills_the_last_weeks_from_the_documented_services(clinic):
    admitted = Episode.objects.filter(admission_date__isnull=False)
    # Every admitted episode has its confirmed primary diagnosis, every
    # admitted client a primary coverage.
    assert not admitted.exclude(diagnoses__status="confirmed", diagnoses__rank=1).exists()
    assert set(Coverage.objects.filter(order=1).values_list("client", flat=True)) == set(
        admitted.values_list("client", flat=True)
    )
    assert Authorization.objects.exists()
    charges = live_charges()
    assert charges.count() > CLIENTS
    first_monday = NOW.date() - datetime.timedelta(weeks=BILLING_WEEKS + 1)
    assert not charges.filter(service_date__lt=first_monday).exists()
    assert not charges.filter(service_date__gt=NOW.date()).exists()
    # Drafted by the engine: each charge rests on documented services.
    assert not charges.filter(evidence__isnull=True).exists()
    statuses = set(charges.values_list("status", flat=True))
    assert {"exported", "ready", "held"} <= statuses
    assert charges.filter(status="held").count() < charges.count() / 3
    # The engine agrees with what was written: drafting again changes nothing.
    clients = set(charges.values_list("client", flat=True))
    assert charges_redraft(
        client_ids=clients,
        dates=[NOW.date() - datetime.timedelta(weeks=w) for w in range(BILLING_WEEKS + 1)],
    ) == {
        "written": 0,
        "superseded": 0,
    }


def test_a_large_clinics_ready_charges_make_an_837p_valid_under_pyx12(clinic):
    billing = User.objects.filter(groups__name=roles.BILLING).first()
    ready = live_charges().filter(status=Charge.Status.READY).count()

    result = batch_build(actor=billing)

    assert result.claims > 0 and ready > 0
    assert result.batch.status == ClaimBatch.Status.VALID, result.batch.errors[:3]
    assert pyx12_findings(result.batch.content) == []
    assert result.batch.claims.count() == result.claims


def test_build_keeps_the_constraints(clinic):
    open_twice = (
        Episode.objects.exclude(phase="discharged")
        .values("client")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not open_twice.exists()
    discharged = Episode.objects.filter(phase="discharged", admission_date__isnull=False)
    assert discharged.exists()
    assert not discharged.filter(discharge_date__lt=F("admission_date")).exists()
    assert not Episode.objects.filter(admission_date__lt=F("referral_date")).exists()
    assert not Episode.objects.filter(phase="discharged", discharge_reason__isnull=True).exists()
    active_plans = TreatmentPlan.objects.filter(status="active").values("episode")
    assert not active_plans.annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not Episode.objects.filter(Q(phase="screening") & ~Q(primary_counselor=None)).exists()
    # Deferred foreign keys of every table hold.
    connection.check_constraints()


def test_build_is_reproducible_from_its_seed(db):
    def aggregates():
        return {
            "phases": dict(Episode.objects.values_list("phase").annotate(n=Count("id"))),
            "names": list(
                Client.objects.order_by(
                    "legal_last_name", "legal_first_name", "date_of_birth"
                ).values_list("legal_last_name", "legal_first_name", "date_of_birth")[:20]
            ),
            "attendance": dict(Attendance.objects.values_list("status").annotate(n=Count("id"))),
            "minutes": Attendance.objects.aggregate(total=Sum("minutes"))["total"],
            "positives": DrugTestResult.objects.filter(result="positive").count(),
            "reminders": dict(Reminder.objects.values_list("status").annotate(n=Count("id"))),
            "audit": dict(AuditEvent.objects.values_list("action").annotate(n=Count("id"))),
            "charges": dict(
                live_charges()
                .values_list("code")
                .annotate(n=Count("id"), units=Sum("units"))
                .values_list("code", "units")
            ),
        }

    with transaction.atomic():
        first = build(CLIENTS, seed=7, now=NOW, audit_events=2000)
        before = aggregates()
        transaction.set_rollback(True)
    assert not Client.objects.exists()
    second = build(CLIENTS, seed=7, now=NOW, audit_events=2000)
    assert aggregates() == before
    assert first.counts == second.counts


def test_load_database_is_derived_from_the_database_url(monkeypatch):
    monkeypatch.delenv("LOAD_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/openiop")
    assert load_database_url() == "postgres://postgres@127.0.0.1:5432/openiop_load"
    monkeypatch.setenv("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/big")
    assert load_database_url() == "postgres://postgres@127.0.0.1:5432/big"
    assert load_database_url("postgres://h/given") == "postgres://h/given"


def test_a_unix_socket_database_keeps_its_socket(monkeypatch):
    monkeypatch.delenv("LOAD_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@/openiop?host=/srv/pg")
    url = load_database_url()
    assert parse(url)["NAME"] == "openiop_load"
    assert parse(url)["OPTIONS"] == {"host": "/srv/pg"}
    socket = {"NAME": "x", "USER": "postgres", "HOST": "/srv/pg", "PORT": ""}
    assert parse(database_url(socket))["OPTIONS"] == {"host": "/srv/pg"}


def test_the_application_database_is_never_the_load_database(settings):
    url = database_url(settings.DATABASES["default"])
    with pytest.raises(CommandError):
        ensure_not_default(parse(url))
    ensure_not_default(parse(url + "_load"))


def test_large_clinic_generator_leaves_a_verifiable_chain(db):
    build(10, seed=3, audit_events=3000)

    assert not AuditEvent.objects.filter(chain_seq__isnull=True).exists()
    verification = audit_chain_verify()
    assert verification.ok
    assert verification.rows_checked == AuditEvent.objects.count() >= 3000
