"""The fee schedule: rates with effective dates, never edited; the rate on a
date in one query."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from billing.models import FeeRate
from billing.selectors.fees import rate_on
from billing.services.fees import fee_rate_add
from iop.audit.models import AuditEvent

D = datetime.date
START = D(2026, 1, 1)


def add(actor, payer, *, code="H0015", modifiers=(), amount="210.00", start=START, end=None):
    return fee_rate_add(
        actor=actor,
        payer=payer,
        code=code,
        modifiers=list(modifiers),
        amount=Decimal(amount),
        effective_from=start or None,
        effective_to=end,
    )


def test_a_rate_is_added_and_audited(administrator, medicaid):
    rate = add(administrator, medicaid)

    assert rate.amount == Decimal("210.00") and rate.effective_to is None
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_id=str(rate.pk))
    assert event.details["code"] == "H0015"


def test_a_new_rate_ends_the_open_ended_one_the_day_before(administrator, medicaid):
    old = add(administrator, medicaid, amount="200.00", start=D(2025, 1, 1))

    new = add(administrator, medicaid, amount="215.00", start=D(2026, 7, 1))

    old.refresh_from_db()
    assert old.effective_to == D(2026, 6, 30)
    assert new.effective_to is None
    assert rate_on(medicaid, "H0015", [], D(2026, 6, 30)).amount == Decimal("200.00")
    assert rate_on(medicaid, "H0015", [], D(2026, 7, 1)).amount == Decimal("215.00")


def test_modifiers_are_one_combination_in_any_order(administrator, medicaid):
    add(administrator, medicaid, code="H0005", modifiers=["HQ", "HF"], amount="40.00")
    add(administrator, medicaid, code="H0005", modifiers=[], amount="35.00")

    assert rate_on(medicaid, "H0005", ["HF", "HQ"], D(2026, 3, 1)).amount == Decimal("40.00")
    assert rate_on(medicaid, "H0005", [], D(2026, 3, 1)).amount == Decimal("35.00")
    assert rate_on(medicaid, "H0005", ["HQ"], D(2026, 3, 1)) is None


def test_the_programs_own_rate_is_apart_from_the_payers(administrator, medicaid):
    add(administrator, None, amount="150.00")
    add(administrator, medicaid, amount="210.00")

    assert rate_on(None, "H0015", [], D(2026, 2, 1)).amount == Decimal("150.00")
    assert rate_on(medicaid, "H0015", [], D(2026, 2, 1)).amount == Decimal("210.00")


def test_no_rate_before_the_first_takes_effect(administrator, medicaid):
    add(administrator, medicaid, start=D(2026, 1, 1))

    assert rate_on(medicaid, "H0015", [], D(2025, 12, 31)) is None


def test_rate_on_is_one_query(administrator, medicaid, django_assert_num_queries):
    for year in range(2020, 2026):
        add(administrator, medicaid, start=D(year, 1, 1))

    with django_assert_num_queries(1):
        rate = rate_on(medicaid, "H0015", [], D(2023, 5, 5))

    assert rate.effective_from == D(2023, 1, 1)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": False}, "effective_from"),
        ({"amount": "-1.00"}, "amount"),
        ({"code": "99999"}, "code"),
        ({"modifiers": ["ZZ"]}, "modifiers"),
        ({"end": D(2025, 12, 1)}, "effective_to"),
    ],
)
def test_bad_rates_are_refused_and_nothing_written(administrator, medicaid, changes, field):
    with pytest.raises(ValidationError) as error:
        add(administrator, medicaid, **changes)

    assert field in error.value.message_dict
    assert not FeeRate.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).exists()


def test_a_rate_overlapping_a_closed_rate_is_refused(administrator, medicaid):
    add(administrator, medicaid, start=D(2025, 1, 1), end=D(2025, 12, 31))

    with pytest.raises(ValidationError, match="overlap"):
        add(administrator, medicaid, start=D(2025, 6, 1), end=D(2025, 8, 31))

    assert FeeRate.objects.count() == 1


def test_a_rate_starting_on_or_before_the_open_one_is_refused_and_it_stays_open(
    administrator, medicaid
):
    open_rate = add(administrator, medicaid, start=D(2026, 1, 1))
    later = add(administrator, medicaid, start=D(2027, 1, 1))

    with pytest.raises(ValidationError, match="overlap"):
        add(administrator, medicaid, start=D(2026, 6, 1))

    open_rate.refresh_from_db()
    later.refresh_from_db()
    assert open_rate.effective_to == D(2026, 12, 31)
    assert later.effective_to is None
    assert FeeRate.objects.count() == 2


def test_an_inactive_payer_gets_no_new_rate(administrator, medicaid):
    medicaid.active = False
    medicaid.save()

    with pytest.raises(ValidationError):
        add(administrator, medicaid)
