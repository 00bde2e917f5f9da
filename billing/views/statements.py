"""A client's statement (printable and discreet) and the client payments
recorded from it."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from billing.forms.receivables import ClientPaymentForm, PaymentReverseForm
from billing.selectors.receivables.statement import statement_for
from billing.services import payments
from iop.accounts import roles
from iop.audit.decorators import client_view
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.exports import PART2_NOTICE
from iop.formtools import message_form_outcome

BILLING_STAFF = (roles.BILLING, roles.ADMINISTRATOR)


@client_view(*BILLING_STAFF)
@require_GET
def client_statement(request, client):
    """What the client owes as of today. The page is the printout: its
    outside (the header and the address block an envelope window shows)
    carries only the neutral name and remit-to address of the settings
    BILLING_STATEMENT_*; lines show codes, never what a service was; the
    Part 2 notice is inside. Showing it is audited as a print."""
    today = timezone.localdate()
    statement = statement_for(client, as_of=today)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.PRINT,
        client=client,
        obj=client,
        request=request,
        details={
            "document": "statement",
            "as_of": today.isoformat(),
            "lines": len(statement.lines),
            "balance_due": str(statement.balance_due),
        },
    )
    context = {
        "client": client,
        "statement": statement,
        "sender_name": settings.BILLING_STATEMENT_NAME,
        "sender_address": settings.BILLING_STATEMENT_ADDRESS,
        "notice": PART2_NOTICE,
        "payment_form": ClientPaymentForm(initial={"received_on": today}),
        "reverse_form": PaymentReverseForm(),
    }
    return render(request, "billing/statements/statement.html", context)


@client_view(*BILLING_STAFF)
@require_POST
def client_payment_add(request, client):
    """Record a client payment (applied to the oldest balances first)."""
    message_form_outcome(
        request,
        ClientPaymentForm(request.POST),
        lambda data: payments.client_payment_record(
            actor=request.user,
            client=client,
            amount=data["amount"],
            received_on=data["received_on"],
            method=data["method"],
            reference=data["reference"],
            request=request,
        ),
        success=_("Payment recorded."),
        invalid=_(
            "Check the payment: an amount above zero, a date within the last year, a method."
        ),
        date_field="received_on",
    )
    return redirect("billing:client-statement", client_id=client.public_id)


@client_view(*BILLING_STAFF)
@require_POST
def client_payment_reverse(request, client):
    """Reverse a payment recorded in error (rows of the opposite amount)."""
    message_form_outcome(
        request,
        PaymentReverseForm(request.POST),
        lambda data: payments.client_payment_reverse(
            actor=request.user,
            client=client,
            number=data["number"],
            reason=data["reason"],
            request=request,
        ),
        success=_("Payment reversed."),
        invalid=_("Say which payment is reversed, and why."),
    )
    return redirect("billing:client-statement", client_id=client.public_id)
