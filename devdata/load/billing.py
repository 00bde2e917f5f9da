"""Billing for the large clinic: a confirmed substance use disorder for every
admitted episode, the demo's payers and fee schedules, a primary coverage
for every admitted client, authorizations from the plans that require them,
and the charges of the last BILLING_WEEKS weeks.

The charges are not invented: the drafting engine itself
(billing.drafting.service.charges_redraft) drafts them from the documented
services of those weeks, as if the clinic had started billing in OpenIOP a
quarter ago. Charges older than two weeks have gone to the outside biller
(exported), those of the last few days are still drafted, the ones in
between are ready; holds stay what the engine made of them. The engine
works through the ORM on the default database, so this phase needs the
build to target it (seed_load's inner run does). It runs after the audit
phase: the engine's audit events join the sealed chain.
"""

from datetime import date, timedelta

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

from billing.drafting.service import charges_redraft
from billing.models import Authorization, Charge, Coverage, FeeRate, Payer
from devdata.demo.billing import GRANT, HMO, MEDICAID, PAYERS, PPO, PROGRAM_RATES, RATES, SELF_PAY
from devdata.demo.diagnoses import CLASS_OF_SUBSTANCE
from devdata.load.context import Ctx, Episode, new_uuid
from iop.clients import icd10
from iop.clients.diagnoses import Criterion, SubstanceClass, code_for, criteria_for
from iop.clients.models import Diagnosis

BILLING_WEEKS = 13
EXPORTED_AFTER_DAYS = 14
RELEASED_AFTER_DAYS = 3
# Clients redrafted per call: the engine's queries per call are constant,
# its memory grows with the clients' services.
DRAFT_CHUNK = 400
# (payer name, share of the clients).
PAYER_MIX = ((MEDICAID, 50), (HMO, 15), (PPO, 15), (GRANT, 12), (SELF_PAY, 8))
# Codes each plan authorizes (the ones its fee schedule bills).
AUTHORIZED_CODES = {
    MEDICAID: ["H0015", "H0005", "H0004", "H0001", "H0048"],
    HMO: ["H0015", "H0005", "H0004", "H0001", "H0048"],
    PPO: ["H0015", "90853", "90832", "90834", "90837", "H0048"],
}
# Criteria met by severity: DSM-5-TR counts 2-3 mild, 4-5 moderate, 6+ severe.
CRITERIA_COUNTS = (("mild", 3, 15), ("moderate", 5, 40), ("severe", 7, 45))


def _weighted(rng, table):
    return rng.choices([row[0] for row in table], weights=[row[-1] for row in table])[0]


def _date(day: int) -> date:
    return date.fromordinal(day)


def seed_billing(ctx: Ctx) -> None:
    if ctx.loader.using != DEFAULT_DB_ALIAS:
        raise ValueError("The billing phase drafts through the ORM: build into 'default'.")
    payers = _seed_payers(ctx)
    admitted = ctx.admitted()
    _seed_diagnoses(ctx, admitted)
    coverages = _seed_coverages(ctx, admitted, payers)
    _seed_authorizations(ctx, admitted, coverages, payers)
    _draft_charges(ctx, admitted)


def _seed_payers(ctx: Ctx) -> dict[str, Payer]:
    """The demo's payers (the Medicaid plan wants the degree-level modifier:
    the staff's degree levels are recorded, bar a few) and fee schedules."""
    since = _date(ctx.clock.start)
    admin = ctx.staff.administrators[0]
    payers = {}
    for name, fields in PAYERS.items():
        payers[name] = Payer.objects.create(name=name, **{**fields, "credential_modifier": False})
    rates = [
        FeeRate(
            payer=payers[name] if name else None,
            code=code,
            modifiers=list(modifiers),
            amount=amount,
            effective_from=since,
            created_by_id=admin,
        )
        for name, table in [*RATES.items(), (None, PROGRAM_RATES)]
        for (code, modifiers), amount in table.items()
    ]
    FeeRate.objects.bulk_create(rates)
    ctx.loader.counts["billing.Payer"] += len(payers)
    ctx.loader.counts["billing.FeeRate"] += len(rates)
    return payers


def _clinician(ctx: Ctx, rng, episode: Episode) -> int:
    """Who made the diagnosis: the primary counselor, unless in training
    (not licensed to diagnose), then a supervisor."""
    if episode.counselor and episode.counselor not in ctx.staff.in_training:
        return episode.counselor
    return rng.choice(ctx.staff.supervisors)


def _seed_diagnoses(ctx: Ctx, admitted: list[Episode]) -> None:
    rng = ctx.rng("diagnoses")
    clock = ctx.clock
    rows = []
    for episode in admitted:
        klass = SubstanceClass(CLASS_OF_SUBSTANCE.get(episode.client.substance, "alcohol"))
        severity = _weighted(rng, CRITERIA_COUNTS)
        count = next(n for name, n, _share in CRITERIA_COUNTS if name == severity)
        asked = [c.value for c in criteria_for(klass)]
        first = [Criterion.CRAVING.value, Criterion.CUT_DOWN.value]
        criteria = first + rng.sample([c for c in asked if c not in first], count - len(first))
        code = code_for(klass, severity)
        made = episode.admission  # at the admission assessment
        by = _clinician(ctx, rng, episode)
        moment = clock.ts(made * 1440 + 16 * 60 + rng.randint(0, 90))
        rows.append(
            (
                new_uuid(rng),
                episode.client.id,
                episode.id,
                Diagnosis.Kind.SUD,
                code,
                icd10.lookup(code).description,
                1,
                klass.value,
                "{" + ",".join(criteria) + "}",
                severity,
                clock.date(made),
                by,
                Diagnosis.Status.CONFIRMED,
                by,
                moment,
                moment,
            )
        )
    ctx.loader.copy(
        Diagnosis,
        (
            "public_id",
            "client_id",
            "episode_id",
            "kind",
            "icd10_code",
            "description",
            "rank",
            "substance_class",
            "criteria_met",
            "severity",
            "date_made",
            "made_by_id",
            "status",
            "confirmed_by_id",
            "confirmed_at",
            "created_at",
        ),
        rows,
    )


def _seed_coverages(ctx: Ctx, admitted, payers) -> dict[int, tuple[int, str]]:
    """One primary coverage per admitted client, in force from before the
    first admission: client id -> (coverage id, payer name)."""
    rng = ctx.rng("coverages")
    clock = ctx.clock
    first_admission: dict[int, int] = {}
    for episode in admitted:
        client = episode.client.id
        first_admission[client] = min(
            first_admission.get(client, episode.admission), episode.admission
        )
    next_id = ctx.loader.reserve(Coverage, len(first_admission))
    admin = ctx.staff.administrators[0]
    rows, coverages = [], {}
    for client, admission in sorted(first_admission.items()):
        name = _weighted(rng, PAYER_MIX)
        since = max(clock.start, admission - rng.randint(30, 400))
        coverage_id, next_id = next_id, next_id + 1
        coverages[client] = (coverage_id, name)
        rows.append(
            (
                coverage_id,
                new_uuid(rng),
                client,
                payers[name].pk,
                "" if name == SELF_PAY else name.split(" (")[0],
                "" if name == SELF_PAY else f"M{rng.randint(10**8, 10**9 - 1)}",
                Coverage.Relationship.SELF,
                Coverage.Order.PRIMARY,
                clock.date(since),
                "",
                "",
                admin,
                clock.ts(since * 1440 + 10 * 60),
            )
        )
    ctx.loader.copy(
        Coverage,
        (
            "id",
            "public_id",
            "client_id",
            "payer_id",
            "plan_name",
            "member_id",
            "subscriber_relationship",
            "order",
            "effective_from",
            "card_front",
            "card_back",
            "created_by_id",
            "created_at",
        ),
        rows,
    )
    return coverages


def _seed_authorizations(ctx: Ctx, admitted, coverages, payers) -> None:
    """Every episode in care during the billing weeks gets a 120-day
    authorization (the Matrix Model's 16 weeks) from a plan that requires
    one, from its admission or, for an episode admitted long before, from
    its latest renewal; a few are sized tight (they run out) and about one in
    twenty-five was never obtained (its charges are held for it)."""
    rng = ctx.rng("authorizations")
    clock = ctx.clock
    window = clock.today - BILLING_WEEKS * 7
    admin = ctx.staff.administrators[0]
    rows = []
    for episode in admitted:
        coverage_id, name = coverages[episode.client.id]
        if name not in AUTHORIZED_CODES or not payers[name].requires_authorization:
            continue
        if (episode.discharge is not None and episode.discharge < window) or rng.random() < 0.04:
            continue
        starts = max(episode.admission, window - rng.randint(0, 60))
        ends = starts + 119
        aftercare = episode.step_down is not None and episode.step_down <= starts
        review = starts + 30 * (1 + max(0, clock.today - starts) // 30)
        rows.append(
            (
                new_uuid(rng),
                coverage_id,
                f"PA{rng.randint(10**6, 10**7 - 1)}",
                "{" + ",".join(AUTHORIZED_CODES[name]) + "}",
                rng.choice((24, 90, 120, 150, 150)),
                clock.date(starts),
                clock.date(ends),
                "1.0" if aftercare else episode.level or "2.1",
                clock.date(review) if review <= ends else None,
                admin,
                clock.ts(starts * 1440 + 11 * 60),
            )
        )
    ctx.loader.copy(
        Authorization,
        (
            "public_id",
            "coverage_id",
            "number",
            "service_codes",
            "units_authorized",
            "starts_on",
            "ends_on",
            "level_of_care",
            "next_review_on",
            "created_by_id",
            "created_at",
        ),
        rows,
    )


def _draft_charges(ctx: Ctx, admitted) -> None:
    clock = ctx.clock
    window = clock.today - BILLING_WEEKS * 7
    in_window = sorted(
        {
            episode.client.id
            for episode in admitted
            if episode.admission <= clock.today
            and (episode.discharge is None or episode.discharge >= window)
        }
    )
    mondays = [_date(window + 7 * week) for week in range(BILLING_WEEKS + 1)]
    for start in range(0, len(in_window), DRAFT_CHUNK):
        charges_redraft(client_ids=in_window[start : start + DRAFT_CHUNK], dates=mondays)
    today = _date(clock.today)
    unsent = Q(status=Charge.Status.DRAFTED, superseded=False)
    Charge.objects.filter(
        unsent, service_date__lt=today - timedelta(days=EXPORTED_AFTER_DAYS)
    ).update(status=Charge.Status.EXPORTED)
    Charge.objects.filter(
        unsent, service_date__lt=today - timedelta(days=RELEASED_AFTER_DAYS)
    ).update(status=Charge.Status.READY)
    ctx.loader.counts["billing.Charge"] += Charge.objects.count()
