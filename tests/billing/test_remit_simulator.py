"""The payer simulator's files are valid X12 (pyx12, against the guides'
maps) and read back through our readers."""

from decimal import Decimal

import pytest

from billing.x12.inbound.ack277 import ack277_parse
from billing.x12.inbound.ack999 import ack999_parse
from billing.x12.inbound.reader import x12_read
from billing.x12.inbound.remit835 import remit835_parse
from devdata.billing_payer import (
    claim_paid,
    line_denied,
    line_paid,
    payer_277ca,
    payer_835,
    payer_999,
    reversal,
)
from tests.billing.claim_factories import sent_claim

pytestmark = pytest.mark.django_db


def test_an_accepted_999_is_valid_and_reads_back():
    claim = sent_claim()
    x12 = x12_read(payer_999(batch=claim.batch))
    (ack,) = ack999_parse(x12)
    assert x12.kind == "999"
    assert ack.group_control_number == str(claim.batch.control_number)
    assert ack.accepted


def test_a_rejected_999_is_valid_and_names_its_errors():
    claim = sent_claim()
    text = payer_999(batch=claim.batch, accepted=False, errors=[("CLM", "12", "8", "1", "1", "")])
    (ack,) = ack999_parse(x12_read(text))
    assert not ack.accepted
    assert "segment CLM at position 12: Segment has data element errors" in ack.reason()
    assert "CLM01: Required data element missing" in ack.reason()


def test_a_277ca_accepting_and_rejecting_is_valid_and_reads_back():
    first = sent_claim()
    second = sent_claim(batch=first.batch)
    text = payer_277ca(claims=[first, second], rejected={second.patient_control_number: "A7:21"})
    acks = ack277_parse(x12_read(text))
    assert [a.patient_control_number for a in acks] == [
        first.patient_control_number,
        second.patient_control_number,
    ]
    assert acks[0].accepted and acks[0].payer_claim_number
    assert not acks[1].accepted
    assert "Rejected for Invalid Information" in acks[1].reason()


def test_an_835_with_payments_denials_a_reversal_and_plb_is_valid_and_reads_back():
    paid = sent_claim(lines=2)
    denied = sent_claim(coverage=paid.coverage)
    lines = list(paid.lines.all())
    outcome = claim_paid(
        paid,
        [
            line_paid(lines[0], paid="150", patient=[("2", "20")]),
            line_paid(lines[1], paid="200"),
        ],
    )
    text = payer_835(
        payer=paid.payer,
        claims=[
            outcome,
            claim_paid(denied, [line_denied(denied.lines.get(), reason="197", remarks=["N54"])]),
            reversal(outcome),
        ],
        trace="EFT123",
        provider_adjustments=[("WO", "OVERPAY1", "10")],
    )
    (remit,) = remit835_parse(x12_read(text))
    assert remit.trace_number == "EFT123"
    # 150 + 200 paid, reversed, less the 10 withheld: nothing to pay.
    assert remit.payment_amount == Decimal("0.00")
    assert [c.status_code for c in remit.claims] == ["1", "4", "22"]
    first = remit.claims[0]
    assert first.lines[0].adjustments[0].group == "CO"
    assert [(a.group, a.reason, a.amount) for a in first.lines[0].adjustments] == [
        ("CO", "45", "80.00"),
        ("PR", "2", "20.00"),
    ]
    assert remit.claims[1].lines[0].remarks == ["N54"]
    assert remit.provider_adjustments[0].reason == "WO"
