"""Building claims from ready charges. Charges are grouped into claims per
client, episode, coverage and payer, rendering clinician, place of service
and authorization, and per date of service or calendar month as the
payer's claim_span says; a claim takes at most 50 lines (loop 2400 repeats
at most 50 times in 005010X222A1). A charge whose rendering clinician has
no NPI, or that has no diagnosis, is held instead, with the reason.

Locking: the charges are taken FOR UPDATE SKIP LOCKED and filtered on
status READY, so two builds at once never claim one charge (the second
skips what the first holds; once the first commits they are BATCHED)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from billing.models import Charge, Claim, ClaimBatch, ClaimLine
from billing.selectors.charges import charges_visible_to
from billing.selectors.claims import claimable_charges, filter_dates
from billing.services.claims.files import new_batch, new_patient_control_number, write_batch_file
from billing.x12.claim837 import MAX_LINES, MAX_POINTERS
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record_many


@dataclass(frozen=True)
class BuildResult:
    batch: ClaimBatch | None
    claims: int
    held: int


def _span_key(charge: Charge):
    if charge.payer.claim_span == "month":
        return charge.service_date.replace(day=1)
    return charge.service_date


def _group_key(charge: Charge) -> tuple:
    return (
        charge.client_id,
        charge.episode_id,
        charge.coverage_id,
        charge.payer_id,
        charge.rendering_clinician_id,
        charge.place_of_service,
        charge.authorization_id,
        _span_key(charge),
    )


def _hold(charges: list[Charge], reason: str, detail: str) -> None:
    if charges:
        Charge.objects.filter(pk__in=[c.pk for c in charges]).update(
            status=Charge.Status.HELD, hold_reason=reason, hold_detail=detail
        )


def claim_and_lines(*, batch, charges, actor, frequency=Claim.Frequency.ORIGINAL, replaces=None):
    """An unsaved claim and its unsaved lines for `charges` (one group)."""
    codes: list[str] = []
    for charge in charges:
        for code in charge.diagnosis_codes:
            if code not in codes:
                codes.append(code)
    first = charges[0]
    claim = Claim(
        batch=batch,
        patient_control_number=new_patient_control_number(),
        client_id=first.client_id,
        episode_id=first.episode_id,
        payer_id=first.payer_id,
        coverage_id=first.coverage_id,
        authorization_id=first.authorization_id,
        rendering_clinician_id=first.rendering_clinician_id,
        frequency=frequency,
        replaces=replaces,
        service_from=min(c.service_date for c in charges),
        service_to=max(c.service_date for c in charges),
        place_of_service=first.place_of_service,
        diagnosis_codes=codes,
        total_amount=sum((c.amount or Decimal(0) for c in charges), Decimal(0)),
        status=Claim.Status.BATCHED,
        created_by=actor,
    )
    lines = [
        ClaimLine(
            claim=claim,
            charge=charge,
            line_number=number,
            service_date=charge.service_date,
            code=charge.code,
            modifiers=charge.modifiers,
            units=charge.units,
            amount=charge.amount or Decimal(0),
            diagnosis_pointers=[codes.index(c) + 1 for c in charge.diagnosis_codes[:MAX_POINTERS]],
        )
        for number, charge in enumerate(charges, start=1)
    ]
    return claim, lines


def save_claims(pairs) -> list[Claim]:
    claims = Claim.objects.bulk_create([claim for claim, _lines in pairs])
    for claim, lines in pairs:
        for line in lines:
            line.claim = claim
    ClaimLine.objects.bulk_create([line for _claim, lines in pairs for line in lines])
    return claims


@transaction.atomic
def batch_build(
    *, actor, charges=None, payer=None, start=None, until=None, request=None
) -> BuildResult:
    """Claim the ready charges `actor` may see (of `charges`, a queryset,
    when given; of one payer, dates of service from `start` to `until`)
    into one new batch, generated and validated. Returns the batch (None
    when nothing was claimable), the number of claims, and how many
    charges were held for a missing NPI or diagnosis."""
    scope = charges_visible_to(actor)
    if charges is not None:
        scope = scope.filter(pk__in=charges.values("pk"))
    candidates = list(
        filter_dates(claimable_charges(scope), payer=payer, start=start, until=until)
        .select_for_update(of=("self",), skip_locked=True)
        .select_related("payer", "rendering_clinician", "client")
        .order_by("client_id", "service_date", "code", "pk")
    )
    no_npi = [
        c for c in candidates if c.rendering_clinician is None or not c.rendering_clinician.npi
    ]
    npi_ids = {c.pk for c in no_npi}
    no_diagnosis = [c for c in candidates if c.pk not in npi_ids and not c.diagnosis_codes]
    _hold(
        no_npi, Charge.HoldReason.NO_NPI, _("Record the rendering clinician's NPI, then release.")
    )
    _hold(no_diagnosis, Charge.HoldReason.NO_DIAGNOSIS, _("No diagnosis on the charge."))
    held = len(no_npi) + len(no_diagnosis)
    if held:
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            clients={c.client_id: c.client for c in no_npi + no_diagnosis}.values(),
            request=request,
            details={"charges_held": held, "reasons": "no_npi/no_diagnosis"},
        )
    held_ids = npi_ids | {c.pk for c in no_diagnosis}
    groups: dict[tuple, list[Charge]] = defaultdict(list)
    for charge in candidates:
        if charge.pk not in held_ids:
            groups[_group_key(charge)].append(charge)
    if not groups:
        return BuildResult(batch=None, claims=0, held=held)
    batch = new_batch(actor=actor)
    pairs = [
        claim_and_lines(batch=batch, charges=groups[key][offset : offset + MAX_LINES], actor=actor)
        for key in sorted(groups, key=str)
        for offset in range(0, len(groups[key]), MAX_LINES)
    ]
    save_claims(pairs)
    claimed = [c for group in groups.values() for c in group]
    Charge.objects.filter(pk__in=[c.pk for c in claimed]).update(status=Charge.Status.BATCHED)
    write_batch_file(batch)
    audit_record_many(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        clients={c.client_id: c.client for c in claimed}.values(),
        obj=batch,
        request=request,
        details={"batch": str(batch.public_id), "claims": len(pairs), "held": held},
    )
    return BuildResult(batch=batch, claims=len(pairs), held=held)
