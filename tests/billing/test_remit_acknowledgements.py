"""999 and 277CA files from the fixtures, applied to batches and claims."""

import pytest

from billing.models import Charge, Claim, ClaimBatch, ClaimStatusEvent, InboundFile
from iop.audit.models import AuditEvent
from tests.billing.claim_factories import batch_of, sent_claim
from tests.billing.remit_helpers import fixture_claims, receive

pytestmark = pytest.mark.django_db


def test_an_accepted_999_accepts_its_batch(medicaid):
    claims = fixture_claims(medicaid)
    inbound = receive("999_accepted.x12")
    batch = claims["C9000001"].batch
    batch.refresh_from_db()
    assert inbound.kind == "999"
    assert inbound.status == InboundFile.Status.PROCESSED
    assert batch.status == ClaimBatch.Status.ACCEPTED
    assert batch.acknowledged_at is not None
    assert ClaimStatusEvent.objects.get(batch=batch).accepted


def test_a_rejected_999_rejects_the_batch_its_claims_and_holds_their_charges(billing_user):
    batch = batch_of(control_number=900002)
    claim = sent_claim(batch=batch)
    inbound = receive("999_rejected.x12", actor=billing_user)
    batch.refresh_from_db()
    claim.refresh_from_db()
    charge = claim.lines.get().charge
    assert batch.status == ClaimBatch.Status.REJECTED
    assert claim.status == Claim.Status.REJECTED
    assert "segment CLM at position 22: Segment has data element errors" in claim.status_reason
    assert "CLM01: Required data element missing" in claim.status_reason
    assert "Implementation dependent segment missing" in claim.status_reason
    assert charge.status == Charge.Status.HELD
    assert charge.hold_reason == Charge.HoldReason.REJECTED
    assert "Required data element missing" in charge.hold_detail
    assert "rejected" in inbound.message
    assert AuditEvent.objects.filter(client=claim.client, object_id=str(inbound.public_id)).exists()


def test_a_999_for_an_unknown_control_number_waits_for_a_person():
    inbound = receive("999_accepted.x12")
    assert inbound.status == InboundFile.Status.NEEDS_ATTENTION
    assert "No batch of ours has the control number 900001" in inbound.message


def test_a_277ca_accepts_and_rejects_claims_and_notes_an_unknown_one(medicaid):
    claims = fixture_claims(medicaid)
    inbound = receive("277ca.x12")
    accepted, rejected = claims["C9000001"], claims["C9000002"]
    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert accepted.status == Claim.Status.ACCEPTED
    assert accepted.payer_claim_number == "EVG2026111600001"
    assert rejected.status == Claim.Status.REJECTED
    assert "Rejected for Invalid Information" in rejected.status_reason
    assert "Missing or invalid information" in rejected.status_reason
    held = Charge.objects.filter(claim_lines__claim=rejected)
    assert {c.status for c in held} == {Charge.Status.HELD}
    assert {c.hold_reason for c in held} == {Charge.HoldReason.REJECTED}
    assert inbound.status == InboundFile.Status.NEEDS_ATTENTION
    assert "C9999999" in inbound.message
    assert ClaimStatusEvent.objects.filter(inbound_file=inbound).count() == 2
