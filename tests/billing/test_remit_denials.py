"""The next action suggested for a denial's reason, its due date, and
resolving it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from billing.models import Denial, Posting
from billing.services.denials import denial_due_on, denial_resolve, is_denial, next_action_for
from tests.billing.remit_helpers import fixture_claims, receive

NextAction = Denial.NextAction


@pytest.mark.parametrize(
    ("reason", "action"),
    [
        ("197", NextAction.OBTAIN_AUTHORIZATION),
        ("15", NextAction.OBTAIN_AUTHORIZATION),
        ("62", NextAction.OBTAIN_AUTHORIZATION),
        ("29", NextAction.APPEAL),
        ("16", NextAction.CORRECT_RESUBMIT),
        ("27", NextAction.VERIFY_COVERAGE),
        ("26", NextAction.VERIFY_COVERAGE),
        ("31", NextAction.VERIFY_COVERAGE),
        ("96", NextAction.BILL_CLIENT),
        ("204", NextAction.BILL_CLIENT),
        ("18", NextAction.WRITE_OFF),
        ("50", NextAction.APPEAL),
    ],
)
def test_the_next_action_follows_the_reason(reason, action):
    assert next_action_for(reason) == action


def test_contractual_and_patient_adjustments_are_not_denials():
    assert not is_denial("CO", "45")
    assert not is_denial("PR", "1")
    assert is_denial("CO", "197")
    assert is_denial("OA", "18")


def test_a_denial_is_due_after_the_work_days_setting(settings):
    settings.DENIAL_WORK_DAYS = 14
    assert denial_due_on(datetime.date(2026, 11, 20)) == datetime.date(2026, 12, 4)


@pytest.mark.django_db
def test_a_write_off_closes_the_denial_without_a_second_adjustment(medicaid, billing_user):
    fixture_claims(medicaid)
    receive("835_payments.x12")
    denial = Denial.objects.get(reason_code="29")
    count = Posting.objects.count()
    with pytest.raises(ValidationError):
        denial_resolve(actor=billing_user, denial=denial, resolution=" ", action_taken="write_off")
    with pytest.raises(ValidationError):
        denial_resolve(actor=billing_user, denial=denial, resolution="x", action_taken="nonsense")
    denial_resolve(
        actor=billing_user, denial=denial, resolution="Filed late.", action_taken="write_off"
    )
    denial.refresh_from_db()
    assert denial.status == Denial.Status.RESOLVED
    assert denial.resolution == "Write off: Filed late."
    assert Posting.objects.count() == count
    with pytest.raises(ValidationError, match="resolved already"):
        denial_resolve(actor=billing_user, denial=denial, resolution="x", action_taken="appeal")
