"""Demo billing data, run by `manage.py seed_demo` (its EXTRA_SEEDERS).

Payers (a Medicaid managed care plan, a commercial PPO, a
commercial HMO, self-pay and a state grant, all fictional), their fee
schedules and the program's own rates (for self-pay and grant clients), with
a rate change on January 1 so a rate history shows; and a coverage for every
admitted demo client: most Medicaid, some commercial (a few with a
secondary), a few self-pay or grant; most verified, one ending within the
month and one never verified, so billing's home page has work on it.
Everything goes through the services, so the audit trail looks as staff
would have left it. Idempotent: existing payers keep their rates, a client
with a coverage is left alone.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from billing.models import Coverage, CoverageVerification, FeeRate, Payer
from billing.services.coverage import coverage_add, verification_record
from billing.services.fees import fee_rate_add
from billing.services.payers import payer_create
from iop.clients.models import Client, Episode

MEDICAID = "Evergreen Health Plan (Medicaid)"
PPO = "Summit Mutual Insurance (PPO)"
HMO = "Cardinal Choice Health (HMO)"
SELF_PAY = "Self-pay"
GRANT = "State Opioid Response grant"

# Payer name -> its fields (payer_create's data). Addresses and payer IDs
# are invented for the demo.
PAYERS = {
    MEDICAID: {
        "kind": Payer.Kind.MEDICAID,
        "electronic_payer_id": "EVGHP1",
        "address_line1": "PO Box 30210",
        "city": "Austin",
        "state": "TX",
        "postal_code": "78755",
        "claim_filing_indicator": Payer.FilingIndicator.MEDICAID,
        "requires_authorization": True,
        # Like many Medicaid plans: the clinician's degree-level modifier
        # (HP/HO/HN/HM), from the demo staff's recorded degree levels.
        "credential_modifier": True,
        # Timely filing limits are each contract's; these are the demo's.
        "timely_filing_days": 365,
    },
    PPO: {
        "kind": Payer.Kind.COMMERCIAL,
        "electronic_payer_id": "SMIC7",
        "address_line1": "PO Box 44870",
        "city": "Dallas",
        "state": "TX",
        "postal_code": "75244",
        "claim_filing_indicator": Payer.FilingIndicator.PPO,
        "requires_authorization": True,
        "individual_code_basis": "9083x",
        "group_code": "90853",
        "claim_span": "month",
        "timely_filing_days": 180,
    },
    HMO: {
        "kind": Payer.Kind.MANAGED_CARE,
        "electronic_payer_id": "CCH22",
        "address_line1": "1200 Commerce Parkway",
        "city": "San Antonio",
        "state": "TX",
        "postal_code": "78216",
        "claim_filing_indicator": Payer.FilingIndicator.HMO,
        "requires_authorization": True,
        "timely_filing_days": 120,
    },
    SELF_PAY: {"kind": Payer.Kind.SELF_PAY, "pays_per_diem": True},
    GRANT: {
        "kind": Payer.Kind.GRANT,
        "claim_filing_indicator": Payer.FilingIndicator.OTHER_NON_FEDERAL,
    },
}

# Rates per unit, this year's; (code, modifiers) -> amount. Last year's
# per diem was lower: a new rate from January 1 ended it.
RATES = {
    MEDICAID: {
        ("H0015", ()): "215.00",
        # No HQ: H0005 is a group code already (billing/drafting/plan.py).
        ("H0005", ()): "38.50",
        ("H0004", ()): "24.75",
        ("H0001", ()): "165.00",
        ("H0048", ()): "12.50",
        ("90791", ()): "175.00",
        ("90846", ()): "88.00",
        ("90847", ()): "92.00",
        ("80305", ()): "14.97",
    },
    PPO: {
        ("H0015", ()): "245.00",
        ("90853", ()): "42.00",
        ("90832", ()): "78.00",
        ("90834", ()): "112.00",
        ("90837", ()): "158.00",
        ("90791", ()): "205.00",
        ("90847", ()): "118.00",
        ("H0048", ()): "14.00",
        ("80305", ()): "18.00",
    },
    HMO: {
        ("H0015", ()): "228.00",
        ("H0005", ()): "41.00",
        ("H0004", ()): "27.50",
        ("H0001", ()): "180.00",
        ("H0048", ()): "13.25",
        ("80305", ()): "16.50",
    },
}
# The program's own rates (payer None): self-pay statements, grant reporting.
PROGRAM_RATES = {
    ("H0015", ()): "180.00",
    ("H0005", ()): "35.00",
    ("H0004", ()): "22.00",
    ("H0001", ()): "150.00",
    ("H0048", ()): "10.00",
    ("90791", ()): "160.00",
    ("80305", ()): "12.00",
}
LAST_YEARS_PER_DIEM = {MEDICAID: "205.00", PPO: "235.00", HMO: "220.00", None: "170.00"}

METHODS = (
    CoverageVerification.Method.PORTAL,
    CoverageVerification.Method.PORTAL,
    CoverageVerification.Method.ELIGIBILITY_270,
    CoverageVerification.Method.PHONE,
)
SPOUSE_FIRST_NAMES = ("Daniel", "Maria", "Chris", "Angela", "Robert", "Linda")


def authorized_codes(payer) -> list[str]:
    """The codes a demo authorization lists: the IOP services the payer's
    fee schedule prices (the level of care is authorized, not one code)."""
    rates = RATES.get(payer.name, PROGRAM_RATES)
    return sorted({code for code, _modifiers in rates})


def _add_rates(*, actor, payer, rates, today: date) -> int:
    this_year = date(today.year, 1, 1)
    last_year = date(today.year - 1, 1, 1)
    made = 0
    name = payer.name if payer else None
    for (code, modifiers), amount in rates.items():
        if code == "H0015":
            fee_rate_add(
                actor=actor,
                payer=payer,
                code=code,
                modifiers=list(modifiers),
                amount=Decimal(LAST_YEARS_PER_DIEM[name]),
                effective_from=last_year,
            )
            made += 1
        fee_rate_add(
            actor=actor,
            payer=payer,
            code=code,
            modifiers=list(modifiers),
            amount=Decimal(amount),
            effective_from=this_year,
        )
        made += 1
    return made


def seed_access_payers(*, users, rng: random.Random, today: date) -> str:
    admin = users["admin"]
    payers = rates = 0
    with transaction.atomic():
        for name, fields in PAYERS.items():
            payer = Payer.objects.filter(name=name).first()
            if payer is None:
                payer = payer_create(actor=admin, data={"name": name, **fields})
                payers += 1
            if name in RATES and not FeeRate.objects.filter(payer=payer).exists():
                rates += _add_rates(actor=admin, payer=payer, rates=RATES[name], today=today)
        if not FeeRate.objects.filter(payer__isnull=True).exists():
            rates += _add_rates(actor=admin, payer=None, rates=PROGRAM_RATES, today=today)
    return f"Billing: {payers} payers and {rates} fee rates added."


def _member_id(rng, prefix: str, digits: int) -> str:
    return prefix + "".join(str(rng.randrange(10)) for _ in range(digits))


def _coverage_data(payer, *, start, rng, client, order=Coverage.Order.PRIMARY, spouse=False):
    data = {
        "payer": payer,
        "order": order,
        "effective_from": start,
        "effective_to": None,
        "subscriber_relationship": Coverage.Relationship.SELF,
        "subscriber_name": "",
        "subscriber_birth_date": None,
    }
    if payer.name == MEDICAID:
        data.update(plan_name="STAR Adult", member_id=_member_id(rng, "EVG", 9))
    elif payer.name == PPO:
        data.update(
            plan_name="Summit Choice PPO 1500",
            member_id=_member_id(rng, "SMT", 8),
            group_number=f"GRP-{rng.randrange(1000, 9999)}",
        )
    elif payer.name == HMO:
        data.update(
            plan_name="Cardinal Select HMO",
            member_id=_member_id(rng, "CC", 10),
            group_number=f"{rng.randrange(100000, 999999)}",
        )
    elif payer.name == GRANT:
        data.update(plan_name="SOR treatment funds", member_id="")
    if spouse:
        data.update(
            subscriber_relationship=Coverage.Relationship.SPOUSE,
            subscriber_name=f"{rng.choice(SPOUSE_FIRST_NAMES)} {client.legal_last_name}",
            subscriber_birth_date=client.date_of_birth + timedelta(days=rng.randrange(-900, 900)),
        )
    return data


def seed_access_coverage(*, users, rng: random.Random, today: date) -> str:
    actor = users["billing"]
    payers = {payer.name: payer for payer in Payer.objects.filter(name__in=PAYERS)}
    episodes = list(
        Episode.objects.filter(
            admission_date__isnull=False,
            client__in=Client.objects.filter(email__endswith="@example.org"),
            client__coverages__isnull=True,
        )
        .select_related("client")
        .order_by("client__legal_last_name", "client__legal_first_name", "-admission_date")
    )
    seen, made, verified = set(), 0, 0
    for number, episode in enumerate(episodes):
        client = episode.client
        if client.pk in seen:
            continue
        seen.add(client.pk)
        start = episode.admission_date - timedelta(days=rng.randrange(30, 400))
        draw = rng.random()
        with transaction.atomic():
            if draw < 0.62:
                plan = [(payers[MEDICAID], False)]
            elif draw < 0.84:
                commercial = payers[PPO] if rng.random() < 0.6 else payers[HMO]
                plan = [(commercial, rng.random() < 0.3)]
                if rng.random() < 0.4:
                    plan.append((payers[MEDICAID], False))
            elif draw < 0.92:
                plan = [(payers[SELF_PAY], False)]
            else:
                plan = [(payers[GRANT], False)]
            coverages = []
            for order, (payer, spouse) in enumerate(plan, start=1):
                data = _coverage_data(
                    payer, start=start, rng=rng, client=client, order=order, spouse=spouse
                )
                if number == 1 and order == 1:
                    # One coverage runs out this month: billing's home page shows it.
                    data["effective_to"] = today + timedelta(days=12)
                coverages.append(coverage_add(actor=actor, client=client, data=data))
                made += 1
            for coverage in coverages:
                if coverage.payer.bills_clients or number == 2:
                    # Self-pay and grant are not verified with a payer; and
                    # one client's coverage is still waiting on its check.
                    continue
                verification_record(
                    actor=actor,
                    coverage=coverage,
                    verified_on=max(coverage.effective_from, today - timedelta(rng.randrange(60))),
                    method=rng.choice(METHODS),
                    result=CoverageVerification.Result.ACTIVE,
                    notes="Eligible; IOP benefit confirmed." if rng.random() < 0.5 else "",
                )
                verified += 1
    return f"Billing: {made} coverages for {len(seen)} clients, {verified} verified."
