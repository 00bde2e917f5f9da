"""seed_demo's list of seeders: the functions of devdata.demo, imported, in
an order where each finds what the ones before it wrote; each draws from
the generator it drew from before the seeders moved into devdata, so the
demo data did not change with the move."""

import random

from devdata.demo import (
    aftercare,
    audit,
    billing,
    billing_charges,
    billing_claims,
    billing_episodes,
    clients,
    cosign,
    dashboard,
    demographics,
    diagnoses,
    family,
    groups,
    interop,
    iop_days,
    outcomes,
    screening,
)
from devdata.management.commands import seed_demo


def test_seed_demo_runs_the_devdata_seeders_in_order_with_summary_and_chain_last():
    seeders = seed_demo.EXTRA_SEEDERS

    assert seeders == (
        screening.seed_screenings,
        groups.seed_groups,
        clients.seed_clinical,
        iop_days.seed_iop_days,
        cosign.seed_cosignatures,
        aftercare.seed_aftercare,
        demographics.seed_demographics,
        family.seed_family,
        diagnoses.seed_diagnoses,
        audit.seed_emergency_access,
        billing.seed_access_payers,
        billing.seed_access_coverage,
        billing_charges.seed_engine_charges,
        billing_charges.seed_authorizations,
        billing_episodes.seed_episode_authorizations,
        billing_claims.seed_claim_cycle,
        outcomes.seed_outcomes,
        interop.seed_interop,
        dashboard.seed_program_summary,
        audit.seed_chain_verification,
    )


def test_a_moved_seeder_draws_as_before_the_move_and_a_new_one_from_its_own_path():
    def seed_new(*, users, rng, today):
        return "new"

    moved = seed_demo.seeder_rng(aftercare.seed_aftercare)
    new = seed_demo.seeder_rng(seed_new)

    assert moved.random() == random.Random("2026:aftercare.demo.seed_aftercare").random()
    assert new.random() == random.Random(f"2026:{__name__}.seed_new").random()
    first_draws = {seed_demo.seeder_rng(seeder).random() for seeder in seed_demo.EXTRA_SEEDERS}
    assert len(first_draws) == len(seed_demo.EXTRA_SEEDERS)
