"""Re-evaluating a client's charges from the documented services: called
inside the transaction that signed or changed a service (SERVICES_CHANGED),
or by hand (billing.tasks.redraft_charges). Idempotent: a day whose charges
are already what its services call for is left untouched.

Every day of the WHOLE WEEK (Monday-Sunday) of each date is re-evaluated: a
third qualifying day turns the week's earlier days into per diem days.

Money is never edited in place: a drafted, held or ready charge that no
longer fits is superseded by new rows; an exported, paid or denied one gets
a correction (or a void when the day has nothing left to bill) naming it
and the reason, and is superseded."""

from collections import Counter
from datetime import date, timedelta

from django.db import transaction

from billing.drafting.context import DraftingContext, drafting_context
from billing.drafting.plan import DesiredCharge, plan_day
from billing.drafting.rules import qualifying_days, weeks_of
from billing.models import Charge, ChargeEvidence, Payer
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record_many
from iop.clients.models import Client

# On a claim (batched, sent or answered): a change of the day corrects it
# with a new row instead of superseding it in place.
SENT = {Charge.Status.BATCHED, Charge.Status.EXPORTED, Charge.Status.PAID, Charge.Status.DENIED}
# Holds that are billing's, not facts of the day the engine derives: by
# hand, a rejected claim, a rendering NPI missing at claim building.
BILLING_HOLDS = {
    Charge.HoldReason.MANUAL,
    Charge.HoldReason.REJECTED,
    Charge.HoldReason.NO_NPI,
}
# Default rule when a day has no coverage (the Payer model's defaults).
DEFAULT_MINUTES = Payer._meta.get_field("per_diem_minutes").default
DEFAULT_DAYS = Payer._meta.get_field("per_diem_days_per_week").default

KIND_LABELS = {
    "group": "Group session",
    "individual": "Individual session",
    "assessment": "Assessment",
    "family": "Family session",
    "drug_test_collection": "Specimen collection",
}


def _signature_of_desired(charge: DesiredCharge) -> tuple:
    return (
        charge.code,
        tuple(sorted(charge.modifiers)),
        charge.units,
        charge.unit_rate,
        charge.amount,
        charge.place_of_service,
        tuple(charge.diagnosis_codes),
        charge.rendering_clinician_id,
        charge.supervising_clinician_id,
        charge.coverage.pk if charge.coverage else None,
        charge.payer.pk if charge.payer else None,
        charge.authorization.pk if charge.authorization else None,
        charge.hold_reason,
        charge.hold_detail,
        tuple(sorted((f.source, f.minutes, f.signed, f.signed_late) for f in charge.facts)),
    )


def _signature_of_live(charge: Charge) -> tuple:
    # A hold of billing's or a move to ready is theirs, not a change of the day.
    held = "" if charge.hold_reason in BILLING_HOLDS else charge.hold_reason
    detail = "" if charge.hold_reason in BILLING_HOLDS else charge.hold_detail
    return (
        charge.code,
        tuple(sorted(charge.modifiers)),
        charge.units,
        charge.unit_rate,
        charge.amount,
        charge.place_of_service,
        tuple(charge.diagnosis_codes),
        charge.rendering_clinician_id,
        charge.supervising_clinician_id,
        charge.coverage_id,
        charge.payer_id,
        charge.authorization_id,
        held,
        detail,
        tuple(
            sorted((e.source, e.minutes, e.signed, e.signed_late) for e in charge.evidence.all())
        ),
    )


def _what_changed(old: list[Charge], new: list[DesiredCharge]) -> str:
    before = ", ".join(sorted(f"{c.code}x{c.units}" for c in old)) or "nothing"
    after = ", ".join(sorted(f"{c.code}x{c.units}" for c in new)) or "nothing"
    if before == after:
        return "day re-evaluated: services, payer, rate or holds changed"
    return f"day re-evaluated: {before} became {after}"[:255]


def _plan_client(context: DraftingContext, client_id: int) -> dict[date, list[DesiredCharge]]:
    facts = [f for f in context.facts if f.client_id == client_id]
    by_day: dict[date, list] = {}
    for fact in facts:
        by_day.setdefault(fact.date, []).append(fact)
    # Signed minutes make a qualifying day: an unsigned service holds its
    # day and counts once it is signed (its signature re-evaluates the week).
    minutes = {
        day: sum(f.minutes for f in day_facts if f.signed) for day, day_facts in by_day.items()
    }
    rules: dict[tuple[int, int], set[date]] = {}

    def qualifying(payer, day):
        rule = (
            (payer.per_diem_minutes, payer.per_diem_days_per_week)
            if payer
            else (DEFAULT_MINUTES, DEFAULT_DAYS)
        )
        if rule not in rules:
            rules[rule] = qualifying_days(minutes, minutes_a_day=rule[0], days_a_week=rule[1])
        return day in rules[rule]

    plan = {}
    day = context.start
    while day <= context.end:
        plan[day] = plan_day(
            context,
            client_id,
            day,
            by_day.get(day, []),
            qualifies=lambda payer, day=day: qualifying(payer, day),
        )
        day += timedelta(days=1)
    return plan


def _new_charge(
    desired: DesiredCharge, *, actor, kind=Charge.Kind.ORIGINAL, replaces=None, reason=""
):
    return Charge(
        client_id=desired.client_id,
        episode_id=desired.episode_id,
        coverage=desired.coverage,
        payer=desired.payer,
        authorization=desired.authorization,
        service_date=desired.service_date,
        code=desired.code,
        modifiers=sorted(desired.modifiers),
        units=desired.units,
        unit_rate=desired.unit_rate,
        amount=desired.amount,
        place_of_service=desired.place_of_service,
        diagnosis_codes=desired.diagnosis_codes,
        rendering_clinician_id=desired.rendering_clinician_id,
        supervising_clinician_id=desired.supervising_clinician_id,
        status=desired.status,
        hold_reason=desired.hold_reason,
        hold_detail=desired.hold_detail,
        kind=kind,
        replaces=replaces,
        reason=reason,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )


def _void_of(old: Charge, *, actor, reason: str) -> Charge:
    return Charge(
        client_id=old.client_id,
        episode_id=old.episode_id,
        coverage_id=old.coverage_id,
        payer_id=old.payer_id,
        service_date=old.service_date,
        code=old.code,
        modifiers=old.modifiers,
        units=old.units,
        unit_rate=old.unit_rate,
        amount=old.amount,
        place_of_service=old.place_of_service,
        diagnosis_codes=old.diagnosis_codes,
        rendering_clinician_id=old.rendering_clinician_id,
        supervising_clinician_id=old.supervising_clinician_id,
        status=Charge.Status.DRAFTED,
        kind=Charge.Kind.VOID,
        replaces=old,
        reason=reason,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )


def _replace_day(old: list[Charge], new: list[DesiredCharge], *, actor):
    """The rows that replace a day's live charges: (charge, desired or None)."""
    reason = _what_changed(old, new)
    rows = []
    remaining = list(new)
    for charge in old:
        # Same code first; else the day's next new charge (a replacement
        # claim may change the code: a per diem for components).
        match = next((d for d in remaining if d.code == charge.code), None) or next(
            iter(remaining), None
        )
        if charge.status in SENT:
            if match is not None:
                remaining.remove(match)
                row = _new_charge(
                    match, actor=actor, kind=Charge.Kind.CORRECTION, replaces=charge, reason=reason
                )
                rows.append((row, match))
            else:
                rows.append((_void_of(charge, actor=actor, reason=reason), None))
        elif charge.kind == Charge.Kind.CORRECTION:
            # A correction not sent yet is redone as a correction of the
            # same sent charge (or its void when nothing is left to bill).
            if match is not None:
                remaining.remove(match)
                row = _new_charge(match, actor=actor, kind=Charge.Kind.CORRECTION, reason=reason)
                row.replaces_id = charge.replaces_id
                rows.append((row, match))
            else:
                void = _void_of(charge, actor=actor, reason=reason)
                void.replaces_id = charge.replaces_id
                rows.append((void, None))
        elif match is not None:
            remaining.remove(match)
            rows.append((_new_charge(match, actor=actor, replaces=charge, reason=reason), match))
    rows.extend((_new_charge(d, actor=actor), d) for d in remaining)
    return rows


def charges_redraft(*, client_ids, dates, actor=None) -> dict:
    """Re-evaluate the charges of these clients for every day of the weeks
    of `dates`. Returns counts: {"written": n, "superseded": m}."""
    client_ids = set(client_ids)
    weeks = weeks_of(dates)
    if not client_ids or not weeks:
        return {"written": 0, "superseded": 0}
    start, end = weeks[0][0], weeks[-1][1]
    with transaction.atomic():
        # One lock per call: two signatures of the same clients draft in turn.
        clients = list(Client.objects.select_for_update().filter(pk__in=client_ids).order_by("pk"))
        context = drafting_context(client_ids, start, end)
        for charges in context.live.values():
            for charge in charges:
                for authorization in context.authorizations.get(charge.coverage_id or 0, []):
                    if authorization.pk == charge.authorization_id:
                        authorization.units_used -= charge.units
        superseded: list[int] = []
        rows: list[tuple[Charge, DesiredCharge | None]] = []
        touched: Counter = Counter()
        for client in clients:
            for day, desired in _plan_client(context, client.pk).items():
                live = context.live.get((client.pk, day), [])
                if Counter(map(_signature_of_live, live)) == Counter(
                    map(_signature_of_desired, desired)
                ):
                    continue
                superseded.extend(charge.pk for charge in live)
                day_rows = _replace_day(live, desired, actor=actor)
                rows.extend(day_rows)
                touched[client.pk] += len(day_rows) + len(live)
        if not rows and not superseded:
            return {"written": 0, "superseded": 0}
        Charge.objects.filter(pk__in=superseded).update(superseded=True)
        created = Charge.objects.bulk_create([row for row, _desired in rows])
        ChargeEvidence.objects.bulk_create(
            ChargeEvidence(
                charge=charge,
                source=fact.source,
                service_date=fact.date,
                starts_at=fact.starts_at,
                description=KIND_LABELS.get(fact.kind, fact.kind),
                code=fact.suggested_code,
                minutes=fact.minutes,
                clinician_id=fact.clinician_id,
                signed=fact.signed,
                signed_late=fact.signed_late,
            )
            for charge, (_row, desired) in zip(created, rows, strict=True)
            if desired is not None
            for fact in desired.facts
        )
        by_client = Counter(charge.client_id for charge in created)
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            clients=[client for client in clients if touched[client.pk]],
            details={
                "charges_redrafted": True,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "charges_written": sum(by_client.values()),
            },
        )
    return {"written": len(created), "superseded": len(superseded)}
