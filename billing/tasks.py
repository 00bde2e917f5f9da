from datetime import date

from celery import shared_task

from billing.clearinghouse import ChannelError
from billing.drafting.service import charges_redraft
from billing.services.channel import channel_responses_receive


@shared_task(soft_time_limit=120, time_limit=180)
def redraft_charges(client_ids: list[int], dates: list[str]) -> dict:
    """Re-evaluate the charges of these clients for the weeks of these dates
    (ISO dates), by hand: signing already drafts in its own transaction.
    Idempotent: run twice (or retried), it writes nothing the second time."""
    return charges_redraft(
        client_ids=client_ids, dates=[date.fromisoformat(day) for day in dates], actor=None
    )


@shared_task(
    autoretry_for=(ChannelError,),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=600,
    time_limit=660,
)
def receive_channel_responses() -> dict:
    """Fetch and receive the clearinghouse's waiting 999, 277CA and 835
    files. Idempotent: a file already received is acknowledged, not posted
    again; an unreachable channel is retried with backoff."""
    return channel_responses_receive()
