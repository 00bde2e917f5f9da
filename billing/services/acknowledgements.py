"""Applying acknowledgements: a 999 accepts or rejects a batch; a 277CA
accepts or rejects each claim. A rejected claim goes back to the charges
worklist: its charges are held (Charge.HoldReason.REJECTED) with the
reason in plain words, to be corrected and sent again. Every word received
is kept as a ClaimStatusEvent. Called by inbound_receive, in its
transaction."""

from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Charge, Claim, ClaimBatch, ClaimStatusEvent
from billing.services.inbound import Outcome
from billing.x12.inbound.ack277 import ack277_parse
from billing.x12.inbound.ack999 import ack999_parse

# A claim the payer already adjudicated keeps its status: a late
# acknowledgement is recorded, not applied.
ACKNOWLEDGEABLE = (Claim.Status.BATCHED, Claim.Status.SENT, Claim.Status.ACCEPTED)
# Charges still waiting on the claim (not paid, denied or voided meanwhile).
WAITING = (Charge.Status.BATCHED, Charge.Status.EXPORTED)


def _hold_charges(claims: list[Claim], reasons: dict[int, str]) -> None:
    """Hold the waiting charges of `claims`, each with its claim's reason
    (one UPDATE per distinct reason; a 999 gives one reason to a batch)."""
    by_reason: dict[str, list[int]] = {}
    for claim in claims:
        by_reason.setdefault(reasons[claim.pk], []).append(claim.pk)
    for reason, claim_ids in by_reason.items():
        Charge.objects.filter(claim_lines__claim_id__in=claim_ids, status__in=WAITING).update(
            status=Charge.Status.HELD,
            hold_reason=Charge.HoldReason.REJECTED,
            hold_detail=reason[:255],
        )


def _reject(claims: list[Claim], reasons: dict[int, str], now) -> None:
    for claim in claims:
        claim.status = Claim.Status.REJECTED
        claim.status_reason = reasons[claim.pk][:255]
        claim.status_changed_at = now
    Claim.objects.bulk_update(claims, ["status", "status_reason", "status_changed_at"])
    _hold_charges(claims, reasons)


def ack999_apply(*, inbound, x12, actor=None, request=None) -> Outcome:
    outcome = Outcome()
    now = timezone.now()
    events = []
    for ack in ack999_parse(x12):
        number = ack.group_control_number
        batch = (
            ClaimBatch.objects.filter(control_number=int(number)).first()
            if number.isdigit()
            else None
        )
        if batch is None:
            outcome.attention(
                _("No batch of ours has the control number %(number)s; nothing was applied.")
                % {"number": number or "?"}
            )
            continue
        reason = ack.reason()
        codes = f"AK9 {ack.code}"
        batch.status = ClaimBatch.Status.ACCEPTED if ack.accepted else ClaimBatch.Status.REJECTED
        batch.acknowledged_at = now
        batch.acknowledgement_detail = reason[:255]
        batch.save(update_fields=["status", "acknowledged_at", "acknowledgement_detail"])
        events.append(
            ClaimStatusEvent(
                inbound_file=inbound, batch=batch, accepted=ack.accepted, codes=codes,
                reason=reason[:255],
            )
        )  # fmt: skip
        claims = list(batch.claims.live().select_related("client"))
        if ack.accepted:
            outcome.lines.append(
                _("Batch %(batch)s accepted (%(count)d claims).")
                % {"batch": batch, "count": len(claims)}
            )
            continue
        claim_reason = _("The clearinghouse rejected the batch: %(reason)s") % {"reason": reason}
        _reject(claims, {claim.pk: claim_reason for claim in claims}, now)
        events += [
            ClaimStatusEvent(
                inbound_file=inbound, batch=batch, claim=claim, accepted=False, codes=codes,
                reason=claim_reason[:255],
            )
            for claim in claims
        ]  # fmt: skip
        for claim in claims:
            outcome.touch(claim.client)
        outcome.lines.append(
            _(
                "Batch %(batch)s rejected: %(reason)s. "
                "Its %(count)d claims are back on the worklist."
            )
            % {"batch": batch, "reason": reason, "count": len(claims)}
        )
    if not events and not outcome.lines:
        outcome.attention(_("The file acknowledges no functional group."))
    ClaimStatusEvent.objects.bulk_create(events)
    return outcome


def ack277_apply(*, inbound, x12, actor=None, request=None) -> Outcome:
    outcome = Outcome()
    now = timezone.now()
    acks = ack277_parse(x12)
    claims = {
        claim.patient_control_number: claim
        for claim in Claim.objects.filter(
            patient_control_number__in=[ack.patient_control_number for ack in acks]
        ).select_related("client")
    }
    events, accepted, rejected, reasons = [], [], [], {}
    for ack in acks:
        claim = claims.get(ack.patient_control_number)
        if claim is None:
            outcome.attention(
                _("No claim of ours has the patient control number %(number)s (%(codes)s).")
                % {"number": ack.patient_control_number, "codes": ack.codes}
            )
            continue
        reason = ack.reason()
        events.append(
            ClaimStatusEvent(
                inbound_file=inbound, batch_id=claim.batch_id, claim=claim,
                accepted=ack.accepted, codes=ack.codes[:120], reason=reason[:255],
            )
        )  # fmt: skip
        outcome.touch(claim.client)
        if claim.status not in ACKNOWLEDGEABLE:
            outcome.lines.append(
                _("Claim %(claim)s is %(status)s already; the acknowledgement was recorded only.")
                % {"claim": claim, "status": claim.get_status_display().lower()}
            )
        elif ack.accepted:
            claim.status = Claim.Status.ACCEPTED
            claim.status_changed_at = now
            claim.status_reason = ""
            if ack.payer_claim_number:
                claim.payer_claim_number = ack.payer_claim_number[:50]
            accepted.append(claim)
        else:
            reasons[claim.pk] = _("The payer rejected the claim: %(reason)s") % {"reason": reason}
            rejected.append(claim)
    Claim.objects.bulk_update(
        accepted, ["status", "status_changed_at", "status_reason", "payer_claim_number"]
    )
    _reject(rejected, reasons, now)
    ClaimStatusEvent.objects.bulk_create(events)
    outcome.lines.insert(
        0,
        _("%(accepted)d claims accepted, %(rejected)d rejected.")
        % {"accepted": len(accepted), "rejected": len(rejected)},
    )
    outcome.lines += [
        _("Claim %(claim)s rejected: %(reason)s") % {"claim": claim, "reason": reasons[claim.pk]}
        for claim in rejected
    ]
    return outcome
