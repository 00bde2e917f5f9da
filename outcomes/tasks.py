"""Celery tasks: thin wrappers that call the services; each is safe to run
twice (the planner's constraint, the settling's conditional UPDATEs, and
links made only for measures without a live one)."""

from celery import shared_task

from outcomes.services.links import measure_links_send_due
from outcomes.services.plan import due_measures_plan, due_measures_settle


@shared_task(soft_time_limit=120, time_limit=180)
def plan_due_measures() -> int:
    return due_measures_plan()


@shared_task(soft_time_limit=120, time_limit=180)
def settle_due_measures() -> dict:
    return due_measures_settle()


@shared_task(soft_time_limit=120, time_limit=180)
def send_measure_links() -> int:
    """The day's links, queued in the outbox (the dispatcher sends them)."""
    return measure_links_send_due()
