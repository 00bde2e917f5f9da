"""Demo billing data, run by `manage.py seed_demo` (its EXTRA_SEEDERS).

seed_engine_charges: the demo's documented history is signed through the
services (groups and session notes) before the demo has payers, coverages
and diagnoses, and the group seeder then dates each signature back to when
it was made; so the charges drafted at signing are re-evaluated here, once
everything they rest on exists: every week of every admitted episode, in
one re-evaluation (billing.drafting.service.charges_redraft). Idempotent:
a second run finds every day already as its services call for and writes
nothing.
"""

import random
from datetime import date, timedelta

from billing.drafting.service import charges_redraft
from billing.selectors.authorizations import live_charges
from iop.clients.models import Episode


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
    held = live_charges().filter(hold_reason__gt="").count()
    return (
        f"Charges: {live_charges().count():,} live ({held:,} held), "
        f"{result['written']:,} written now"
    )
