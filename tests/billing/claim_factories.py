"""Claims and batches made directly from charges, for the tests of what
comes back (acknowledgements, remittances): rows, not a generated 837."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from billing.models import Charge, Claim, ClaimBatch, ClaimLine
from tests.billing.factories import ChargeFactory, CoverageFactory
from tests.factories import UserFactory

_numbers = itertools.count(1)
# Days back from today: per diem charges of one client never share a day.
_days = itertools.count(10)


def batch_of(*, actor=None, status=ClaimBatch.Status.SENT, control_number=None) -> ClaimBatch:
    number = next(_numbers)
    return ClaimBatch.objects.create(
        control_number=control_number or 100000 + number,
        status=status,
        content="ISA*...",
        content_sha256=f"{number:064d}",
        created_by=actor or UserFactory(username="billing-setup"),
        sent_at=timezone.now(),
    )


def claim_of(charges, *, batch=None, status=Claim.Status.SENT, pcn=None) -> Claim:
    """A claim of `charges` (of one client and payer), one line each; the
    charges become exported."""
    first = charges[0]
    batch = batch or batch_of()
    claim = Claim.objects.create(
        batch=batch,
        patient_control_number=pcn or f"C{next(_numbers):07d}",
        client=first.client,
        episode=first.episode,
        payer=first.payer,
        coverage=first.coverage,
        frequency=Claim.Frequency.ORIGINAL,
        service_from=min(c.service_date for c in charges),
        service_to=max(c.service_date for c in charges),
        place_of_service=first.place_of_service,
        diagnosis_codes=first.diagnosis_codes,
        total_amount=sum((c.amount for c in charges), Decimal("0.00")),
        status=status,
        created_by=batch.created_by,
    )
    ClaimLine.objects.bulk_create(
        ClaimLine(
            claim=claim,
            charge=charge,
            line_number=number,
            service_date=charge.service_date,
            code=charge.code,
            modifiers=charge.modifiers,
            units=charge.units,
            amount=charge.amount,
            diagnosis_pointers=[1],
        )
        for number, charge in enumerate(charges, start=1)
    )
    Charge.objects.filter(pk__in=[c.pk for c in charges]).update(status=Charge.Status.EXPORTED)
    return claim


def sent_claim(
    *, coverage=None, lines=1, batch=None, pcn=None, dates=None, **charge_fields
) -> Claim:
    """A sent claim of `lines` charges (or one per date of `dates`) for one
    covered client, on days no other claim of theirs uses."""
    coverage = coverage or CoverageFactory()
    today = timezone.localdate()
    dates = dates or [today - datetime.timedelta(days=next(_days) % 300 + 10) for _ in range(lines)]
    charges = [
        ChargeFactory(
            coverage=coverage, status=Charge.Status.EXPORTED, service_date=day, **charge_fields
        )
        for day in dates
    ]
    return claim_of(charges, batch=batch, pcn=pcn)
