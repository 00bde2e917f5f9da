"""Applying an 835: each remittance (one per transaction set) is checked,
stored, and its claim payments matched and posted; and a person matching
a held payment by hand.

Refused, with nothing posted (X12Refused rolls back the file's savepoint):
an 835 whose payee tax ID (REF*TJ, or N1*PE with FI) is not ours
(settings.BILLING_PROVIDER_TAX_ID, digits compared); a payment whose trace
number (TRN02) this payer already sent. Held for a person (ClaimPayment
UNMATCHED, with the parsed claim loop kept as JSON): a CLP01 that names
no claim of ours, a claim sent to another payer, a payment from a payer
we cannot identify, a service line that matches no line of the claim.
Nothing is guessed."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Claim, ClaimPayment, Payer, Remittance
from billing.services import postings
from billing.services.inbound import Outcome
from billing.x12.inbound.reader import X12Refused
from billing.x12.inbound.remit835 import Remit835, money, remit835_parse
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record


def _digits(text: str) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


def _check_payee(remit: Remit835) -> None:
    ours = _digits(settings.BILLING_PROVIDER_TAX_ID)
    theirs = _digits(remit.payee_tax_id)
    if theirs and theirs != ours:
        raise X12Refused(
            _(
                "This remittance is for another provider (tax ID %(tax_id)s, %(name)s); "
                "nothing was posted."
            )
            % {"tax_id": remit.payee_tax_id, "name": remit.payee_name or "?"}
        )
    if not theirs and remit.payee_npi and remit.payee_npi != settings.BILLING_PROVIDER_NPI:
        raise X12Refused(
            _("This remittance is for another provider (NPI %(npi)s); nothing was posted.")
            % {"npi": remit.payee_npi}
        )


def _payer(remit: Remit835) -> Payer | None:
    """By the electronic payer ID the 835 carries, else by name."""
    query = Q(name__iexact=remit.payer_name) if remit.payer_name else Q(pk__in=[])
    if remit.payer_identifier:
        query = Q(electronic_payer_id__iexact=remit.payer_identifier) | query
    candidates = list(Payer.objects.filter(query))
    by_id = [p for p in candidates if remit.payer_identifier and
             p.electronic_payer_id.lower() == remit.payer_identifier.lower()]  # fmt: skip
    chosen = by_id or candidates
    return chosen[0] if len(chosen) == 1 else None


def _check_trace(remit: Remit835, identifier: str) -> None:
    earlier = (
        Remittance.objects.filter(payer_identifier=identifier, trace_number=remit.trace_number)
        .select_related("inbound_file")
        .first()
    )
    if earlier is not None:
        raise X12Refused(
            _(
                "The payment with trace number %(trace)s from %(payer)s was already posted "
                "from the file %(name)s; nothing was posted again."
            )
            % {"trace": remit.trace_number, "payer": remit.payer_name,
               "name": earlier.inbound_file.name}
        )  # fmt: skip


def _unmatched_reason(claim: Claim | None, detail: dict, payer: Payer | None) -> str:
    number = detail["patient_control_number"]
    if payer is None:
        return _("The payer of this remittance is not one of ours; match the payment by hand.")
    if claim is None:
        return _("No claim of ours has the patient control number %(number)s.") % {"number": number}
    if claim.payer_id != payer.pk:
        return _("Claim %(number)s was sent to %(payer)s, not to this payer.") % {
            "number": number,
            "payer": claim.payer.name,
        }
    return ""


def _apply_remittance(inbound, remit: Remit835, outcome: Outcome, actor) -> None:
    _check_payee(remit)
    payer = _payer(remit)
    identifier = remit.payer_identifier or remit.payer_name
    _check_trace(remit, identifier)
    remittance = Remittance.objects.create(
        inbound_file=inbound, payer=payer, payer_name=remit.payer_name[:120] or "?",
        payer_identifier=identifier[:80], payee_tax_id=remit.payee_tax_id[:20],
        trace_number=remit.trace_number[:50], payment_method=remit.payment_method[:3],
        payment_amount=remit.payment_amount, payment_date=remit.payment_date,
    )  # fmt: skip
    details = [claim.as_json() for claim in remit.claims]
    claims = {
        claim.patient_control_number: claim
        for claim in Claim.objects.filter(
            patient_control_number__in=[d["patient_control_number"] for d in details]
        ).select_related("client", "payer")
    }
    claim_lines = postings.lines_of(claims.values())
    posted_on = remit.payment_date or timezone.localdate()
    payments, matches = [], []
    for detail in details:
        claim = claims.get(detail["patient_control_number"])
        reason = _unmatched_reason(claim, detail, payer)
        lines = [] if reason else postings.match_lines(detail, claim_lines.get(claim.pk, []))
        if isinstance(lines, str):
            reason = _("Claim %(number)s: %(why)s.") % {"number": claim, "why": lines}
        payment = ClaimPayment(
            remittance=remittance, claim=None if reason else claim,
            patient_control_number=detail["patient_control_number"][:38],
            claim_status_code=detail["status_code"][:2], charged=money(detail["charged"]),
            paid=money(detail["paid"]),
            patient_responsibility=money(detail["patient_responsibility"]),
            payer_claim_number=detail["payer_claim_number"][:50],
            patient_name=detail["patient_name"][:120], detail=detail,
            status=ClaimPayment.Status.UNMATCHED if reason else ClaimPayment.Status.POSTED,
            unmatched_reason=reason[:255], posted_at=None if reason else timezone.now(),
        )  # fmt: skip
        payments.append(payment)
        if reason:
            outcome.attention(reason)
        else:
            matches.append((payment, claim, lines, detail))
            outcome.touch(claim.client)
    ClaimPayment.objects.bulk_create(payments)
    batch = postings.Batch()
    for payment, claim, lines, detail in matches:
        postings.post(batch, payment=payment, claim=claim, lines=lines, detail=detail,
                      actor=actor, posted_on=posted_on)  # fmt: skip
    postings.flush(batch, claim_lines)
    outcome.lines.insert(
        0,
        _(
            "Payment %(trace)s from %(payer)s, %(amount)s: %(posted)d claim payments posted, "
            "%(held)d held to be matched, %(denials)d denied lines on the denials worklist."
        )
        % {"trace": remit.trace_number, "payer": remit.payer_name, "amount": remit.payment_amount,
           "posted": len(matches), "held": len(payments) - len(matches),
           "denials": len(batch.denials)},
    )  # fmt: skip
    if remit.provider_adjustments:
        outcome.lines.append(
            _("Provider-level adjustments (PLB), not posted to charges: %(items)s.")
            % {"items": "; ".join(f"{p.reason} {p.reference} {p.amount}"
                                  for p in remit.provider_adjustments)}
        )  # fmt: skip


def remit835_apply(*, inbound, x12, actor=None, request=None) -> Outcome:
    outcome = Outcome()
    for remit in remit835_parse(x12):
        _apply_remittance(inbound, remit, outcome, actor)
    return outcome


@transaction.atomic
def claim_payment_match(*, actor, claim_payment: ClaimPayment, claim: Claim, request=None):
    """A person matches a held payment to a claim of the same payer; it is
    then posted exactly as a matched payment of an 835 is."""
    payment = (
        ClaimPayment.objects.select_for_update(of=("self",))
        .select_related("remittance")
        .get(pk=claim_payment.pk)
    )
    if payment.status != ClaimPayment.Status.UNMATCHED:
        raise ValidationError(_("This payment is posted already."))
    if payment.remittance.payer_id is None or claim.payer_id != payment.remittance.payer_id:
        raise ValidationError({"claim": _("Choose a claim sent to the payer of this remittance.")})
    claim_lines = postings.lines_of([claim])
    lines = postings.match_lines(payment.detail, claim_lines.get(claim.pk, []))
    if isinstance(lines, str):
        raise ValidationError({"claim": _("This claim does not fit: %(why)s.") % {"why": lines}})
    payment.claim = claim
    payment.status = ClaimPayment.Status.POSTED
    payment.matched_by = actor
    payment.posted_at = timezone.now()
    payment.unmatched_reason = ""
    payment.save(update_fields=["claim", "status", "matched_by", "posted_at", "unmatched_reason"])
    batch = postings.Batch()
    posted_on = payment.remittance.payment_date or timezone.localdate()
    postings.post(batch, payment=payment, claim=claim, lines=lines, detail=payment.detail,
                  actor=actor, posted_on=posted_on)  # fmt: skip
    postings.flush(batch, claim_lines)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        client=claim.client,
        obj=payment,
        request=request,
        details={"claim_payment": str(payment.public_id), "claim": str(claim.public_id)},
    )
    return payment
