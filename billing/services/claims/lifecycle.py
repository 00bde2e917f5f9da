"""A batch after it is built: discarded (its claims withdrawn, its charges
ready again), or sent, by download or through the clearinghouse channel;
after that nothing in it changes. Each locks the batch row first, so two
actions on one batch run one after the other and the second sees the
first's outcome."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import clearinghouse
from billing.models import Charge, Claim, ClaimBatch
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record_many

OPEN = (ClaimBatch.Status.VALID, ClaimBatch.Status.INVALID)


def _locked(batch: ClaimBatch) -> ClaimBatch:
    return ClaimBatch.objects.select_for_update().get(pk=batch.pk)


def _clients(batch: ClaimBatch):
    claims = batch.claims.select_related("client").order_by("client_id")
    return {claim.client_id: claim.client for claim in claims}.values()


def _charges(batch: ClaimBatch):
    return Charge.objects.filter(claim_lines__claim__batch=batch, status=Charge.Status.BATCHED)


@transaction.atomic
def batch_discard(*, actor, batch: ClaimBatch, request=None) -> ClaimBatch:
    """A batch not sent is discarded: its claims withdrawn, its charges
    ready again (a corrected charge of a replacement claim too)."""
    batch = _locked(batch)
    if batch.status not in OPEN:
        raise ValidationError(_("A sent or discarded batch cannot be discarded."))
    now = timezone.now()
    _charges(batch).update(status=Charge.Status.READY)
    batch.claims.update(status=Claim.Status.WITHDRAWN, status_changed_at=now)
    batch.status = ClaimBatch.Status.DISCARDED
    batch.save(update_fields=["status"])
    audit_record_many(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        clients=_clients(batch),
        obj=batch,
        request=request,
        details={"batch": str(batch.public_id), "status": batch.status},
    )
    return batch


def _mark_sent(*, actor, batch, method, reference, request) -> ClaimBatch:
    if batch.status == ClaimBatch.Status.INVALID:
        raise ValidationError(_("This batch has errors: correct them and build again."))
    if batch.status != ClaimBatch.Status.VALID:
        raise ValidationError(_("This batch was already sent or discarded."))
    now = timezone.now()
    _charges(batch).update(status=Charge.Status.EXPORTED)
    # A replacement or void stands in for its original from now on.
    for frequency, status in (
        (Claim.Frequency.REPLACEMENT, Claim.Status.REPLACED),
        (Claim.Frequency.VOID, Claim.Status.VOIDED),
    ):
        Claim.objects.filter(
            pk__in=batch.claims.filter(frequency=frequency).values("replaces_id")
        ).update(status=status, status_changed_at=now)
    batch.claims.update(status=Claim.Status.SENT, status_changed_at=now)
    batch.status = ClaimBatch.Status.SENT
    batch.sent_at = now
    batch.sent_by = actor
    batch.send_method = method
    batch.channel_reference = reference[:80]
    batch.save(update_fields=["status", "sent_at", "sent_by", "send_method", "channel_reference"])
    audit_record_many(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        clients=_clients(batch),
        obj=batch,
        request=request,
        details={"batch": str(batch.public_id), "status": batch.status, "method": method},
    )
    return batch


@transaction.atomic
def batch_mark_sent(
    *, actor, batch: ClaimBatch, method=ClaimBatch.SendMethod.DOWNLOAD, reference="", request=None
) -> ClaimBatch:
    """A valid batch is sent: claims SENT, charges EXPORTED, the originals
    of its replacements and voids REPLACED and VOIDED."""
    return _mark_sent(
        actor=actor, batch=_locked(batch), method=method, reference=reference, request=request
    )


@transaction.atomic
def batch_send(*, actor, batch: ClaimBatch, request=None) -> ClaimBatch:
    """Send a valid batch through the clearinghouse channel. The batch row
    stays locked while the file is posted, so a second send waits and then
    finds it sent; a failed post raises and leaves the batch valid."""
    if not clearinghouse.enabled():
        raise ValidationError(_("No clearinghouse channel is configured: download the file."))
    batch = _locked(batch)
    if batch.status == ClaimBatch.Status.INVALID:
        raise ValidationError(_("This batch has errors: correct them and build again."))
    if batch.status != ClaimBatch.Status.VALID:
        raise ValidationError(_("This batch was already sent or discarded."))
    try:
        reference = clearinghouse.send_claims(batch.content)
    except clearinghouse.ChannelError as error:
        raise ValidationError(
            _("The clearinghouse did not take the file: %(reason)s. The batch was not sent.")
            % {"reason": error}
        ) from error
    return _mark_sent(
        actor=actor,
        batch=batch,
        method=ClaimBatch.SendMethod.CHANNEL,
        reference=reference,
        request=request,
    )
