"""A large, realistic clinic for load tests of the dashboards.

``build(n=5000, seed=2026, using="default")`` writes three years of a
clinic with `n` clients into the database `using`: staff, clients and
episodes (TEDS outcomes and lengths of stay), screenings, treatment plans,
appointments and notes, drug tests, medications, mutual-help meetings,
Matrix groups with sessions and attendance, aftercare, the reminder outbox,
the audit trail (about 200 events per client), and billing: diagnoses,
payers, coverage, authorizations and the last quarter's charges, drafted
from the documented services by the billing engine. Everything scales with
`n` (Scale), ids and foreign keys are made in Python and rows go in with
PostgreSQL COPY (the charges through the engine's own bulk inserts). The
same seed and `now` give the same data.

It writes whatever database it is given: `manage.py seed_load` is the safe
way in, as it only ever targets a separate load database.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import connections, transaction
from django.utils import timezone

from devdata.load import (
    aftercare,
    audit,
    billing,
    clinical,
    groups,
    outbox,
    people,
    screening,
    treatment,
)
from devdata.load.context import Clock, Ctx, Scale
from devdata.load.copy import Loader

__all__ = ["PHASES", "BuildResult", "Scale", "build"]

DEFAULT_CLIENTS = 5000
DEFAULT_SEED = 2026

# In order: each phase reads what the earlier ones left on the context
# (plans before groups and notes, which link objectives; medications before
# drug tests, which expect their positives; billing last, as its engine
# audits through the application onto the sealed chain).
PHASES: tuple[tuple[str, Callable[[Ctx], None]], ...] = (
    ("staff", people.seed_staff),
    ("clients and episodes", people.seed_clients),
    ("screening", screening.seed_screening),
    ("treatment plans", clinical.seed_plans),
    ("appointments and notes", clinical.seed_appointments),
    ("medications", treatment.seed_medications),
    ("drug tests", treatment.seed_drug_tests),
    ("mutual-help meetings", treatment.seed_meetings),
    ("groups and attendance", groups.seed_groups),
    ("aftercare", aftercare.seed_aftercare),
    ("discharge summaries", aftercare.seed_discharge_summaries),
    ("reminders", outbox.seed_reminders),
    ("audit trail", audit.seed_audit),
    ("billing", billing.seed_billing),
)


@dataclass
class BuildResult:
    counts: dict[str, int]  # rows written per model label
    timings: list[tuple[str, float]]  # seconds per phase
    seconds: float


def build(
    n: int = DEFAULT_CLIENTS,
    *,
    seed: int = DEFAULT_SEED,
    using: str = "default",
    now: datetime | None = None,
    audit_events: int | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> BuildResult:
    """Generate a clinic of `n` clients into `using` in one transaction.

    `now` fixes the clock (default: the current time); `audit_events`
    overrides the number of audit events (default 200 per client);
    `progress(name, seconds)` is called after each phase.
    """
    if n < 1:
        raise ValueError("A clinic needs at least one client.")
    started = time.monotonic()
    loader = Loader(using)
    scale = Scale(clients=n) if audit_events is None else Scale(n, audit_events / n)
    ctx = Ctx(scale=scale, seed=seed, clock=Clock(now or timezone.now()), loader=loader)
    timings = []
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        # Foreign keys are checked at the end of each COPY, not all at commit:
        # the queue of deferred checks for millions of rows would be large.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, phase in PHASES:
            phase_started = time.monotonic()
            phase(ctx)
            seconds = time.monotonic() - phase_started
            timings.append((name, seconds))
            if progress is not None:
                progress(name, seconds)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return BuildResult(
        counts=dict(loader.counts), timings=timings, seconds=time.monotonic() - started
    )
