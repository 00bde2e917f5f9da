"""Demo data for the dashboards: the program summary built from the seeded
records, so the quick start's program dashboard shows its "as of" time at once
instead of after the first periodic rebuild."""

from iop.dashboard.summary import summary_refresh


def seed_program_summary(*, users, rng, today) -> str:
    refresh = summary_refresh()
    return f"Program summary rebuilt in {refresh.seconds:.2f} s."
