"""A client's statement: the lines with something the client owes or paid,
the payments received, the balance due."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from billing.models import Charge, Posting
from billing.selectors.receivables.ledger import ZERO, ledger_rows

# How a client payment's rows are noted (billing.services.payments): the
# prefix, then the payment's number (8 hexadecimal characters).
PAYMENT_PREFIX = "Payment "
NUMBER_LENGTH = 8


def payment_number(note: str) -> str:
    """The number of the payment a row belongs to, "" for a reversal."""
    if note.startswith(PAYMENT_PREFIX):
        return note[len(PAYMENT_PREFIX) : len(PAYMENT_PREFIX) + NUMBER_LENGTH]
    return ""


@dataclass(frozen=True)
class StatementLine:
    service_date: datetime.date
    code: str
    charged: Decimal  # what was the client's to pay on this line
    paid: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Statement:
    as_of: datetime.date
    lines: list[StatementLine]
    payments: list[dict]  # {"posted_on", "note", "amount", "number"}, one per payment
    balance_due: Decimal


def client_open_rows(client, *, as_of: datetime.date):
    """The client's ledger rows with something of the client's on them."""
    return ledger_rows(Charge.objects.filter(client=client), as_of=as_of).filter(
        ~Q(client_balance=0) | ~Q(client_paid=0)
    )


def statement_for(client, *, as_of: datetime.date) -> Statement:
    """What `client` owes as of `as_of`, line by line by date of service
    (a line shows its code only, never a description of the service), and
    the payments received (a payment spread over several lines is one
    payment: its rows share their date and note). Two queries."""
    rows = client_open_rows(client, as_of=as_of).order_by("service_date", "id")
    lines = [
        StatementLine(
            service_date=row.service_date,
            code=row.code,
            charged=row.client_balance + row.client_paid,
            paid=row.client_paid,
            balance=row.client_balance,
        )
        for row in rows
    ]
    payments = [
        {**payment, "number": payment_number(payment["note"])}
        for payment in Posting.objects.filter(
            charge__client=client, kind=Posting.Kind.PATIENT_PAYMENT, posted_on__lte=as_of
        )
        .order_by()
        .values("posted_on", "note")
        .annotate(amount=Sum("amount"))
        .order_by("posted_on", "note")
    ]
    return Statement(
        as_of=as_of,
        lines=lines,
        payments=payments,
        balance_due=sum((line.balance for line in lines), ZERO),
    )
