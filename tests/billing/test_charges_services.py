"""Hold, release, void and mark exported: each audited, each refusing bad
input with a message and writing nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from billing.models import Charge
from billing.services.charges import (
    charge_hold,
    charge_release,
    charge_void,
    charges_mark_exported,
)
from iop.audit.models import AuditEvent
from tests.billing.factories import (
    AuthorizationFactory,
    ChargeFactory,
    CoverageFactory,
    EvidenceFactory,
    PayerFactory,
)

pytestmark = pytest.mark.django_db


def _events(client, action):
    return AuditEvent.objects.filter(client=client, action=action)


def test_hold_records_the_reason_and_audits(billing_user):
    charge = ChargeFactory()
    charge_hold(actor=billing_user, charge=charge, detail="Checking the member ID")
    charge.refresh_from_db()
    assert charge.status == Charge.Status.HELD
    assert charge.hold_reason == Charge.HoldReason.MANUAL
    assert charge.hold_detail == "Checking the member ID"
    event = _events(charge.client, AuditEvent.Action.UPDATE).get()
    assert event.details["status"] == "held"


def test_hold_needs_a_reason_and_writes_nothing(billing_user):
    charge = ChargeFactory()
    with pytest.raises(ValidationError):
        charge_hold(actor=billing_user, charge=charge, detail="   ")
    charge.refresh_from_db()
    assert charge.status == Charge.Status.DRAFTED
    assert not _events(charge.client, AuditEvent.Action.UPDATE).exists()


def test_an_exported_charge_cannot_be_held(billing_user):
    charge = ChargeFactory(status=Charge.Status.EXPORTED)
    with pytest.raises(ValidationError, match="cannot be held"):
        charge_hold(actor=billing_user, charge=charge, detail="why")


def test_release_moves_a_held_charge_to_ready(billing_user):
    charge = ChargeFactory(status=Charge.Status.HELD, hold_reason=Charge.HoldReason.MANUAL)
    charge_release(actor=billing_user, charge=charge)
    charge.refresh_from_db()
    assert (charge.status, charge.hold_reason, charge.hold_detail) == ("ready", "", "")
    event = _events(charge.client, AuditEvent.Action.UPDATE).get()
    assert event.details["released_from"] == "manual"


def test_release_is_refused_while_a_service_of_the_day_is_unsigned(billing_user):
    charge = ChargeFactory(status=Charge.Status.HELD, hold_reason=Charge.HoldReason.UNSIGNED)
    EvidenceFactory(charge=charge, signed=False, description="Individual session")
    with pytest.raises(ValidationError, match="not signed"):
        charge_release(actor=billing_user, charge=charge)
    charge.refresh_from_db()
    assert charge.status == Charge.Status.HELD
    assert not _events(charge.client, AuditEvent.Action.UPDATE).exists()


def test_release_rechecks_a_missing_authorization(billing_user):
    payer = PayerFactory(name="Needs auth", requires_authorization=True)
    coverage = CoverageFactory(payer=payer)
    charge = ChargeFactory(
        coverage=coverage,
        status=Charge.Status.HELD,
        hold_reason=Charge.HoldReason.NO_AUTHORIZATION,
    )
    with pytest.raises(ValidationError, match="authorization"):
        charge_release(actor=billing_user, charge=charge)

    authorization = AuthorizationFactory(coverage=coverage, units_authorized=5)
    charge_release(actor=billing_user, charge=charge)
    charge.refresh_from_db()
    assert charge.status == Charge.Status.READY
    assert charge.authorization == authorization


def test_release_refused_when_the_authorization_has_no_units_left(billing_user):
    payer = PayerFactory(name="Needs auth", requires_authorization=True)
    coverage = CoverageFactory(payer=payer)
    authorization = AuthorizationFactory(coverage=coverage, units_authorized=1)
    ChargeFactory(
        coverage=coverage,
        authorization=authorization,
        status=Charge.Status.READY,
        service_date=authorization.starts_on,
    )
    held = ChargeFactory(
        coverage=coverage, status=Charge.Status.HELD, hold_reason="units_exhausted"
    )
    with pytest.raises(ValidationError, match="authorization"):
        charge_release(actor=billing_user, charge=held)


def test_release_refused_without_coverage_on_the_date_of_service(billing_user):
    charge = ChargeFactory(status=Charge.Status.HELD, hold_reason="no_coverage")
    charge.coverage.effective_to = charge.service_date - datetime.timedelta(days=1)
    charge.coverage.effective_from = charge.service_date - datetime.timedelta(days=100)
    charge.coverage.save()
    with pytest.raises(ValidationError, match="coverage"):
        charge_release(actor=billing_user, charge=charge)


def test_release_refused_without_a_rate(billing_user):
    charge = ChargeFactory(
        status=Charge.Status.HELD, hold_reason="no_rate", unit_rate=None, amount=None
    )
    with pytest.raises(ValidationError, match="rate"):
        charge_release(actor=billing_user, charge=charge)


def test_a_ready_charge_is_not_released_again(billing_user):
    charge = ChargeFactory(status=Charge.Status.READY)
    with pytest.raises(ValidationError, match="cannot be released"):
        charge_release(actor=billing_user, charge=charge)


def test_void_adds_a_void_row_and_never_edits_the_amount(billing_user):
    charge = ChargeFactory(status=Charge.Status.READY)
    amount = charge.amount
    void = charge_void(actor=billing_user, charge=charge, reason="Billed under the wrong payer")
    charge.refresh_from_db()
    assert charge.status == Charge.Status.VOIDED
    assert charge.superseded
    assert charge.amount == amount
    assert void.kind == Charge.Kind.VOID
    assert void.replaces == charge
    assert void.amount == amount
    assert void.reason == "Billed under the wrong payer"
    assert void.created_by == billing_user
    event = _events(charge.client, AuditEvent.Action.CREATE).get()
    assert event.details["void"] == str(void.public_id)


def test_void_twice_is_refused(billing_user):
    charge = ChargeFactory()
    void = charge_void(actor=billing_user, charge=charge, reason="Duplicate")
    with pytest.raises(ValidationError, match="replaced"):
        charge_void(actor=billing_user, charge=charge, reason="Again")
    with pytest.raises(ValidationError, match="replaced"):
        charge_void(actor=billing_user, charge=void, reason="Void the void")
    assert Charge.objects.filter(kind=Charge.Kind.VOID).count() == 1


def test_void_needs_a_reason_and_refuses_a_paid_charge(billing_user):
    charge = ChargeFactory()
    with pytest.raises(ValidationError):
        charge_void(actor=billing_user, charge=charge, reason="")
    paid = ChargeFactory(status=Charge.Status.PAID)
    with pytest.raises(ValidationError, match="cannot be voided"):
        charge_void(actor=billing_user, charge=paid, reason="Refund")
    assert not Charge.objects.filter(kind=Charge.Kind.VOID).exists()


def test_mark_exported_marks_only_ready_charges(billing_user):
    ready = ChargeFactory(status=Charge.Status.READY)
    held = ChargeFactory(status=Charge.Status.HELD, hold_reason="manual")
    marked = charges_mark_exported(actor=billing_user, charges=Charge.objects.all())
    assert marked == 1
    ready.refresh_from_db()
    held.refresh_from_db()
    assert ready.status == Charge.Status.EXPORTED
    assert held.status == Charge.Status.HELD
    assert _events(ready.client, AuditEvent.Action.UPDATE).count() == 1
    assert not _events(held.client, AuditEvent.Action.UPDATE).exists()


def test_mark_exported_with_nothing_ready_is_refused(billing_user):
    ChargeFactory(status=Charge.Status.DRAFTED)
    with pytest.raises(ValidationError, match="ready"):
        charges_mark_exported(actor=billing_user, charges=Charge.objects.all())
