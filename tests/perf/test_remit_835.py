"""Posting an 835 of 1,000 service lines (a benchmark, run by `make
bench`, not `make test`): 100 claims of 10 lines, each paid with a
contractual adjustment and a co-payment, posted in one received file with
every SQL statement counted; pyx12's validation of the file is timed on
its own too (it takes most of the time). The figures are printed and written to
var/bench/remit_835.json. The number of queries does not grow with the
lines (tests/billing/test_remit_835.py pins it at 10 and 100 claims)."""

import json
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.models import InboundFile, Posting
from billing.services.inbound import inbound_receive
from billing.x12.inbound.reader import x12_read
from devdata.billing_payer import claim_paid, line_paid, payer_835
from tests.billing.claim_factories import sent_claim
from tests.billing.factories import CoverageFactory, PayerFactory

pytestmark = [pytest.mark.perf, pytest.mark.django_db]

CLAIMS, LINES = 100, 10
RESULT = django_settings.BASE_DIR / "var" / "bench" / "remit_835.json"


def test_posting_an_835_of_1000_lines():
    payer = PayerFactory(name="Bench Health Plan")
    outcomes = []
    for _ in range(CLAIMS):
        claim = sent_claim(coverage=CoverageFactory(payer=payer), lines=LINES)
        lines = claim.lines.order_by("line_number")
        outcomes.append(
            claim_paid(
                claim, [line_paid(line, paid="150", patient=[("3", "20")]) for line in lines]
            )
        )
    content = payer_835(payer=payer, claims=outcomes, trace="BENCH1")
    # pyx12's validation against the guide's map, on its own: most of the time.
    started = time.perf_counter()
    x12_read(content)
    validation_seconds = time.perf_counter() - started

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        inbound = inbound_receive(name="bench.835", content=content, via=InboundFile.Via.UPLOAD)
    seconds = time.perf_counter() - started

    assert inbound.status == InboundFile.Status.PROCESSED, inbound.message
    assert Posting.objects.filter(kind="payer_payment").count() == CLAIMS * LINES
    figures = {
        "measured_at": timezone.now().isoformat(timespec="seconds"),
        "claims": CLAIMS,
        "lines": CLAIMS * LINES,
        "bytes": len(content),
        "seconds": round(seconds, 2),
        "of_which_validation_seconds": round(validation_seconds, 2),
        "sql_queries": len(queries),
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"\nremit_835: {json.dumps(figures, indent=2)}\nwritten to {RESULT}")
    # A guard against an N+1 creeping into posting, not a target.
    assert len(queries) < 40
