"""Claim test data with fixed values, so generated 837P files are stable:
a client with an address, a coverage, a payer and a clinician with an NPI,
and ready charges made directly."""

import datetime
from decimal import Decimal

from billing.models import Charge, Claim, ClaimBatch, Coverage, Payer
from billing.services.claims.files import write_batch_file
from tests.billing.factories import ChargeFactory, CoverageFactory, PayerFactory
from tests.factories import ClientFactory, EpisodeFactory, UserFactory

DAY = datetime.date(2026, 3, 2)
CREATED = datetime.datetime(2026, 3, 10, 14, 5, tzinfo=datetime.UTC)
# CMS's published NPI examples with a valid check digit.
CLINICIAN_NPI = "1245319599"


def clinician(username="counselor1", npi=CLINICIAN_NPI):
    user = UserFactory(username=username)
    user.first_name, user.last_name, user.npi = "Jordan", "Lee", npi
    user.save(update_fields=["first_name", "last_name", "npi"])
    return user


def payer(**fields):
    defaults = {
        "name": "Evergreen Health Plan",
        "kind": Payer.Kind.MEDICAID,
        "electronic_payer_id": "EVG01",
        "claim_filing_indicator": Payer.FilingIndicator.MEDICAID,
    }
    return PayerFactory(**{**defaults, **fields})


def covered_client(*, payer_row=None, counselor=None, address=True, **coverage_fields):
    client = ClientFactory(
        legal_first_name="Ana",
        legal_last_name="Rivera",
        date_of_birth=datetime.date(1988, 4, 12),
        sex="female",
        address_line1="12 Oak Street" if address else "",
        city="Springfield" if address else "",
        state="IL" if address else "",
        postal_code="62704" if address else "",
    )
    EpisodeFactory(client=client, primary_counselor=counselor)
    coverage = CoverageFactory(
        client=client,
        payer=payer_row or payer(),
        member_id="MBR0001",
        effective_from=datetime.date(2025, 1, 1),
        **coverage_fields,
    )
    return client, coverage


def ready(
    coverage: Coverage,
    *,
    rendering,
    day=DAY,
    code="H0015",
    modifiers=("HF",),
    units=1,
    amount="250.00",
    diagnosis=("F10.20",),
    **fields,
) -> Charge:
    return ChargeFactory(
        coverage=coverage,
        rendering_clinician=rendering,
        service_date=day,
        code=code,
        modifiers=list(modifiers),
        units=units,
        unit_rate=Decimal(amount) / units,
        amount=Decimal(amount),
        diagnosis_codes=list(diagnosis),
        status=Charge.Status.READY,
        evidence=False,
        **fields,
    )


def pin(batch: ClaimBatch, *, control_number=123, prefix="CLM") -> str:
    """Give the batch and its claims fixed numbers and time; regenerate."""
    ClaimBatch.objects.filter(pk=batch.pk).update(control_number=control_number, created_at=CREATED)
    for index, claim in enumerate(batch.claims.order_by("id"), start=1):
        Claim.objects.filter(pk=claim.pk).update(patient_control_number=f"{prefix}{index:04d}")
    batch.refresh_from_db()
    return write_batch_file(batch).content
