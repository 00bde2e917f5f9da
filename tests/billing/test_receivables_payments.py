"""Client payments: oldest balances first, overpayment refused, audited,
reversed by rows of the opposite amount."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from billing.models import Posting
from billing.selectors.receivables.statement import statement_for
from billing.services.payments import client_payment_record, client_payment_reverse
from iop.audit.models import AuditEvent
from tests.billing.receivable_factories import days_ago, remit, sent_charge

pytestmark = pytest.mark.django_db


@pytest.fixture
def owed():
    """A client who owes 30.00 (oldest), 50.00 and nothing on a third line."""
    oldest = sent_charge(days=40)
    middle = sent_charge(days=20, coverage=oldest.coverage)
    settled = sent_charge(days=10, coverage=oldest.coverage)
    remit(oldest, paid="220.00", patient="30.00")
    remit(middle, paid="200.00", patient="50.00")
    remit(settled, paid="250.00")
    return oldest, middle


def _pay(client, actor, amount, **fields):
    return client_payment_record(
        actor=actor,
        client=client,
        amount=Decimal(amount),
        received_on=fields.pop("received_on", days_ago(0)),
        method=fields.pop("method", "check"),
        reference=fields.pop("reference", "1042"),
    )


def test_a_payment_pays_the_oldest_balances_first(owed, billing_user):
    oldest, middle = owed
    rows = _pay(oldest.client, billing_user, "40.00")
    assert [(row.charge_id, row.amount) for row in rows] == [
        (oldest.pk, Decimal("30.00")),
        (middle.pk, Decimal("10.00")),
    ]
    assert all(row.kind == Posting.Kind.PATIENT_PAYMENT for row in rows)
    assert statement_for(oldest.client, as_of=days_ago(0)).balance_due == Decimal("40.00")


def test_a_payment_is_audited_on_the_client(owed, billing_user):
    oldest, _middle = owed
    _pay(oldest.client, billing_user, "30.00")
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, client=oldest.client)
    assert event.details["amount"] == "30.00"
    assert event.details["charges"] == 1


def test_an_overpayment_is_refused_and_writes_nothing(owed, billing_user):
    oldest, _middle = owed
    with pytest.raises(ValidationError) as error:
        _pay(oldest.client, billing_user, "80.01")
    assert "amount" in error.value.message_dict
    assert not Posting.objects.filter(kind=Posting.Kind.PATIENT_PAYMENT).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"received_on": days_ago(-1)}, "received_on"),
        ({"received_on": days_ago(400)}, "received_on"),
        ({"method": "bitcoin"}, "method"),
    ],
)
def test_a_payment_with_a_bad_date_or_method_is_refused(owed, billing_user, fields, field):
    oldest, _middle = owed
    with pytest.raises(ValidationError) as error:
        _pay(oldest.client, billing_user, "10.00", **fields)
    assert field in error.value.message_dict


def test_a_zero_payment_is_refused(owed, billing_user):
    oldest, _middle = owed
    with pytest.raises(ValidationError):
        _pay(oldest.client, billing_user, "0.00")


def test_a_reversal_writes_opposite_rows_once(owed, billing_user):
    oldest, _middle = owed
    rows = _pay(oldest.client, billing_user, "40.00")
    number = rows[0].note.split()[1]
    reversal = client_payment_reverse(
        actor=billing_user, client=oldest.client, number=number, reason="Bounced check"
    )
    assert sorted(row.amount for row in reversal) == [Decimal("-30.00"), Decimal("-10.00")]
    assert statement_for(oldest.client, as_of=days_ago(0)).balance_due == Decimal("80.00")
    with pytest.raises(ValidationError):
        client_payment_reverse(
            actor=billing_user, client=oldest.client, number=number, reason="Again"
        )
    assert Posting.objects.filter(kind=Posting.Kind.PATIENT_PAYMENT).count() == 4


def test_the_statement_lists_lines_and_payments(owed, billing_user):
    oldest, middle = owed
    _pay(oldest.client, billing_user, "30.00")
    statement = statement_for(oldest.client, as_of=days_ago(0))
    assert [
        (line.service_date, line.charged, line.paid, line.balance) for line in statement.lines
    ] == [
        (oldest.service_date, Decimal("30.00"), Decimal("30.00"), Decimal("0.00")),
        (middle.service_date, Decimal("50.00"), Decimal("0.00"), Decimal("50.00")),
    ]
    (payment,) = statement.payments
    assert payment["amount"] == Decimal("30.00")
    assert payment["note"].endswith("Check 1042")
    assert len(payment["number"]) == 8
