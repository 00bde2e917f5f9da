"""837P generation and validation of 1,000 claims (a benchmark, run by
`make bench`, not `make test`). The rows are made in bulk; a batch is then
built from 1,000 ready charges of 1,000 clients, and its file regenerated
and validated by itself: that second step (load, generate, pyx12) must take
under 10 seconds. The figures are printed and written to
var/bench/claims_837.json."""

import datetime
import json
import time
from decimal import Decimal

import pytest
from django.conf import settings as django_settings

from billing.models import Charge, ClaimBatch, Coverage
from billing.services.claims import batch_build
from billing.services.claims.files import write_batch_file
from billing.x12.validate import pyx12_findings
from iop.clients.models import Client, Episode
from tests.billing.claims_data import DAY, clinician, payer
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.perf

CLAIMS = 1_000
LIMIT_SECONDS = 10
RESULT = django_settings.BASE_DIR / "var" / "bench" / "claims_837.json"


def _rows(actor):
    lee = clinician(username="bench-clinician")
    plan = payer(name="Bench Health Plan")
    clients = Client.objects.bulk_create(
        Client(
            mrn=f"BN{n:08d}",
            legal_first_name="Client",
            legal_last_name=f"Number{n}",
            date_of_birth=datetime.date(1980, 1, 1) + datetime.timedelta(days=n),
            sex="male" if n % 2 else "female",
            address_line1=f"{n} Elm Street",
            city="Springfield",
            state="IL",
            postal_code="62704",
        )
        for n in range(CLAIMS)
    )
    episodes = Episode.objects.bulk_create(EpisodeFactory.build(client=c) for c in clients)
    coverages = Coverage.objects.bulk_create(
        Coverage(
            client=c,
            payer=plan,
            member_id=f"M{n:09d}",
            subscriber_relationship=Coverage.Relationship.SELF,
            order=Coverage.Order.PRIMARY,
            effective_from=datetime.date(2025, 1, 1),
            created_by=actor,
        )
        for n, c in enumerate(clients)
    )
    Charge.objects.bulk_create(
        Charge(
            client=c,
            episode=e,
            coverage=cov,
            payer=plan,
            service_date=DAY,
            code="H0015",
            modifiers=["HF"],
            units=1,
            unit_rate=Decimal("250.00"),
            amount=Decimal("250.00"),
            place_of_service="57",
            diagnosis_codes=["F10.20", "F12.10"],
            rendering_clinician=lee,
            status=Charge.Status.READY,
        )
        for c, e, cov in zip(clients, episodes, coverages, strict=True)
    )


def test_generating_and_validating_1000_claims(administrator):
    _rows(administrator)
    started = time.perf_counter()
    result = batch_build(actor=administrator)
    built = time.perf_counter() - started
    assert result.claims == CLAIMS
    assert result.batch.status == ClaimBatch.Status.VALID, result.batch.errors[:5]

    started = time.perf_counter()
    batch = write_batch_file(result.batch)
    seconds = time.perf_counter() - started
    assert batch.status == ClaimBatch.Status.VALID
    # Where the time goes: pyx12 alone on the same text.
    started = time.perf_counter()
    assert pyx12_findings(batch.content) == []
    pyx12_seconds = time.perf_counter() - started

    figures = {
        "claims": CLAIMS,
        "build_seconds": round(built, 2),
        "generate_and_validate_seconds": round(seconds, 2),
        "pyx12_seconds": round(pyx12_seconds, 2),
    }
    print(
        f"\n837P of {CLAIMS} claims: built in {built:.2f} s, "
        f"generated and validated in {seconds:.2f} s (pyx12 alone {pyx12_seconds:.2f} s)"
    )
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(figures, indent=2))
    assert seconds < LIMIT_SECONDS
