"""A batch's 837P: a control number from the sequence, the file generated
from its claims, its digest, and the validation's findings, stored on the
batch. The file is written once: what was validated is what leaves."""

import hashlib
import uuid

from django.conf import settings
from django.db import connection
from django.utils import timezone

from billing.models import ClaimBatch
from billing.provider import billing_provider
from billing.selectors.claims import claims_for_837
from billing.x12.claim837 import Interchange, generate_837p
from billing.x12.records import claim_record
from billing.x12.validate import validate_837p


def next_control_number() -> int:
    """ISA13 and GS06: billing_x12_control_seq (migration 0004) never hands
    a number out twice, even across rolled-back transactions."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('billing_x12_control_seq')")
        return cursor.fetchone()[0]


def new_patient_control_number() -> str:
    """CLM01: at most 20 characters, opaque, unique (a random UUID's first
    80 bits; the unique constraint refuses the unlikely repeat)."""
    return uuid.uuid4().hex[:20].upper()


def interchange(batch: ClaimBatch) -> Interchange:
    return Interchange(
        control_number=batch.control_number,
        sender_id=settings.X12_SENDER_ID,
        receiver_id=settings.X12_RECEIVER_ID,
        receiver_name=settings.X12_RECEIVER_NAME,
        contact_name=settings.X12_CONTACT_NAME,
        contact_phone=settings.X12_CONTACT_PHONE,
        usage=settings.X12_USAGE_INDICATOR,
        created=timezone.localtime(batch.created_at),
    )


def write_batch_file(batch: ClaimBatch) -> ClaimBatch:
    """Generate, digest and validate the batch's file; VALID or INVALID."""
    claims = claims_for_837(batch)
    records = [claim_record(claim) for claim in claims]
    text = generate_837p(
        interchange=interchange(batch), provider=billing_provider(), claims=records
    )
    errors = validate_837p(text, records)
    batch.content = text
    batch.content_sha256 = hashlib.sha256(text.encode()).hexdigest()
    batch.errors = errors
    batch.status = ClaimBatch.Status.INVALID if errors else ClaimBatch.Status.VALID
    batch.validated_at = timezone.now()
    batch.claim_count = len(claims)
    batch.total_amount = sum((claim.total_amount for claim in claims), 0)
    batch.save(
        update_fields=[
            "content",
            "content_sha256",
            "errors",
            "status",
            "validated_at",
            "claim_count",
            "total_amount",
        ]
    )
    return batch


def new_batch(*, actor) -> ClaimBatch:
    return ClaimBatch.objects.create(
        control_number=next_control_number(),
        status=ClaimBatch.Status.INVALID,
        content="",
        content_sha256="",
        created_by=actor,
    )
