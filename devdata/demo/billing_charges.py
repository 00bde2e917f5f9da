"""Demo charges and authorizations, run by `manage.py seed_demo` (its
EXTRA_SEEDERS) after the payers and coverages of devdata.demo.billing.

seed_engine_charges: the demo's documented history is signed through the
services (groups and session notes) before the demo has payers, coverages
and diagnoses, and the group seeder then dates each signature back to when
it was made; so the charges drafted at signing are re-evaluated here, once
everything they rest on exists: every week of every admitted episode, in
one re-evaluation (billing.drafting.service.charges_redraft). Idempotent:
a second run finds every day already as its services call for and writes
nothing.

seed_authorizations (authorizations and utilization review): runs after
the payers, the coverages and the charges are seeded; where a demo client in the intensive
phase has no coverage yet it gets a primary one with one of the two demo
health plans (looked up or created by name). Their authorizations tell the
stories the billing office's alerts are about: one running out (at least
80 % of its units drawn by the client's charges: it is sized from them,
and the client's days are re-evaluated so the charges draw on it), one expired, one whose concurrent
review is due within 3 days, the rest healthy; one client has a consent
covering treatment, payment and health care operations for their plan,
and a utilization review recorded under it (its disclosure in the ledger).

Idempotent: a client who has an authorization is left alone.
"""

import math
import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Sum

from billing.drafting.service import charges_redraft
from billing.models import Authorization, Coverage, Payer
from billing.selectors.authorizations import live_charges
from billing.services.authorizations import utilization_review_record
from devdata.demo.billing import MEDICAID, PPO, authorized_codes
from family.forms import REVOCATION_STATEMENT
from family.models import Consent
from family.services import consent_record
from iop.clients.models import Client, Episode


def seed_engine_charges(*, users: dict, rng: random.Random, today: date) -> str:
    episodes = list(
        Episode.objects.filter(admission_date__isnull=False).values_list(
            "client_id", "admission_date", "discharge_date"
        )
    )
    if not episodes:
        return "Charges: no admitted episode"
    first = min(admitted for _client, admitted, _discharged in episodes)
    weeks = [first + timedelta(weeks=n) for n in range((today - first).days // 7 + 1)]
    result = charges_redraft(
        client_ids={client for client, _admitted, _discharged in episodes},
        dates=[*weeks, today],
        actor=users.get("billing"),
    )
    # Before the episodes' authorizations (seed_episode_authorizations
    # redrafts and says what is held then).
    return f"Charges: {result['written']:,} written now"


EVERGREEN = (MEDICAID, Payer.Kind.MEDICAID)
SUMMIT = (PPO, Payer.Kind.COMMERCIAL)
RUNNING_OUT, EXPIRED, REVIEW_DUE, REVIEWED = range(4)
SHOWN = 8


def seed_authorizations(*, users, rng: random.Random, today: date) -> str:
    """Seed coverages where missing, authorizations, a TPO consent and a
    utilization review; returns a summary line."""
    actor = users.get("billing") or users["admin"]
    episodes = list(
        Episode.objects.filter(phase=Episode.Phase.INTENSIVE, admission_date__isnull=False)
        .select_related("client", "primary_counselor")
        .order_by("client__legal_last_name", "client__legal_first_name")[:SHOWN]
    )
    seeded = 0
    for number, episode in enumerate(episodes):
        client = episode.client
        if Authorization.objects.filter(coverage__client=client).exists():
            continue
        with transaction.atomic():
            coverage = _coverage(client, number, actor, episode.admission_date)
            _story(number, coverage, episode, actor, today, users)
        seeded += 1
    return f"billing: authorizations for {seeded} clients"


def _coverage(client: Client, number: int, actor, admitted: date) -> Coverage:
    existing = client.coverages.filter(order=Coverage.Order.PRIMARY).first()
    if existing is not None:
        return existing
    name, kind = EVERGREEN if number % 2 == 0 else SUMMIT
    payer = Payer.objects.get_or_create(name=name, defaults={"kind": kind})[0]
    return Coverage.objects.create(
        client=client,
        payer=payer,
        member_id=f"DEMO{client.pk:06d}",
        order=Coverage.Order.PRIMARY,
        effective_from=admitted - timedelta(days=90),
        created_by=actor,
    )


def _authorization(coverage, actor, *, number, units, starts, ends, review=None):
    return Authorization.objects.create(
        coverage=coverage,
        number=f"PA-DEMO-{number:03d}",
        service_codes=authorized_codes(coverage.payer),
        units_authorized=units,
        starts_on=max(starts, coverage.effective_from),
        ends_on=ends,
        level_of_care="2.1",
        reviewer_name="Utilization management, " + coverage.payer.name,
        reviewer_contact="1-800-555-0142",
        next_review_on=review,
        created_by=actor,
    )


def _units_charged(coverage, start: date, end: date, codes) -> int:
    """Units of the coverage's live charges between two dates, of `codes`."""
    charges = live_charges().filter(
        coverage=coverage, service_date__range=(start, end), code__in=codes
    )
    return charges.aggregate(units=Sum("units"))["units"] or 0


def _draw(authorization, episode, actor) -> None:
    """The client's days in the authorization's period, re-evaluated: their
    charges now draw on it (the payer requires an authorization)."""
    days = (authorization.ends_on - authorization.starts_on).days
    dates = [authorization.starts_on + timedelta(days=n) for n in range(0, days + 1, 7)]
    charges_redraft(client_ids=[episode.client_id], dates=dates, actor=actor)


def _story(number, coverage, episode, actor, today, users) -> None:
    start = today - timedelta(days=28)
    codes = authorized_codes(coverage.payer)
    if number == RUNNING_OUT:
        # About 85 % of the units already charged in the period.
        used = _units_charged(coverage, max(start, coverage.effective_from), today, codes)
        authorization = _authorization(
            coverage,
            actor,
            number=number,
            units=max(1, math.ceil(used / 0.85)),
            starts=start,
            ends=today + timedelta(days=30),
        )
    elif number == EXPIRED:
        # Its story is the expiry (days after it held for no authorization),
        # not running out: sized with room for the days it covered.
        starts, ends = today - timedelta(days=60), today - timedelta(days=10)
        used = _units_charged(coverage, max(starts, coverage.effective_from), ends, codes)
        authorization = _authorization(
            coverage,
            actor,
            number=number,
            units=max(20, math.ceil(used / 0.6)),
            starts=starts,
            ends=ends,
        )
    elif number == REVIEW_DUE:
        authorization = _authorization(
            coverage,
            actor,
            number=number,
            units=40,
            starts=start,
            ends=today + timedelta(days=30),
            review=today + timedelta(days=2),
        )
    else:
        authorization = _authorization(
            coverage,
            actor,
            number=number,
            units=60,
            starts=start,
            ends=today + timedelta(days=45),
            review=today + timedelta(days=20),
        )
    # Every authorization is drawn on by the charges of its period, as
    # signing would have done had it been recorded first.
    _draw(authorization, episode, actor)
    if number == REVIEWED:
        _reviewed(authorization, episode, actor, today, users)


def _reviewed(authorization, episode, actor, today, users) -> None:
    """A TPO consent for the client's plan, and a review sent under it."""
    payer = authorization.coverage.payer
    consent_record(
        actor=episode.primary_counselor or users["supervisor"],
        client=episode.client,
        data={
            "recipient_kind": Consent.RecipientKind.PAYER,
            "recipient_name": payer.name,
            "recipient_organization": payer.name,
            "recipient_contact": "Utilization management, 1-800-555-0142",
            "discloser": "The program's clinical and billing staff",
            "categories": ["attendance", "progress", "treatment_plan"],
            "description": "Attendance, progress in treatment and the treatment plan.",
            "purpose": "Treatment, payment and health care operations.",
            "scope": Consent.Scope.TPO,
            "revocation_instructions": str(REVOCATION_STATEMENT),
            "expires_on": None,
            "expiry_event": "One year after discharge from the program",
            "signed_on": today,
            "signature_name": episode.client.display_name,
            "signature_method": Consent.SignatureMethod.CONFIRMED,
            "signature_confirmed": True,
        },
    )
    utilization_review_record(
        actor=actor,
        authorization=authorization,
        data={
            "reviewed_on": today,
            "reviewer": "R. Okafor, RN, utilization reviewer",
            "information_sent": "Attendance for the period and the updated treatment plan.",
            "categories_sent": ["attendance", "treatment_plan"],
            "decision": "pending",
            "units_granted": 0,
            "next_review_on": today + timedelta(days=14),
        },
    )
