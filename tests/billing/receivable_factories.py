"""Accounts receivable test data: ledger rows (Posting) made directly
against charges (tests.billing.factories.ChargeFactory), as remittance
posting and client payments would write them."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from billing.models import (
    Claim,
    ClaimBatch,
    ClaimLine,
    ClaimPayment,
    Denial,
    InboundFile,
    Posting,
    Remittance,
)
from tests.billing.factories import ChargeFactory
from tests.factories import UserFactory


class PostingFactory(factory.django.DjangoModelFactory):
    """A payer payment of 100.00 posted today on a sent charge."""

    class Meta:
        model = Posting

    charge = factory.SubFactory(ChargeFactory, status="exported")
    client = factory.LazyAttribute(lambda o: o.charge.client)
    payer = factory.LazyAttribute(lambda o: o.charge.payer)
    kind = Posting.Kind.PAYER_PAYMENT
    amount = Decimal("100.00")
    posted_on = factory.LazyFunction(timezone.localdate)


def days_ago(days: int, *, today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) - datetime.timedelta(days=days)


def sent_charge(*, days: int = 1, amount: str = "250.00", **fields):
    """A charge sent to its payer `days` ago (date of service)."""
    fields.setdefault("status", "exported")
    return ChargeFactory(service_date=days_ago(days), unit_rate=Decimal(amount), units=1, **fields)


def post(charge, kind, amount, *, group="", reason="", on=None):
    return PostingFactory(
        charge=charge,
        kind=kind,
        amount=Decimal(amount),
        group_code=group,
        reason_code=reason,
        posted_on=on or timezone.localdate(),
    )


def remit(charge, *, paid="0.00", contractual="0.00", patient="0.00", on=None):
    """What an 835 posts for a line: payment, CO adjustment, PR amount."""
    rows = []
    if Decimal(paid):
        rows.append(post(charge, Posting.Kind.PAYER_PAYMENT, paid, on=on))
    if Decimal(contractual):
        rows.append(
            post(charge, Posting.Kind.ADJUSTMENT, contractual, group="CO", reason="45", on=on)
        )
    if Decimal(patient):
        rows.append(
            post(
                charge, Posting.Kind.PATIENT_RESPONSIBILITY, patient, group="PR", reason="2", on=on
            )
        )
    return rows


def denial_of(charge, *, reason="197", amount=None):
    """A Denial row for a charge's line, with the claim (batch, claim, line,
    remittance, claim payment) it needs, made directly."""
    line, claim_payment = claim_line_for(charge)
    return Denial.objects.create(
        claim=line.claim,
        claim_line=line,
        claim_payment=claim_payment,
        client=charge.client,
        payer=charge.payer,
        amount=amount if amount is not None else charge.amount,
        group_code="CO",
        reason_code=reason,
        next_action=Denial.NextAction.APPEAL,
        due_on=timezone.localdate(),
    )


def claim_line_for(charge):
    """The least claim a denial stands on: a batch, a claim and its line for
    `charge`, an 835 file, its remittance and the claim's payment."""
    n = Claim.objects.count() + ClaimBatch.objects.count() + 1
    actor = UserFactory(username="billing-setup")
    batch = ClaimBatch.objects.create(
        control_number=900000 + n,
        status=ClaimBatch.Status.SENT,
        content="",
        content_sha256="",
        created_by=actor,
    )
    claim = Claim.objects.create(
        batch=batch,
        patient_control_number=f"T{n:08d}",
        client=charge.client,
        episode=charge.episode,
        payer=charge.payer,
        coverage=charge.coverage,
        frequency=Claim.Frequency.ORIGINAL,
        service_from=charge.service_date,
        service_to=charge.service_date,
        place_of_service=charge.place_of_service,
        total_amount=charge.amount,
        status=Claim.Status.DENIED,
        created_by=actor,
    )
    line = ClaimLine.objects.create(
        claim=claim,
        charge=charge,
        line_number=1,
        service_date=charge.service_date,
        code=charge.code,
        units=charge.units,
        amount=charge.amount,
        status=ClaimLine.Status.DENIED,
    )
    inbound = InboundFile.objects.create(
        kind=InboundFile.Kind.REMITTANCE_835,
        name=f"remit-{n}.835",
        content="",
        content_sha256=f"{n:064d}",
        via=InboundFile.Via.UPLOAD,
        status=InboundFile.Status.PROCESSED,
    )
    remittance = Remittance.objects.create(
        inbound_file=inbound,
        payer=charge.payer,
        payer_name=charge.payer.name,
        trace_number=f"TRN{n}",
        payment_method="NON",
        payment_amount=Decimal("0.00"),
    )
    claim_payment = ClaimPayment.objects.create(
        remittance=remittance,
        claim=claim,
        patient_control_number=claim.patient_control_number,
        claim_status_code="4",
        charged=charge.amount,
        paid=Decimal("0.00"),
        status=ClaimPayment.Status.POSTED,
    )
    return line, claim_payment
