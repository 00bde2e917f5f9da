"""Files waiting at the clearinghouse (999, 277CA, 835) are fetched by the
periodic task in a real Celery worker, received once, then acknowledged."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import override_settings

from billing.clearinghouse import ChannelError
from billing.models import Charge, ClaimBatch, InboundFile, Posting
from billing.services.channel import channel_responses_receive
from billing.tasks import receive_channel_responses
from devdata.billing_payer import claim_paid, line_paid, payer_835, payer_999
from iop.celery import app
from tests.billing.claim_factories import sent_claim
from tests.billing.fake_clearinghouse import FakeClearinghouse


@pytest.fixture
def channel():
    with (
        FakeClearinghouse() as fake,
        override_settings(CLEARINGHOUSE_URL=fake.url, CLEARINGHOUSE_TOKEN=fake.token),
    ):
        yield fake


def _remittance_for(claim, trace="CH1001"):
    outcome = claim_paid(claim, [line_paid(claim.lines.get(), paid="80")])
    return payer_835(payer=claim.payer, claims=[outcome], trace=trace)


def test_the_task_receives_acknowledgements_and_remittances_in_a_worker(channel, transactional_db):
    claim = sent_claim()
    first = channel.add_response("ack.999", payer_999(batch=claim.batch))
    second = channel.add_response("era.835", _remittance_for(claim))

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        counts = receive_channel_responses.delay().get(timeout=60)

    assert counts == {"received": 2, "duplicates": 0}
    assert sorted(channel.acknowledged) == sorted([first, second])
    assert set(InboundFile.objects.values_list("via", flat=True)) == {InboundFile.Via.CHANNEL}
    claim.batch.refresh_from_db()
    assert claim.batch.status == ClaimBatch.Status.ACCEPTED
    charge = claim.lines.get().charge
    charge.refresh_from_db()
    assert charge.status == Charge.Status.PAID
    assert Posting.objects.get(charge=charge, kind=Posting.Kind.PAYER_PAYMENT).amount == 80


def test_a_file_received_before_is_acknowledged_and_posts_nothing_again(channel, db):
    claim = sent_claim()
    text = _remittance_for(claim)
    channel.add_response("era.835", text)
    channel_responses_receive()
    again = channel.add_response("era-copy.835", text)

    counts = channel_responses_receive()

    assert counts == {"received": 0, "duplicates": 1}
    assert again in channel.acknowledged
    assert Posting.objects.filter(kind=Posting.Kind.PAYER_PAYMENT).count() == 1


def test_nothing_is_fetched_while_the_channel_is_off(db, settings):
    settings.CLEARINGHOUSE_URL = ""

    assert channel_responses_receive() == {"received": 0, "duplicates": 0}


def test_an_unreachable_channel_raises_for_the_task_to_retry(db, settings):
    settings.CLEARINGHOUSE_URL = "http://127.0.0.1:9"  # discard port: nothing listens

    with pytest.raises(ChannelError):
        channel_responses_receive()

    assert ChannelError in receive_channel_responses.autoretry_for


def test_the_beat_schedule_receives_responses_every_half_hour():
    entry = app.conf.beat_schedule["receive-clearinghouse-responses"]

    assert entry["task"] == receive_channel_responses.name
