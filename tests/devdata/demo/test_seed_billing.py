"""The billing part of manage.py seed_demo (access slice): payers, fee
schedules with a rate history, the program's rates, coverage for every
admitted demo client, most verified; the billing account; safe to run again."""

from django.db.models import Count, Sum
from django.utils import timezone

from billing.models import (
    Charge,
    Claim,
    ClaimBatch,
    ClaimPayment,
    Coverage,
    CoverageVerification,
    Denial,
    FeeRate,
    InboundFile,
    Payer,
    Posting,
)
from billing.selectors.authorizations import live_charges
from billing.selectors.coverage import coverages_unverified
from billing.selectors.fees import rate_on
from billing.x12.validate import pyx12_findings
from iop.accounts import roles
from iop.accounts.models import User
from iop.audit.policy import clients_visible_to
from iop.clients.models import Client
from tests.devdata.demo.seeding import seed

_seed = seed


def _counts():
    models = (Payer, FeeRate, Coverage, CoverageVerification)
    return {model.__name__: model.objects.count() for model in models}


def test_seeded_billing_data_is_realistic_and_idempotent(seeded):
    output = seeded
    today = timezone.localdate()

    assert "Billing:" in output
    kinds = set(Payer.objects.values_list("kind", flat=True))
    assert {"medicaid", "commercial", "self_pay", "grant"} <= kinds
    medicaid = Payer.objects.get(name="Evergreen Health Plan (Medicaid)")
    per_diem = rate_on(medicaid, "H0015", [], today)
    assert 180 <= per_diem.amount <= 250
    # Last year's per diem ended the day before this year's began.
    assert FeeRate.objects.filter(payer=medicaid, code="H0015").count() == 2
    assert rate_on(None, "H0015", [], today) is not None
    assert rate_on(medicaid, "H0005", [], today) is not None
    # Every code the demo's services are billed by has a rate.
    assert live_charges().exists()
    assert not live_charges().filter(hold_reason=Charge.HoldReason.NO_RATE).exists()

    admitted = Client.objects.filter(
        email__endswith="@example.org", episodes__admission_date__isnull=False
    ).distinct()
    covered = admitted.filter(coverages__isnull=False).distinct()
    assert covered.count() == admitted.count()
    by_kind = {
        kind: Coverage.objects.filter(order=1, payer__kind=kind).count()
        for kind in ("medicaid", "commercial", "managed_care", "self_pay", "grant")
    }
    assert by_kind["medicaid"] > by_kind["commercial"] + by_kind["managed_care"] > 0
    assert Coverage.objects.filter(order=2).exists()
    assert CoverageVerification.objects.count() >= Coverage.objects.count() // 2
    assert coverages_unverified(Client.objects.all(), today)

    first = _counts()
    _seed()
    assert _counts() == first


def test_the_demo_bills_iop_days_holds_few_charges_and_has_been_through_a_claim_cycle(seeded):
    live = live_charges()

    # Full program days (3 hours, 3 days a week) bill the per diem...
    per_diem = live.filter(code="H0015").annotate(minutes=Sum("evidence__minutes"))
    assert per_diem.values("client").distinct().count() >= 3
    assert per_diem.values("service_date__week").distinct().count() >= 2
    assert all(charge.minutes >= 180 for charge in per_diem)
    assert per_diem.exclude(status=Charge.Status.HELD).count() >= per_diem.count() * 3 // 4
    # ... while the other days bill component codes.
    assert live.filter(code__in=["H0005", "90853"]).count() > per_diem.count()
    # Holds are the exception, for several plausible reasons.
    held = live.filter(status=Charge.Status.HELD)
    assert held.count() < live.count() / 4
    reasons = dict(held.values_list("hold_reason").annotate(n=Count("id")).order_by())
    assert len(reasons) >= 3
    assert max(reasons.values()) < held.count() * 3 // 4
    assert Charge.HoldReason.CREDENTIAL not in reasons
    # The Medicaid plan wants the degree level: its charges carry it.
    medicaid_lines = live.filter(payer__credential_modifier=True)
    assert medicaid_lines.exists()
    for modifiers in medicaid_lines.values_list("modifiers", flat=True):
        assert {"HO", "HN", "HM", "HP"} & set(modifiers)
    # Seeded once with the rest (seed_demo takes minutes): the claim cycle.
    _assert_the_claim_cycle()


def _assert_the_claim_cycle():
    """A batch sent and acknowledged, valid under pyx12 as the demo's file
    stands; payments posted, a timely filing and an authorization denial,
    a payment held for a person, a rejected claim, a second batch ready."""
    sent, ready = ClaimBatch.objects.order_by("control_number")
    assert pyx12_findings(sent.content) == [] and pyx12_findings(ready.content) == []
    assert (sent.status, ready.status) == (ClaimBatch.Status.ACCEPTED, ClaimBatch.Status.VALID)
    statuses = set(Claim.objects.values_list("status", flat=True))
    assert {Claim.Status.PAID, Claim.Status.DENIED, Claim.Status.REJECTED} <= statuses
    assert {Claim.Status.ACCEPTED, Claim.Status.BATCHED} <= statuses
    assert Posting.objects.filter(kind=Posting.Kind.PAYER_PAYMENT).count() > 100
    assert Posting.objects.filter(kind=Posting.Kind.PATIENT_RESPONSIBILITY).exists()
    assert Posting.objects.filter(kind=Posting.Kind.PATIENT_PAYMENT).exists()
    assert set(Denial.objects.values_list("reason_code", flat=True)) == {"29", "197"}
    assert ClaimPayment.objects.filter(status=ClaimPayment.Status.UNMATCHED).count() == 1
    rejected = Claim.objects.get(status=Claim.Status.REJECTED)
    assert rejected.status_reason
    assert not InboundFile.objects.filter(status=InboundFile.Status.REFUSED).exists()
    assert Charge.objects.filter(hold_reason=Charge.HoldReason.REJECTED).exists()


def test_the_demo_billing_account_sees_every_client_but_not_the_chart(seeded):
    billing = User.objects.get(username="billing")

    assert billing.role_names == {roles.BILLING}
    assert clients_visible_to(billing).count() == Client.objects.count()
    assert not billing.has_role(*roles.RECORD_ROLES)
