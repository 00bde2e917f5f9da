"""The demo's claim cycle, run by `manage.py seed_demo` (its EXTRA_SEEDERS)
once the charges and the episodes' authorizations exist.

The billing office released the clean drafted charges at least three days
old. Charges at least two weeks old went out in one 837P batch (built,
validated and downloaded through the services); the clearinghouse
accepted it (999); each payer acknowledged its claims (277CA), except one
HMO claim rejected for invalid information, whose charges are back on the
worklist. Each payer then paid the claims whose services are at least five
weeks old (835, written by devdata.billing_payer from the claims
themselves): Medicaid its fee in full, the PPO with a contractual
write-down and coinsurance, the HMO with a co-payment per IOP day. The
payers denied what a real remittance would: the HMO the claims sent past
its 120-day timely filing limit (CARC 29), the PPO one claim whose
authorization it has no record of (CARC 197); the PPO's file also pays a
claim from before OpenIOP (an unknown claim number), held for a person to
match. A second batch of recent Medicaid charges is built and valid, not
sent. One client paid part of their share.

Idempotent: nothing is done once a claim batch exists."""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from billing.models import Charge, Claim, ClaimBatch, InboundFile, Payer, Posting
from billing.services.claims import batch_build, batch_mark_sent
from billing.services.inbound import inbound_receive
from billing.services.payments import client_payment_record
from devdata.billing_payer import (
    ClaimOutcome,
    LineOutcome,
    claim_paid,
    line_denied,
    line_paid,
    payer_277ca,
    payer_835,
    payer_999,
)
from devdata.demo.billing import HMO, MEDICAID, PPO
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record_many

RELEASED_AFTER_DAYS = 3
CLAIMED_AFTER_DAYS = 14
PAID_AFTER_DAYS = 35
CENT = Decimal("0.01")
# The PPO allows 85 % of the charge and the client owes 20 % of that.
PPO_ALLOWED = Decimal("0.85")
PPO_COINSURANCE = Decimal("0.20")
HMO_COPAY = Decimal("20.00")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _release(actor, *, until: date) -> int:
    """The billing office's review of the drafted charges, in bulk: a
    drafted charge is one the drafting engine found nothing to hold
    (billing.drafting re-evaluates it whenever what it rests on changes),
    so the demo marks them ready in one statement, audited once per client,
    instead of re-checking each through charge_release (80 ms a charge)."""
    drafted = Charge.objects.filter(
        status=Charge.Status.DRAFTED, superseded=False, service_date__lte=until
    )
    clients = {charge.client_id: charge.client for charge in drafted.select_related("client")}
    released = drafted.update(status=Charge.Status.READY)
    audit_record_many(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        clients=clients.values(),
        details={"charges_released": "demo review of the drafted charges"},
    )
    return released


def _receive(name: str, content: str) -> InboundFile:
    return inbound_receive(name=name, content=content, via=InboundFile.Via.UPLOAD)


def _line_outcome(line, payer_name: str, *, copay_days: set) -> LineOutcome:
    if payer_name == PPO:
        allowed = _cents(line.amount * PPO_ALLOWED)
        coinsurance = _cents(allowed * PPO_COINSURANCE)
        return line_paid(line, paid=allowed - coinsurance, patient=[("2", coinsurance)])
    if payer_name == HMO and line.code == "H0015" and line.service_date not in copay_days:
        copay_days.add(line.service_date)
        return line_paid(line, paid=line.amount - HMO_COPAY, patient=[("3", HMO_COPAY)])
    return line_paid(line, paid=line.amount)


def _denial_reason(claim: Claim, payer: Payer, *, sent_on: date, no_auth: set) -> str:
    if (sent_on - claim.service_from).days > payer.timely_filing_days:
        return "29"  # the time limit for filing has expired
    if claim.pk in no_auth:
        return "197"  # precertification/authorization absent
    return ""


def _outcomes(claims, payer: Payer, *, sent_on: date, no_auth: set) -> list[ClaimOutcome]:
    outcomes, copay_days = [], defaultdict(set)
    for claim in claims:
        lines = list(claim.lines.all())
        reason = _denial_reason(claim, payer, sent_on=sent_on, no_auth=no_auth)
        if reason:
            results = [line_denied(line, reason=reason) for line in lines]
        else:
            results = [
                _line_outcome(line, payer.name, copay_days=copay_days[claim.client_id])
                for line in lines
            ]
        outcomes.append(claim_paid(claim, results))
    return outcomes


def _legacy_payment(claim: Claim) -> ClaimOutcome:
    """A claim sent before OpenIOP, paid now: its number is unknown here."""
    line = claim.lines.first()
    outcome = claim_paid(claim, [line_paid(line, paid=line.amount)])
    outcome.patient_control_number = "LEGACY20260412"
    outcome.payer_claim_number = "SMIC-2026-0412-77"
    outcome.lines[0].service_date = date(2026, 4, 12)
    return outcome


def _remit(batch: ClaimBatch, *, today: date, rejected: str) -> list[str]:
    """277CA and 835 per payer for the batch's claims."""
    lines = []
    by_payer = defaultdict(list)
    claims = batch.claims.select_related("client", "payer", "coverage", "batch").order_by("pk")
    for claim in claims:
        by_payer[claim.payer].append(claim)
    for control, (payer, payer_claims) in enumerate(sorted(by_payer.items(), key=str), start=2):
        rejects = (
            {rejected: "A7:21"}
            if rejected in {c.patient_control_number for c in payer_claims}
            else {}
        )
        _receive(f"{payer.electronic_payer_id}-277ca.txt",
                 payer_277ca(claims=payer_claims, rejected=rejects, control=control))  # fmt: skip
        due = [
            c
            for c in payer_claims
            if c.patient_control_number not in rejects
            and (today - c.service_to).days >= PAID_AFTER_DAYS
        ]
        if not due:
            continue
        no_auth = {due[len(due) // 2].pk} if payer.name == PPO else set()
        outcomes = _outcomes(due, payer, sent_on=today, no_auth=no_auth)
        if payer.name == PPO:
            outcomes.append(_legacy_payment(due[0]))
        text = payer_835(payer=payer, claims=outcomes, trace=f"DEMO{control:02d}{today:%m%d}",
                         control=control + 10)  # fmt: skip
        inbound = _receive(f"{payer.electronic_payer_id}-835.txt", text)
        lines.append(f"{payer.name}: {inbound.get_status_display().lower()}")
    return lines


def _client_payment(actor, *, today: date) -> str:
    owed = (
        Posting.objects.filter(kind=Posting.Kind.PATIENT_RESPONSIBILITY)
        .values("client_id")
        .annotate(n=Count("id"))
        .order_by("-n", "client_id")
        .first()
    )
    if owed is None:
        return ""
    client = Charge.objects.filter(client_id=owed["client_id"]).first().client
    rows = client_payment_record(
        actor=actor,
        client=client,
        amount=Decimal("25.00"),
        received_on=today - timedelta(days=2),
        method="card",
        reference="Front desk",
    )
    return f"a client paid 25.00 over {len(rows)} charge(s)"


def seed_claim_cycle(*, users: dict, rng: random.Random, today: date) -> str:
    if ClaimBatch.objects.exists():
        return "Claims: already seeded"
    billing = users["billing"]
    released = _release(billing, until=today - timedelta(days=RELEASED_AFTER_DAYS))
    built = batch_build(actor=billing, until=today - timedelta(days=CLAIMED_AFTER_DAYS))
    batch = built.batch
    if batch is None or batch.status != ClaimBatch.Status.VALID:
        errors = batch.errors[:3] if batch else "nothing to claim"
        raise RuntimeError(f"The demo's claim batch is not valid: {errors}")
    batch_mark_sent(actor=billing, batch=batch)
    _receive("clearinghouse-999.txt", payer_999(batch=batch, control=1))
    hmo_claims = batch.claims.filter(payer__name=HMO).order_by("-service_from", "pk")
    rejected = hmo_claims.first().patient_control_number if hmo_claims.exists() else ""
    remits = _remit(batch, today=today, rejected=rejected)
    recent = batch_build(actor=billing, payer=Payer.objects.get(name=MEDICAID))
    paid = _client_payment(billing, today=today)
    statuses = dict(Claim.objects.values_list("status").annotate(n=Count("id")).order_by())
    denied = Charge.objects.filter(Q(status=Charge.Status.DENIED)).count()
    return (
        f"Claims: {released} charges released; batch {batch.control_number} sent with "
        f"{built.claims} claims ({', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}); "
        f"835s: {'; '.join(remits)}; {denied} charges denied; "
        f"a second batch of {recent.claims} claims ready to send"
        + (f"; {paid}" if paid else "")
        + "."
    )
