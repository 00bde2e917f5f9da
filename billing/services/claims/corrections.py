"""Corrections of a sent claim: a replacement (frequency 7) or a void
(frequency 8), in a batch of its own built at once, generated and
validated like any other. 005010X222A1 requires the payer's claim control
number of the original in REF*F8 for both (2300 REF, Payer Claim Control
Number), so neither is made before that number is known. The original
becomes REPLACED or VOIDED when the correction's batch is sent; while a
correction waits, another cannot be made."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from billing.models import Charge, Claim
from billing.services.claims.build import claim_and_lines, save_claims
from billing.services.claims.files import new_batch, write_batch_file
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record

CORRECTABLE = (
    Claim.Status.SENT,
    Claim.Status.ACCEPTED,
    Claim.Status.PAID,
    Claim.Status.PARTIAL,
    Claim.Status.DENIED,
)


def _check(claim: Claim) -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status not in CORRECTABLE:
        raise ValidationError(
            _("A claim that is %(status)s cannot be replaced or voided.")
            % {"status": claim.get_status_display().lower()}
        )
    if not claim.payer_claim_number:
        raise ValidationError(
            _(
                "The payer's claim number is not known yet (it comes with the payer's "
                "acknowledgement or remittance); a replacement or void must name it."
            )
        )
    if Claim.objects.live().filter(replaces=claim).exists():
        raise ValidationError(_("A replacement or void of this claim is already waiting."))
    return claim


def _live_row(charge: Charge) -> Charge:
    """The charge that stands now for `charge` (its correction, if any)."""
    while charge.superseded:
        later = Charge.objects.filter(replaces=charge).order_by("-pk").first()
        if later is None:
            break
        charge = later
    return charge


def _correct(*, actor, claim, frequency, charges, request) -> Claim:
    batch = new_batch(actor=actor)
    pair = claim_and_lines(
        batch=batch, charges=charges, actor=actor, frequency=frequency, replaces=claim
    )
    (new,) = save_claims([pair])
    Charge.objects.filter(pk__in=[c.pk for c in charges], status=Charge.Status.READY).update(
        status=Charge.Status.BATCHED
    )
    write_batch_file(batch)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        client=claim.client,
        obj=new,
        request=request,
        details={
            "claim": str(claim.public_id),
            "frequency": frequency,
            "batch": str(batch.public_id),
        },
    )
    return new


@transaction.atomic
def claim_replace(*, actor, claim: Claim, request=None) -> Claim:
    """A replacement claim with the charges' current rows; returns it (its
    batch is claim.batch)."""
    claim = _check(claim)
    charges = []
    for line in claim.lines.select_related("charge").order_by("line_number"):
        row = _live_row(line.charge)
        if row.kind == Charge.Kind.VOID:
            continue
        if row.status in (Charge.Status.DRAFTED, Charge.Status.HELD):
            raise ValidationError(
                _("The corrected charge of %(date)s is not ready: release it first.")
                % {"date": row.service_date}
            )
        charges.append(row)
    if not charges:
        raise ValidationError(_("Every charge of this claim is voided: void the claim instead."))
    return _correct(
        actor=actor,
        claim=claim,
        frequency=Claim.Frequency.REPLACEMENT,
        charges=charges,
        request=request,
    )


@transaction.atomic
def claim_void(*, actor, claim: Claim, request=None) -> Claim:
    """A void claim: the original's lines, frequency 8; returns it."""
    claim = _check(claim)
    charges = [line.charge for line in claim.lines.select_related("charge").order_by("line_number")]
    return _correct(
        actor=actor, claim=claim, frequency=Claim.Frequency.VOID, charges=charges, request=request
    )
