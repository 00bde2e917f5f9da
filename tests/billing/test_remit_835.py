"""835 remittances from the fixture files: payments, contractual and
patient responsibility adjustments, denials, an unknown claim, PLB, a
reversal; and the bad input refused with nothing posted."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from billing.models import (
    Charge,
    Claim,
    ClaimLine,
    ClaimPayment,
    Denial,
    InboundFile,
    Posting,
    Remittance,
)
from billing.services.remittances import claim_payment_match
from devdata.billing_payer import claim_paid, line_paid, payer_835
from tests.billing.claim_factories import sent_claim
from tests.billing.factories import CoverageFactory, PayerFactory
from tests.billing.remit_helpers import fixture, fixture_claims, receive

pytestmark = pytest.mark.django_db


def _postings(claim):
    return sorted(
        (p.kind, p.group_code, p.reason_code, p.amount)
        for p in Posting.objects.filter(claim_line__claim=claim)
    )


@pytest.fixture
def posted(medicaid):
    claims = fixture_claims(medicaid)
    return claims, receive("835_payments.x12")


def test_a_payment_posts_the_payment_the_contractual_and_the_patients_share(posted, medicaid):
    claims, inbound = posted
    claim = claims["C9000001"]
    claim.refresh_from_db()
    assert _postings(claim) == [
        ("adjustment", "CO", "45", Decimal("50.00")),
        ("patient_resp", "PR", "2", Decimal("50.00")),
        ("payer_payment", "", "", Decimal("150.00")),
    ]
    assert claim.status == Claim.Status.PAID
    assert claim.payer_claim_number == "EVG2026111600001"
    line = claim.lines.get()
    assert line.status == ClaimLine.Status.PAID
    assert line.charge.status == Charge.Status.PAID
    remittance = Remittance.objects.get(inbound_file=inbound)
    assert (remittance.trace_number, remittance.payment_amount) == ("EFT1001", Decimal("305.00"))
    assert remittance.payer == medicaid


def test_deductible_and_copay_post_as_patient_responsibility_and_a_denied_line_is_a_denial(posted):
    claims, _inbound = posted
    claim = claims["C9000002"]
    claim.refresh_from_db()
    paid_line, denied_line = claim.lines.order_by("line_number")
    assert sorted((p.kind, p.reason_code, p.amount) for p in paid_line.postings.all()) == [
        ("adjustment", "45", Decimal("100.00")),
        ("patient_resp", "1", Decimal("30.00")),
        ("patient_resp", "3", Decimal("20.00")),
        ("payer_payment", "", Decimal("100.00")),
    ]
    assert (paid_line.status, denied_line.status) == ("paid", "denied")
    assert claim.status == Claim.Status.PARTIAL
    denial = Denial.objects.get(claim_line=denied_line)
    assert (denial.group_code, denial.reason_code, denial.amount) == ("CO", "197", Decimal("250"))
    assert denial.remark_codes == ["N54"]
    assert denial.next_action == Denial.NextAction.OBTAIN_AUTHORIZATION
    assert (denial.due_on - posted[1].remittances.get().payment_date).days == 30
    assert denied_line.charge.status == Charge.Status.DENIED


def test_a_timely_filing_denial_suggests_an_appeal(posted):
    claims, _inbound = posted
    claim = claims["C9000003"]
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DENIED
    denial = Denial.objects.get(claim=claim)
    assert (denial.reason_code, denial.next_action) == ("29", Denial.NextAction.APPEAL)


def test_a_payment_for_an_unknown_claim_is_held_with_its_lines(posted):
    _claims, inbound = posted
    held = ClaimPayment.objects.get(patient_control_number="C9999999")
    assert held.status == ClaimPayment.Status.UNMATCHED
    assert held.claim is None
    assert "No claim of ours" in held.unmatched_reason
    assert held.detail["lines"][0]["code"] == "H0015"
    assert not held.postings.exists()
    assert inbound.status == InboundFile.Status.NEEDS_ATTENTION
    assert "C9999999" in inbound.message


def test_provider_level_adjustments_are_recorded_not_posted(posted):
    _claims, inbound = posted
    assert "WO OVERPAY1 25.00" in inbound.message


def test_the_same_file_twice_is_refused_and_posts_nothing(posted):
    count = Posting.objects.count()
    with pytest.raises(ValidationError, match="already received"):
        receive("835_payments.x12")
    assert Posting.objects.count() == count
    assert InboundFile.objects.count() == 1


def test_the_same_trace_in_another_file_is_refused_and_posts_nothing(posted):
    count = Posting.objects.count()
    copy = fixture("835_payments.x12").replace("000000701", "000000799")
    inbound = receive("copy.x12", content=copy)
    assert inbound.status == InboundFile.Status.REFUSED
    assert "EFT1001" in inbound.message and "already posted" in inbound.message
    assert Posting.objects.count() == count
    assert not Remittance.objects.filter(inbound_file=inbound).exists()


def test_a_remittance_for_another_provider_is_refused(medicaid):
    fixture_claims(medicaid)
    inbound = receive("835_other_provider.x12")
    assert inbound.status == InboundFile.Status.REFUSED
    assert "another provider (tax ID 987654321" in inbound.message
    assert not Posting.objects.exists()
    assert not ClaimPayment.objects.exists()


def test_an_835_that_does_not_parse_is_refused_with_the_errors(medicaid):
    fixture_claims(medicaid)
    inbound = receive("835_broken.x12")
    assert inbound.status == InboundFile.Status.REFUSED
    assert "CLP03" in inbound.message
    assert not Posting.objects.exists()


def test_text_that_is_not_x12_is_refused():
    inbound = receive("notes.txt", content="Dear billing office, ...")
    assert inbound.status == InboundFile.Status.REFUSED
    assert "not an X12 file" in inbound.message


def test_a_reversal_posts_the_negative_amounts_as_new_rows(posted):
    claims, _inbound = posted
    receive("835_reversal.x12")
    claim = claims["C9000001"]
    claim.refresh_from_db()
    rows = Posting.objects.filter(claim_line__claim=claim)
    assert rows.count() == 6
    assert rows.aggregate(total=Sum("amount"))["total"] == Decimal("0.00")
    line = claim.lines.get()
    assert line.status == ClaimLine.Status.OPEN
    assert line.charge.status == Charge.Status.EXPORTED
    assert claim.status == Claim.Status.ACCEPTED


def test_a_claim_sent_to_another_payer_is_held(medicaid):
    claims = fixture_claims(medicaid)
    other = PayerFactory(name="Another Plan")
    Claim.objects.filter(pk=claims["C9000003"].pk).update(payer=other)
    receive("835_payments.x12")
    held = ClaimPayment.objects.get(patient_control_number="C9000003")
    assert held.status == ClaimPayment.Status.UNMATCHED
    assert "Another Plan" in held.unmatched_reason


def test_a_person_matches_a_held_payment_and_it_posts(posted, medicaid, billing_user):
    import datetime

    target = sent_claim(coverage=CoverageFactory(payer=medicaid),
                        dates=[datetime.date(2026, 11, 5)])  # fmt: skip
    held = ClaimPayment.objects.get(patient_control_number="C9999999")
    claim_payment_match(actor=billing_user, claim_payment=held, claim=target)
    held.refresh_from_db()
    target.refresh_from_db()
    assert held.status == ClaimPayment.Status.POSTED
    assert held.matched_by == billing_user
    assert _postings(target) == [
        ("adjustment", "CO", "45", Decimal("170.00")),
        ("payer_payment", "", "", Decimal("80.00")),
    ]
    assert target.status == Claim.Status.PAID
    with pytest.raises(ValidationError):
        claim_payment_match(actor=billing_user, claim_payment=held, claim=target)


def test_a_held_payment_cannot_be_matched_to_another_payers_claim(posted, billing_user):
    other = sent_claim()
    held = ClaimPayment.objects.get(patient_control_number="C9999999")
    with pytest.raises(ValidationError):
        claim_payment_match(actor=billing_user, claim_payment=held, claim=other)
    held.refresh_from_db()
    assert held.status == ClaimPayment.Status.UNMATCHED


def _remittance_of(count, payer, trace):
    coverage = CoverageFactory(payer=payer)
    outcomes = []
    for _ in range(count):
        claim = sent_claim(coverage=coverage)
        outcomes.append(claim_paid(claim, [line_paid(claim.lines.get(), paid="200")]))
    return payer_835(payer=payer, claims=outcomes, trace=trace)


def test_posting_makes_the_same_number_of_queries_for_10_and_100_claims(medicaid):
    small, large = _remittance_of(10, medicaid, "T10"), _remittance_of(100, medicaid, "T100")
    with CaptureQueriesContext(connection) as ten:
        receive("ten.x12", content=small)
    with CaptureQueriesContext(connection) as hundred:
        receive("hundred.x12", content=large)
    assert Posting.objects.filter(kind="payer_payment").count() == 110
    assert len(hundred.captured_queries) == len(ten.captured_queries)
