"""Building claims from ready charges, and what happens to a batch and its
claims afterwards."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from billing.models import Charge, Claim, ClaimBatch, Payer
from billing.services.claims import (
    batch_build,
    batch_discard,
    batch_mark_sent,
    batch_send,
    claim_replace,
    claim_void,
)
from iop.audit.models import AuditEvent
from tests.billing.claims_data import DAY, clinician, covered_client, payer, ready
from tests.billing.fake_clearinghouse import FakeClearinghouse

pytestmark = pytest.mark.django_db


@pytest.fixture
def lee(db):
    return clinician()


def test_one_claim_per_day_when_the_payer_says_so(administrator, lee):
    _client, coverage = covered_client()
    ready(coverage, rendering=lee, day=DAY)
    ready(coverage, rendering=lee, day=DAY + datetime.timedelta(days=1))
    result = batch_build(actor=administrator)
    assert result.claims == 2
    assert result.batch.status == ClaimBatch.Status.VALID


def test_one_claim_per_month_when_the_payer_says_so(administrator, lee):
    _client, coverage = covered_client(payer_row=payer(claim_span="month"))
    ready(coverage, rendering=lee, day=DAY)
    ready(coverage, rendering=lee, day=DAY + datetime.timedelta(days=1))
    ready(coverage, rendering=lee, day=DAY + datetime.timedelta(days=31))
    result = batch_build(actor=administrator)
    assert result.claims == 2
    first = result.batch.claims.order_by("service_from").first()
    assert first.lines.count() == 2
    assert (first.service_from, first.service_to) == (DAY, DAY + datetime.timedelta(days=1))


def test_a_claim_takes_at_most_fifty_lines(administrator, lee):
    _client, coverage = covered_client(payer_row=payer(claim_span="month"))
    for n in range(51):
        ready(
            coverage, rendering=lee, day=DAY, code="H0004", units=1, amount="30.00", reason=str(n)
        )
    result = batch_build(actor=administrator)
    assert sorted(c.lines.count() for c in result.batch.claims.all()) == [1, 50]
    assert result.batch.status == ClaimBatch.Status.VALID, result.batch.errors


def test_a_payer_that_bills_clients_gets_no_claim(administrator, lee):
    _client, coverage = covered_client(payer_row=payer(name="Self pay", kind=Payer.Kind.SELF_PAY))
    charge = ready(coverage, rendering=lee)
    result = batch_build(actor=administrator)
    assert result.batch is None
    charge.refresh_from_db()
    assert charge.status == Charge.Status.READY


def test_a_clinician_without_an_npi_holds_the_charge(administrator):
    _client, coverage = covered_client()
    charge = ready(coverage, rendering=clinician(username="nonpi", npi=""))
    result = batch_build(actor=administrator)
    assert (result.batch, result.held) == (None, 1)
    charge.refresh_from_db()
    assert (charge.status, charge.hold_reason) == (Charge.Status.HELD, Charge.HoldReason.NO_NPI)


def test_a_charge_without_a_diagnosis_is_held(administrator, lee):
    _client, coverage = covered_client()
    charge = ready(coverage, rendering=lee, diagnosis=())
    assert batch_build(actor=administrator).held == 1
    charge.refresh_from_db()
    assert charge.hold_reason == Charge.HoldReason.NO_DIAGNOSIS


def test_building_batches_the_charges_and_audits_each_client(administrator, lee):
    client, coverage = covered_client()
    charge = ready(coverage, rendering=lee)
    batch = batch_build(actor=administrator).batch
    charge.refresh_from_db()
    assert charge.status == Charge.Status.BATCHED
    assert len(batch.content_sha256) == 64
    assert AuditEvent.objects.filter(client=client, action=AuditEvent.Action.CREATE).exists()
    assert batch_build(actor=administrator).batch is None


def test_a_charge_another_build_holds_is_skipped(administrator, lee):
    _client, coverage = covered_client()
    ready(coverage, rendering=lee)
    first = batch_build(actor=administrator).batch
    second = batch_build(actor=administrator)
    assert second.batch is None
    assert first.claims.count() == 1


def test_an_outsider_builds_nothing_of_clients_they_may_not_see(counselor2, lee):
    _client, coverage = covered_client()
    ready(coverage, rendering=lee)
    assert batch_build(actor=counselor2).batch is None


def test_discarding_returns_the_charges(administrator, lee):
    _client, coverage = covered_client()
    charge = ready(coverage, rendering=lee)
    batch = batch_discard(actor=administrator, batch=batch_build(actor=administrator).batch)
    charge.refresh_from_db()
    assert charge.status == Charge.Status.READY
    assert batch.status == ClaimBatch.Status.DISCARDED
    assert set(batch.claims.values_list("status", flat=True)) == {Claim.Status.WITHDRAWN}


def test_a_sent_batch_is_locked(administrator, lee):
    _client, coverage = covered_client()
    charge = ready(coverage, rendering=lee)
    batch = batch_mark_sent(actor=administrator, batch=batch_build(actor=administrator).batch)
    charge.refresh_from_db()
    assert charge.status == Charge.Status.EXPORTED
    assert batch.claims.get().status == Claim.Status.SENT
    with pytest.raises(ValidationError):
        batch_discard(actor=administrator, batch=batch)
    with pytest.raises(ValidationError):
        batch_mark_sent(actor=administrator, batch=batch)


def test_a_batch_with_errors_cannot_be_sent(administrator, lee):
    _client, coverage = covered_client(address=False)
    ready(coverage, rendering=lee)
    batch = batch_build(actor=administrator).batch
    with pytest.raises(ValidationError, match="errors"):
        batch_mark_sent(actor=administrator, batch=batch)


def _sent(administrator, lee):
    _client, coverage = covered_client()
    charge = ready(coverage, rendering=lee)
    batch = batch_mark_sent(actor=administrator, batch=batch_build(actor=administrator).batch)
    return batch.claims.get(), charge


def test_a_replacement_needs_the_payer_claim_number(administrator, lee):
    claim, _charge = _sent(administrator, lee)
    with pytest.raises(ValidationError, match="claim number"):
        claim_replace(actor=administrator, claim=claim)


def test_a_replacement_takes_the_corrected_charge(administrator, lee):
    claim, charge = _sent(administrator, lee)
    Claim.objects.filter(pk=claim.pk).update(payer_claim_number="P1")
    corrected = ready(
        charge.coverage, rendering=lee, amount="200.00", kind="correction", replaces=charge
    )
    Charge.objects.filter(pk=charge.pk).update(superseded=True)
    new = claim_replace(actor=administrator, claim=claim)
    assert new.frequency == Claim.Frequency.REPLACEMENT
    assert new.lines.get().charge == corrected
    assert "REF*F8*P1~" in new.batch.content
    with pytest.raises(ValidationError, match="already waiting"):
        claim_void(actor=administrator, claim=claim)
    batch_mark_sent(actor=administrator, batch=new.batch)
    claim.refresh_from_db()
    corrected.refresh_from_db()
    assert claim.status == Claim.Status.REPLACED
    assert corrected.status == Charge.Status.EXPORTED


def test_a_void_voids_the_original_once_sent(administrator, lee):
    claim, _charge = _sent(administrator, lee)
    Claim.objects.filter(pk=claim.pk).update(payer_claim_number="P1")
    new = claim_void(actor=administrator, claim=claim)
    assert ":B:8*" in new.batch.content
    batch_mark_sent(actor=administrator, batch=new.batch)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VOIDED
    with pytest.raises(ValidationError):
        claim_void(actor=administrator, claim=claim)


def test_a_batch_is_sent_through_the_clearinghouse(administrator, lee):
    _client, coverage = covered_client()
    ready(coverage, rendering=lee)
    batch = batch_build(actor=administrator).batch
    with (
        FakeClearinghouse() as fake,
        override_settings(CLEARINGHOUSE_URL=fake.url, CLEARINGHOUSE_TOKEN=fake.token),
    ):
        batch = batch_send(actor=administrator, batch=batch)
        fake.add_response("999.txt", "ISA*...~")
        from billing import clearinghouse

        ((ident, name, text),) = clearinghouse.fetch_responses()
        clearinghouse.acknowledge(ident)
    assert fake.received[0]["body"] == batch.content
    assert fake.received[0]["content_type"] == "application/edi-x12"
    assert (batch.status, batch.channel_reference) == (ClaimBatch.Status.SENT, "upload-1")
    assert (name, text, fake.acknowledged) == ("999.txt", "ISA*...~", [ident])


def test_a_failed_send_leaves_the_batch_valid(administrator, lee):
    _client, coverage = covered_client()
    ready(coverage, rendering=lee)
    batch = batch_build(actor=administrator).batch
    with (
        FakeClearinghouse() as fake,
        override_settings(CLEARINGHOUSE_URL=fake.url, CLEARINGHOUSE_TOKEN=fake.token),
    ):
        fake.fail_with = 503
        with pytest.raises(ValidationError, match="did not take the file"):
            batch_send(actor=administrator, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ClaimBatch.Status.VALID


def test_sending_is_refused_without_a_channel(administrator, lee, settings):
    settings.CLEARINGHOUSE_URL = ""
    _client, coverage = covered_client()
    ready(coverage, rendering=lee)
    with pytest.raises(ValidationError, match="No clearinghouse"):
        batch_send(actor=administrator, batch=batch_build(actor=administrator).batch)


@pytest.mark.django_db(transaction=True)
def test_two_builds_at_once_never_claim_one_charge(administrator, lee):
    import threading

    from django.db import connection

    for _ in range(5):
        _client, coverage = covered_client()
        ready(coverage, rendering=lee)
    barrier = threading.Barrier(2)
    results = []

    def build():
        try:
            barrier.wait()
            results.append(batch_build(actor=administrator))
        finally:
            connection.close()

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = [
        line.charge_id
        for result in results
        if result.batch
        for claim in result.batch.claims.all()
        for line in claim.lines.all()
    ]
    assert sorted(claimed) == sorted(set(claimed))
    assert len(claimed) == 5
    assert set(Charge.objects.values_list("status", flat=True)) == {Charge.Status.BATCHED}
