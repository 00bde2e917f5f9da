"""Days in A/R, denial rate by reason, collections per month."""

import datetime
from decimal import Decimal

import pytest

from billing.models import Charge, Posting
from billing.selectors.receivables.ledger import ledger_rows
from billing.selectors.receivables.measures import (
    collections_per_month,
    denial_rate_by_reason,
    denial_share,
)
from billing.selectors.receivables.report import totals
from iop.clients.models import Client
from tests.billing.receivable_factories import days_ago, denial_of, post, remit, sent_charge

pytestmark = pytest.mark.django_db


def test_days_in_ar_divides_total_ar_by_the_average_daily_charges_of_90_days():
    sent_charge(days=10, amount="900.00")
    paid = sent_charge(days=89, amount="900.00")
    remit(paid, paid="900.00")
    sent_charge(days=90, amount="5000.00")  # outside the 90 days: A/R, not a charge of the period
    figures = totals(ledger_rows(Charge.objects.all(), as_of=days_ago(0)), as_of=days_ago(0))
    assert figures.total == Decimal("5900.00")
    assert figures.charges_in_period == Decimal("1800.00")
    assert figures.lines_in_period == 2
    # 5900 / (1800 / 90) = 295.0
    assert figures.days_in_ar == Decimal("295.0")


def test_days_in_ar_is_none_without_charges_in_the_period():
    sent_charge(days=200)
    figures = totals(ledger_rows(Charge.objects.all(), as_of=days_ago(0)), as_of=days_ago(0))
    assert figures.days_in_ar is None


def test_denial_rate_by_reason_sums_denied_lines_over_the_amount_billed():
    first = sent_charge(days=5, amount="200.00", status="denied")
    second = sent_charge(days=6, amount="100.00", status="denied")
    third = sent_charge(days=7, amount="100.00", status="denied")
    sent_charge(days=8, amount="600.00")
    old = sent_charge(days=100, amount="100.00", status="denied")
    denial_of(first, reason="197")
    denial_of(second, reason="197")
    denial_of(third, reason="29")
    denial_of(old, reason="29")
    figures = denial_rate_by_reason(
        Client.objects.all(), start=days_ago(89), end=days_ago(0), billed=Decimal("1000.00")
    )
    assert [(f.code, f.lines, f.amount, f.rate) for f in figures] == [
        ("197", 2, Decimal("300.00"), Decimal("30.0")),
        ("29", 1, Decimal("100.00"), Decimal("10.0")),
    ]
    # The descriptions are the published CARC list's (billing/data/carc.csv).
    assert figures[0].description == (
        "Precertification/authorization/notification/pre-treatment absent."
    )
    assert figures[1].description == "The time limit for filing has expired."
    assert denial_share(figures, Decimal("1000.00")) == Decimal("40.0")


def test_denials_of_clients_out_of_sight_are_left_out():
    charge = sent_charge(days=5, status="denied")
    denial_of(charge)
    figures = denial_rate_by_reason(
        Client.objects.exclude(pk=charge.client_id),
        start=days_ago(89),
        end=days_ago(0),
        billed=Decimal("250.00"),
    )
    assert figures == []


def test_collections_are_summed_per_month_for_twelve_months():
    today = days_ago(0)
    first_of_month = today.replace(day=1)
    last_month = (first_of_month - datetime.timedelta(days=1)).replace(day=1)
    charge = sent_charge(days=1)
    remit(charge, paid="100.00", on=first_of_month)
    post(charge, Posting.Kind.PATIENT_PAYMENT, "20.00", on=first_of_month)
    post(charge, Posting.Kind.PAYER_PAYMENT, "30.00", on=last_month)
    post(charge, Posting.Kind.PAYER_PAYMENT, "-10.00", on=last_month)  # a reversal
    post(charge, Posting.Kind.ADJUSTMENT, "99.00", on=first_of_month)  # not money received
    post(
        charge, Posting.Kind.PAYER_PAYMENT, "500.00", on=first_of_month.replace(year=today.year - 1)
    )
    months = collections_per_month(Charge.objects.all(), as_of=today)
    assert len(months) == 12
    assert months[-1].month == first_of_month
    assert (months[-1].payer, months[-1].client) == (Decimal("100.00"), Decimal("20.00"))
    assert months[-2].month == last_month
    assert months[-2].payer == Decimal("20.00")
    assert sum(m.total for m in months) == Decimal("140.00")
