"""Posting matched claim payments to the ledger, in bulk: for any number
of claim payments, one query for their claims' lines, one insert each for
the postings and the denials, one UPDATE each for the lines, the charges
and the claims. Used by the 835 (remit835_apply) and by a person matching
a held payment (claim_payment_match): the same code path.

For each service line (SVC) matched to a ClaimLine: the payer's payment
(SVC03) is a PAYER_PAYMENT posting; each CAS adjustment is an ADJUSTMENT
(groups CO, OA, PI) or a PATIENT_RESPONSIBILITY (PR) posting with its
reason and the line's remark codes (LQ*HE). A line with nothing paid and
a denial reason is denied; one paid with a denial reason on part of it is
partly paid; a Denial row is written for the denied amount. A reversal
(CLP02 22) carries negative amounts: they are posted as new rows (money is
never edited) and the lines go back to awaiting payment."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Charge, Claim, ClaimLine, ClaimPayment, Denial, Posting
from billing.services.denials import denial_due_on, is_denial, next_action_for

REVERSAL = "22"  # CLP02, Claim Status Code: reversal of previous payment


@dataclass
class Batch:
    """Rows to write for a set of claim payments, written by flush()."""

    postings: list[Posting] = field(default_factory=list)
    denials: list[Denial] = field(default_factory=list)
    lines: dict[int, ClaimLine] = field(default_factory=dict)
    charges: dict[int, Charge] = field(default_factory=dict)
    claims: dict[int, Claim] = field(default_factory=dict)


def lines_of(claims) -> dict[int, list[ClaimLine]]:
    """The lines of `claims` with their charges, by claim id (one query)."""
    found: dict[int, list[ClaimLine]] = {}
    for line in ClaimLine.objects.filter(claim__in=claims).select_related("charge"):
        found.setdefault(line.claim_id, []).append(line)
    return found


def _day(text: str):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def match_lines(detail: dict, lines: list[ClaimLine]) -> list[ClaimLine] | str:
    """Each service line of `detail` (a ClaimPaid as JSON) paired with a
    line of the claim by code, modifiers and date of service, each used
    once; or, when one cannot be matched, why (nothing is guessed)."""
    if not detail["lines"]:
        return _("it carries no service lines (SVC) to post")
    free = list(lines)
    matched = []
    for svc in detail["lines"]:
        day = _day(svc["service_date"])
        found = next(
            (
                line
                for line in free
                if line.code == svc["code"]
                and sorted(line.modifiers) == sorted(svc["modifiers"])
                and (day is None or line.service_date == day)
            ),
            None,
        )
        if found is None:
            return _("its service line %(code)s of %(date)s matches no line of the claim") % {
                "code": "-".join([svc["code"], *svc["modifiers"]]),
                "date": svc["service_date"] or "?",
            }
        free.remove(found)
        matched.append(found)
    return matched


def _line_status(paid: Decimal, denied: list, reversal: bool) -> str:
    if reversal:
        return ClaimLine.Status.OPEN
    if paid <= 0 and denied:
        return ClaimLine.Status.DENIED
    if denied:
        return ClaimLine.Status.PARTIAL
    return ClaimLine.Status.PAID


def post(batch: Batch, *, payment: ClaimPayment, claim: Claim, lines, detail, actor, posted_on):
    """Add the rows of one matched claim payment to `batch`."""
    reversal = payment.claim_status_code == REVERSAL
    for svc, line in zip(detail["lines"], lines, strict=True):
        paid = Decimal(svc["paid"])
        common = {
            "charge_id": line.charge_id, "claim_line": line, "client_id": claim.client_id,
            "payer_id": claim.payer_id, "claim_payment": payment, "posted_on": posted_on,
            "created_by": actor, "remark_codes": svc["remarks"],
        }  # fmt: skip
        if paid:
            batch.postings.append(Posting(kind=Posting.Kind.PAYER_PAYMENT, amount=paid, **common))
        denied = []
        for adj in svc["adjustments"]:
            group, reason, amount = adj["group"], adj["reason"], Decimal(adj["amount"])
            kind = Posting.Kind.PATIENT_RESPONSIBILITY if group == "PR" else Posting.Kind.ADJUSTMENT
            batch.postings.append(
                Posting(kind=kind, amount=amount, group_code=group, reason_code=reason, **common)
            )
            if is_denial(group, reason) and amount > 0:
                denied.append((group, reason, amount))
        line.status = _line_status(paid, denied, reversal)
        batch.lines[line.pk] = line
        if not reversal and denied:
            group, reason, _amount = max(denied, key=lambda item: item[2])
            batch.denials.append(
                Denial(
                    claim=claim, claim_line=line, claim_payment=payment,
                    client_id=claim.client_id, payer_id=claim.payer_id,
                    amount=sum((item[2] for item in denied), Decimal("0.00")),
                    group_code=group, reason_code=reason, remark_codes=svc["remarks"],
                    next_action=next_action_for(reason), due_on=denial_due_on(posted_on),
                )
            )  # fmt: skip
        charge = line.charge
        charge.status = {
            ClaimLine.Status.OPEN: Charge.Status.EXPORTED,
            ClaimLine.Status.DENIED: Charge.Status.DENIED,
        }.get(line.status, Charge.Status.PAID)
        batch.charges[charge.pk] = charge
    if payment.payer_claim_number and not reversal:
        claim.payer_claim_number = payment.payer_claim_number[:50]
    batch.claims[claim.pk] = claim


def _claim_status(lines: list[ClaimLine]) -> str:
    statuses = {line.status for line in lines}
    if statuses == {ClaimLine.Status.DENIED}:
        return Claim.Status.DENIED
    if statuses == {ClaimLine.Status.PAID}:
        return Claim.Status.PAID
    if statuses == {ClaimLine.Status.OPEN}:
        return Claim.Status.ACCEPTED
    return Claim.Status.PARTIAL


def flush(batch: Batch, claim_lines: dict[int, list[ClaimLine]]) -> None:
    """Write `batch`: the claims' statuses follow from all their lines."""
    now = timezone.now()
    Posting.objects.bulk_create(batch.postings)
    Denial.objects.bulk_create(batch.denials)
    ClaimLine.objects.bulk_update(batch.lines.values(), ["status"])
    Charge.objects.bulk_update(batch.charges.values(), ["status"])
    for claim in batch.claims.values():
        lines = [batch.lines.get(line.pk, line) for line in claim_lines.get(claim.pk, [])]
        claim.status = _claim_status(lines)
        claim.status_changed_at = now
    Claim.objects.bulk_update(
        batch.claims.values(), ["status", "status_changed_at", "payer_claim_number"]
    )
