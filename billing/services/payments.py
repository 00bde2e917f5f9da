"""Client payments: money a client pays toward what they owe (patient
responsibility, self-pay charges), written to the ledger as Posting rows of
kind PATIENT_PAYMENT, one per charge it pays.

Application: a payment pays the oldest balances first (by date of service,
then by charge), each line up to its client balance, until the payment is
used up; what a client owes on the oldest services is what a collector asks
for first, and a statement then shows the oldest lines settled.
Overpayment: refused. A payment above the balance due would leave money on
no charge (a credit with nothing to stand on); the clinic takes what is
owed, or records a credit by other means.
Rows are never edited: a payment recorded in error is reversed by rows of
the opposite amount on the same charges (client_payment_reverse)."""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Posting
from billing.selectors.receivables.ledger import ZERO
from billing.selectors.receivables.statement import PAYMENT_PREFIX, client_open_rows
from iop import horizon
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Client

# The methods a client pays by, as the payment's rows note them (in English:
# a row's note is data; the form shows them translated).
METHODS = {"cash": "Cash", "check": "Check", "card": "Card"}
REVERSAL_PREFIX = "Reversal of payment "
# A payment dated more than a year back is a mistyped year, not a late entry.
MAX_DAYS_BACK = 366


def _lock(client: Client) -> Client:
    # One payment of a client at a time: the balances read below stay true
    # until the rows are written.
    return Client.objects.select_for_update().get(pk=client.pk)


def _check_date(received_on: datetime.date) -> None:
    today = timezone.localdate()
    if received_on > today:
        raise ValidationError({"received_on": _("A payment cannot be dated in the future.")})
    if received_on < today - datetime.timedelta(days=MAX_DAYS_BACK):
        raise ValidationError(
            {"received_on": _("A payment cannot be dated more than a year back.")}
        )


def payment_note(number: str, method: str, reference: str) -> str:
    note = f"{PAYMENT_PREFIX}{number} · {METHODS[method]}"
    return f"{note} {reference}"[:255] if reference else note


@transaction.atomic
def client_payment_record(
    *,
    actor,
    client: Client,
    amount: Decimal,
    received_on: datetime.date,
    method: str,
    reference: str = "",
    request=None,
) -> list[Posting]:
    """Record a client's payment, applied to the oldest balances first.
    Returns the rows written (one per charge paid)."""
    client = _lock(client)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    horizon.PAST.check(received_on, field="received_on")
    _check_date(received_on)
    if method not in METHODS:
        raise ValidationError({"method": _("Choose cash, check or card.")})
    reference = (reference or "").strip()
    today = timezone.localdate()
    open_rows = list(
        client_open_rows(client, as_of=today)
        .filter(client_balance__gt=0)
        .select_related("payer")
        .order_by("service_date", "pk")
    )
    due = sum((row.client_balance for row in open_rows), ZERO)
    if amount > due:
        raise ValidationError(
            {
                "amount": _(
                    "The payment (%(amount)s) is more than the balance due (%(due)s): "
                    "record what is owed."
                )
                % {"amount": amount, "due": due}
            }
        )
    number = uuid.uuid4().hex[:8].upper()
    note = payment_note(number, method, reference)
    rows, left = [], amount
    for row in open_rows:
        if left <= 0:
            break
        paid = min(left, row.client_balance)
        left -= paid
        rows.append(
            Posting(
                charge=row,
                client=client,
                payer=row.payer,
                kind=Posting.Kind.PATIENT_PAYMENT,
                amount=paid,
                posted_on=received_on,
                note=note,
                created_by=actor,
            )
        )
    created = Posting.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        client=client,
        obj=client,
        request=request,
        details={
            "client_payment": number,
            "amount": str(amount),
            "received_on": received_on.isoformat(),
            "method": method,
            "charges": len(created),
        },
    )
    return created


@transaction.atomic
def client_payment_reverse(*, actor, client: Client, number: str, reason: str, request=None):
    """Reverse a payment recorded in error: one row of the opposite amount
    for each row of the payment, dated today. A payment is reversed once."""
    client = _lock(client)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the payment is reversed.")})
    note_start = f"{PAYMENT_PREFIX}{number} "
    paid = list(
        Posting.objects.filter(
            client=client, kind=Posting.Kind.PATIENT_PAYMENT, note__startswith=note_start
        ).order_by("pk")
    )
    if not paid:
        raise ValidationError(_("No such payment of this client."))
    reversal_note = f"{REVERSAL_PREFIX}{number}"
    if Posting.objects.filter(
        client=client, kind=Posting.Kind.PATIENT_PAYMENT, note__startswith=reversal_note
    ).exists():
        raise ValidationError(_("This payment was already reversed."))
    created = Posting.objects.bulk_create(
        Posting(
            charge_id=row.charge_id,
            client=client,
            payer_id=row.payer_id,
            kind=Posting.Kind.PATIENT_PAYMENT,
            amount=-row.amount,
            posted_on=timezone.localdate(),
            note=f"{reversal_note}: {reason}"[:255],
            created_by=actor,
        )
        for row in paid
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        client=client,
        obj=client,
        request=request,
        details={"client_payment_reversed": number, "charges": len(created)},
    )
    return created
