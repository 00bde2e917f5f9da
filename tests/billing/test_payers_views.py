"""Payers and the fee schedule through their pages: administrators keep
them, billing staff read them, changes audited, lists at a fixed query cost."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import FeeRate, Payer
from billing.services.fees import fee_rate_add
from iop.audit.models import AuditEvent
from tests.billing.conftest import coverage_of
from tests.factories import EpisodeFactory

PAYER_FORM = {
    "name": "Summit Mutual PPO",
    "kind": "commercial",
    "electronic_payer_id": "SMT77",
    "address_line1": "PO Box 4410",
    "city": "Harrisburg",
    "state": "pa",
    "postal_code": "17111",
    "claim_filing_indicator": "12",
    "accepted_codes": ["H0015", "H0005", "H0004"],
    "pays_per_diem": "on",
    "per_diem_minutes": "180",
    "per_diem_days_per_week": "3",
    "group_code": "H0005",
    "individual_code_basis": "H0004",
    "claim_span": "month",
    "timely_filing_days": "120",
    "requires_authorization": "on",
    "active": "on",
}


def test_an_administrator_adds_a_payer_and_it_is_audited(login, administrator):
    response = login(administrator).post(reverse("billing:payer-create"), PAYER_FORM)

    assert response.status_code == 302
    payer = Payer.objects.get()
    assert payer.state == "PA" and payer.accepted_codes == ["H0015", "H0005", "H0004"]
    assert payer.requires_authorization and payer.claim_filing_indicator == "12"
    assert (payer.claim_span, payer.timely_filing_days) == ("month", 120)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_id=str(payer.public_id))
    assert event.client is None and "name" in event.details["fields"]


def test_an_edit_audits_the_fields_that_changed(login, administrator, commercial):
    response = login(administrator).post(
        reverse("billing:payer-edit", args=[commercial.public_id]),
        {**PAYER_FORM, "electronic_payer_id": "SMT99"},
    )

    assert response.status_code == 302
    commercial.refresh_from_db()
    assert commercial.electronic_payer_id == "SMT99"
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert "electronic_payer_id" in event.details["fields"]
    assert "SMT99" not in str(event.details)


def test_a_duplicate_name_is_a_form_error_and_nothing_written(login, administrator, commercial):
    response = login(administrator).post(
        reverse("billing:payer-create"), {**PAYER_FORM, "name": "summit mutual ppo"}
    )

    assert response.status_code == 400
    assert Payer.objects.count() == 1


def test_a_filing_indicator_outside_the_837p_list_is_refused(login, administrator):
    response = login(administrator).post(
        reverse("billing:payer-create"), {**PAYER_FORM, "claim_filing_indicator": "XX"}
    )

    assert response.status_code == 400
    assert not Payer.objects.exists()


def test_billing_reads_payers_but_may_not_change_them(login, billing_user, commercial):
    browser = login(billing_user)

    listing = browser.get(reverse("billing:payer-list"))

    assert listing.status_code == 200 and "Summit Mutual PPO" in listing.content.decode()
    assert (
        reverse("billing:payer-edit", args=[commercial.public_id]) not in listing.content.decode()
    )
    assert browser.get(reverse("billing:payer-create")).status_code == 403
    assert browser.post(reverse("billing:payer-create"), PAYER_FORM).status_code == 403
    assert (
        browser.get(reverse("billing:payer-edit", args=[commercial.public_id])).status_code == 403
    )
    assert browser.post(reverse("billing:fee-add"), {}).status_code == 403


def _queries(browser, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_the_payer_list_makes_the_same_queries_whatever_the_number_of_payers(
    login, billing_user, administrator
):
    browser = login(billing_user)
    url = reverse("billing:payer-list")
    Payer.objects.create(name="Plan 0", kind=Payer.Kind.COMMERCIAL)
    few = _queries(browser, url)
    for index in range(1, 11):
        payer = Payer.objects.create(name=f"Plan {index}", kind=Payer.Kind.MEDICAID)
        fee_rate_add(
            actor=administrator,
            payer=payer,
            code="H0015",
            modifiers=[],
            amount=Decimal("200"),
            effective_from=datetime.date(2026, 1, 1),
        )
        coverage_of(EpisodeFactory().client, payer, actor=administrator)

    assert _queries(browser, url) == few


def test_the_fee_schedule_makes_the_same_queries_whatever_the_number_of_rates(
    login, billing_user, administrator, medicaid
):
    browser = login(billing_user)
    url = reverse("billing:fee-list") + f"?payer={medicaid.pk}"
    fee_rate_add(
        actor=administrator,
        payer=medicaid,
        code="H0015",
        modifiers=[],
        amount=Decimal("200"),
        effective_from=datetime.date(2020, 1, 1),
    )
    few = _queries(browser, url)
    for year in range(2021, 2031):
        fee_rate_add(
            actor=administrator,
            payer=medicaid,
            code="H0015",
            modifiers=[],
            amount=Decimal(200 + year - 2020),
            effective_from=datetime.date(year, 1, 1),
        )

    assert _queries(browser, url) == few
    assert FeeRate.objects.filter(effective_to__isnull=True).count() == 1


def test_an_administrator_adds_a_rate_through_the_page(login, administrator, medicaid):
    response = login(administrator).post(
        reverse("billing:fee-add"),
        {
            "payer": medicaid.pk,
            "code": "H0005",
            "modifiers": ["HQ", "HF"],
            "amount": "38.50",
            "effective_from": "2026-01-01",
        },
    )

    assert response.status_code == 302
    rate = FeeRate.objects.get()
    assert rate.modifiers == ["HF", "HQ"] and rate.amount == Decimal("38.50")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"effective_from": ""}, "This field is required"),
        ({"amount": "-5"}, "cannot be negative"),
    ],
)
def test_a_bad_rate_is_a_form_error_and_nothing_written(
    login, administrator, medicaid, changes, message
):
    data = {"payer": medicaid.pk, "code": "H0015", "amount": "200", "effective_from": "2026-01-01"}

    response = login(administrator).post(reverse("billing:fee-add"), {**data, **changes})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FeeRate.objects.exists()


def test_an_overlapping_rate_is_a_form_error(login, administrator, medicaid):
    fee_rate_add(
        actor=administrator,
        payer=medicaid,
        code="H0015",
        modifiers=[],
        amount=Decimal("200"),
        effective_from=datetime.date(2026, 1, 1),
        effective_to=datetime.date(2026, 12, 31),
    )

    response = login(administrator).post(
        reverse("billing:fee-add"),
        {"payer": medicaid.pk, "code": "H0015", "amount": "210", "effective_from": "2026-06-01"},
    )

    assert response.status_code == 400
    assert "overlap" in response.content.decode()
    assert FeeRate.objects.count() == 1
