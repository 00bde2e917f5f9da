"""The receivables ledger: what a charge counts for, its payer and client
balances, voids and corrections, the as-of date and the aging buckets."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import Charge, Payer, Posting
from billing.selectors.receivables.ledger import ledger_rows
from billing.selectors.receivables.report import aging_by_payer, totals
from billing.services.charges import charge_void
from tests.billing.factories import ChargeFactory, CoverageFactory, PayerFactory
from tests.billing.receivable_factories import days_ago, post, remit, sent_charge

pytestmark = pytest.mark.django_db


def _rows(as_of=None):
    return ledger_rows(Charge.objects.all(), as_of=as_of or days_ago(0))


def _row(charge, as_of=None):
    return _rows(as_of).get(pk=charge.pk)


def test_a_sent_charge_owes_its_amount_less_payments_adjustments_and_the_client_share():
    charge = sent_charge(amount="250.00")
    remit(charge, paid="150.00", contractual="50.00", patient="30.00")
    row = _row(charge)
    assert row.counted == Decimal("250.00")
    assert row.payer_balance == Decimal("20.00")
    assert row.client_balance == Decimal("30.00")
    assert row.balance == Decimal("50.00")


def test_a_client_payment_reduces_the_client_balance_only():
    charge = sent_charge(amount="250.00")
    remit(charge, paid="200.00", patient="50.00")
    post(charge, Posting.Kind.PATIENT_PAYMENT, "20.00")
    row = _row(charge)
    assert (row.payer_balance, row.client_balance) == (Decimal("0.00"), Decimal("30.00"))


def test_an_overpaid_charge_shows_a_credit():
    charge = sent_charge(amount="100.00")
    remit(charge, paid="120.00")
    assert _row(charge).payer_balance == Decimal("-20.00")


@pytest.mark.parametrize("status", ["drafted", "held", "ready", "batched"])
def test_a_charge_not_yet_sent_to_an_insurer_is_not_a_receivable(status):
    charge = ChargeFactory(status=status)
    assert not _rows().filter(pk=charge.pk).exists()


@pytest.mark.parametrize("status", ["exported", "paid", "denied"])
def test_a_sent_charge_is_a_receivable(status):
    charge = sent_charge(status=status)
    assert _row(charge).counted == Decimal("250.00")


def test_a_ready_self_pay_charge_is_owed_by_the_client():
    coverage = CoverageFactory(payer=PayerFactory(name="Self-pay", kind=Payer.Kind.SELF_PAY))
    charge = sent_charge(coverage=coverage, status="ready", amount="80.00")
    post(charge, Posting.Kind.PATIENT_PAYMENT, "30.00")
    row = _row(charge)
    assert (row.payer_balance, row.client_balance) == (Decimal("0.00"), Decimal("50.00"))


def test_a_ready_grant_charge_is_owed_by_the_funder():
    coverage = CoverageFactory(payer=PayerFactory(name="State grant", kind=Payer.Kind.GRANT))
    charge = sent_charge(coverage=coverage, status="ready", amount="80.00")
    row = _row(charge)
    assert (row.payer_balance, row.client_balance) == (Decimal("80.00"), Decimal("0.00"))


def test_a_voided_charge_stops_counting(counselor1):
    charge = sent_charge()
    charge_void(actor=counselor1, charge=charge, reason="Duplicate")
    assert not _rows().exists()


def test_money_posted_on_a_charge_voided_later_stays_as_a_credit(counselor1):
    charge = sent_charge(amount="250.00")
    remit(charge, paid="200.00", contractual="50.00")
    Charge.objects.filter(pk=charge.pk).update(status="exported")  # voidable again
    charge_void(actor=counselor1, charge=charge, reason="Billed in error")
    (row,) = _rows()
    assert row.pk == charge.pk
    assert row.counted == Decimal("0.00")
    assert row.payer_balance == Decimal("-250.00")


def _correction_of(original, status):
    Charge.objects.filter(pk=original.pk).update(superseded=True)
    return ChargeFactory(
        coverage=original.coverage,
        service_date=original.service_date,
        unit_rate=Decimal("300.00"),
        status=status,
        kind=Charge.Kind.CORRECTION,
        replaces=original,
    )


def test_a_sent_charge_counts_until_its_correction_is_billed():
    original = sent_charge(amount="250.00")
    remit(original, paid="250.00")
    correction = _correction_of(original, "drafted")
    assert _row(original).payer_balance == Decimal("0.00")
    assert not _rows().filter(pk=correction.pk).exists()
    Charge.objects.filter(pk=correction.pk).update(status="exported")
    # The original's payment stands until the payer reverses it.
    assert _row(original).payer_balance == Decimal("-250.00")
    assert _row(correction).payer_balance == Decimal("300.00")
    post(original, Posting.Kind.PAYER_PAYMENT, "-250.00")
    assert totals(_rows(), as_of=days_ago(0)).payer == Decimal("300.00")


def test_a_void_row_of_the_redraft_cancels_the_sent_charge_at_once():
    original = sent_charge()
    Charge.objects.filter(pk=original.pk).update(superseded=True)
    ChargeFactory(
        coverage=original.coverage,
        service_date=original.service_date,
        status="drafted",
        kind=Charge.Kind.VOID,
        replaces=original,
    )
    assert not _rows().exists()


def test_a_charge_superseded_before_it_was_sent_never_counts():
    coverage = CoverageFactory(payer=PayerFactory(name="Self-pay", kind=Payer.Kind.SELF_PAY))
    old = sent_charge(coverage=coverage, status="ready")
    Charge.objects.filter(pk=old.pk).update(superseded=True)
    new = ChargeFactory(
        coverage=coverage, service_date=old.service_date, status="ready", replaces=old
    )
    assert list(_rows().values_list("pk", flat=True)) == [new.pk]


def test_the_as_of_date_leaves_out_later_services_and_postings():
    charge = sent_charge(days=10, amount="250.00")
    sent_charge(days=1)
    remit(charge, paid="100.00", on=days_ago(3))
    remit(charge, paid="100.00", on=days_ago(1))
    rows = _rows(as_of=days_ago(2))
    assert list(rows.values_list("pk", flat=True)) == [charge.pk]
    assert rows.get().payer_balance == Decimal("150.00")


@pytest.mark.parametrize(
    ("age", "bucket"),
    [
        (0, "0-30"),
        (30, "0-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "91-120"),
        (120, "91-120"),
        (121, "120+"),
        (400, "120+"),
    ],
)
def test_aging_buckets_count_days_from_the_date_of_service(age, bucket):
    as_of = days_ago(0)
    charge = sent_charge(days=age)
    assert _row(charge, as_of).bucket == bucket


def test_aging_by_payer_sums_payer_and_client_balances_per_bucket():
    first = sent_charge(days=10, amount="100.00")
    second = sent_charge(days=45, amount="200.00", coverage=first.coverage)
    remit(second, paid="150.00", patient="50.00")
    (payer_row, clients_row) = aging_by_payer(_rows(), clients_label="Clients")
    assert payer_row.label == first.payer.name
    assert payer_row.cells["0-30"] == Decimal("100.00")
    assert payer_row.cells["31-60"] == Decimal("0.00")
    assert payer_row.total == Decimal("100.00")
    assert clients_row.cells["31-60"] == Decimal("50.00")


def test_an_aggregate_over_the_ledger_evaluates_each_posting_sum_once():
    """Each balance is one sum over the postings, never rebuilt from the
    other annotations: the totals query names the postings four times (the
    rows' filter, the payer balance and the client balance's two cases),
    not once per reference of a derived figure."""
    remit(sent_charge(amount="250.00"), paid="150.00", patient="30.00")
    with CaptureQueriesContext(connection) as queries:
        figures = totals(_rows(), as_of=days_ago(0))
        aging_by_payer(_rows(), clients_label="Clients")
    assert figures.total == Decimal("100.00")
    assert [query["sql"].count('FROM "billing_posting"') for query in queries] == [4, 4]
