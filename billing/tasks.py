from datetime import date

from celery import shared_task

from billing.drafting.service import charges_redraft


@shared_task(soft_time_limit=120, time_limit=180)
def redraft_charges(client_ids: list[int], dates: list[str]) -> dict:
    """Re-evaluate the charges of these clients for the weeks of these dates
    (ISO dates), by hand: signing already drafts in its own transaction.
    Idempotent: run twice (or retried), it writes nothing the second time."""
    return charges_redraft(
        client_ids=client_ids, dates=[date.fromisoformat(day) for day in dates], actor=None
    )
