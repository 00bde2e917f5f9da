"""Every demo episode's authorization, run by `manage.py seed_demo` (its
EXTRA_SEEDERS) after seed_authorizations has told its stories.

The three demo health plans require an authorization for every service
(Payer.requires_authorization), so a day without one is held. A program
asks for the IOP level of care at admission; here each admitted episode
whose primary plan requires one gets it, from the admission (or the
coverage's start) until the discharge, the coverage's end or a month
ahead, listing the codes the plan's fee schedule prices, with units to
spare over what the episode's charges draw. Where a story's authorization
(seed_authorizations) already covers the recent weeks, this one ends the
day before it starts, so the expired story still shows its held days.
The clients' days are then re-evaluated once, so the charges draw on them.
Idempotent: an episode whose authorization exists is left alone.
"""

import math
import random
from datetime import date, timedelta

from django.db.models import Min, Sum

from billing.drafting.service import charges_redraft
from billing.models import Authorization, Charge, Coverage
from billing.selectors.authorizations import live_charges
from devdata.demo.billing import authorized_codes
from iop.clients.models import Episode

AHEAD = timedelta(days=30)
# Units asked for over those already drawn: the weeks still to come.
SPARE = 1.3


def seed_episode_authorizations(*, users, rng: random.Random, today: date) -> str:
    actor = users.get("billing") or users["admin"]
    episodes = (
        Episode.objects.filter(admission_date__isnull=False, client__email__endswith="@example.org")
        .select_related("client")
        .order_by("admission_date", "pk")
    )
    made, clients, first = 0, set(), None
    for episode in episodes:
        coverage = (
            Coverage.objects.filter(
                client=episode.client,
                order=Coverage.Order.PRIMARY,
                payer__requires_authorization=True,
            )
            .select_related("payer")
            .first()
        )
        if coverage is None:
            continue
        number = f"PA-DEMO-E{episode.pk}"
        if Authorization.objects.filter(coverage=coverage, number=number).exists():
            continue
        starts = max(episode.admission_date, coverage.effective_from)
        ends = min(
            day
            for day in (episode.discharge_date, coverage.effective_to, today + AHEAD)
            if day is not None
        )
        story = coverage.authorizations.filter(starts_on__gt=starts).aggregate(
            first=Min("starts_on")
        )["first"]
        if story is not None:
            ends = min(ends, story - timedelta(days=1))
        if ends < starts:
            continue
        codes = authorized_codes(coverage.payer)
        used = (
            live_charges()
            .filter(coverage=coverage, service_date__range=(starts, ends), code__in=codes)
            .aggregate(units=Sum("units"))["units"]
            or 0
        )
        Authorization.objects.create(
            coverage=coverage,
            number=number,
            service_codes=codes,
            units_authorized=max(20, math.ceil(used * SPARE / 10) * 10),
            starts_on=starts,
            ends_on=ends,
            level_of_care="2.1",
            reviewer_name="Utilization management, " + coverage.payer.name,
            reviewer_contact="1-800-555-0142",
            created_by=actor,
        )
        made += 1
        clients.add(episode.client_id)
        first = min(first or starts, starts)
    if clients:
        weeks = range((today - first).days // 7 + 1)
        charges_redraft(
            client_ids=clients,
            dates=[*(first + timedelta(weeks=n) for n in weeks), today],
            actor=actor,
        )
    live = live_charges()
    return (
        f"Billing: {made} episode authorizations for {len(clients)} clients; charges now "
        f"{live.count():,} live, {live.filter(status=Charge.Status.HELD).count():,} held."
    )
