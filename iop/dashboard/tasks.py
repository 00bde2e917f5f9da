"""Celery tasks of the dashboards: thin wrappers around the services."""

from celery import shared_task

from iop.dashboard.summary import summary_refresh


@shared_task(soft_time_limit=120, time_limit=180)
def refresh_program_summary() -> str:
    """Rebuild the program dashboard's summary; safe to run twice or at once
    (rebuilds are serialised and each replaces the whole summary)."""
    return summary_refresh().refreshed_at.isoformat()
