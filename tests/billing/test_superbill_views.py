"""The superbill: its contents, its audit as an export, its re-authentication,
and the NPI check of the provider it prints."""

import datetime
from decimal import Decimal

import pytest
from django.core import checks
from django.urls import reverse
from django.utils import timezone

from billing.models import Charge
from billing.provider import check_billing_provider
from billing.services.charges import charge_void
from iop.accounts.npi import npi_check_digit, npi_is_valid
from iop.audit.models import AuditEvent
from iop.clients.models import Diagnosis
from iop.exports import PART2_NOTICE
from tests.accounts.mfa_helpers import make_reauth_stale
from tests.billing.factories import ChargeFactory, CoverageFactory

pytestmark = pytest.mark.django_db


def _diagnosis(episode, code, description, rank, kind=Diagnosis.Kind.MENTAL_HEALTH, **fields):
    return Diagnosis.objects.create(
        client=episode.client,
        episode=episode,
        kind=kind,
        icd10_code=code,
        description=description,
        date_made=episode.admission_date,
        made_by=episode.primary_counselor or fields.pop("made_by"),
        status=Diagnosis.Status.CONFIRMED,
        rank=rank,
        **fields,
    )


@pytest.fixture
def billed(counselor1):
    """A client with two ready charges this period, one voided charge, one
    held charge, and two diagnoses."""
    coverage = CoverageFactory(member_id="MCO123456", plan_name="Medicaid Managed Care")
    episode = coverage.client.episodes.get()
    episode.primary_counselor = counselor1
    episode.save()
    _diagnosis(
        episode,
        "F10.20",
        "Alcohol dependence, uncomplicated",
        1,
        kind=Diagnosis.Kind.SUD,
        substance_class="alcohol",
        severity="moderate",
    )
    _diagnosis(episode, "F41.1", "Generalized anxiety disorder", 2)
    today = timezone.localdate()
    first = ChargeFactory(
        coverage=coverage,
        status="ready",
        service_date=today - datetime.timedelta(days=2),
        diagnosis_codes=["F10.20", "F41.1"],
    )
    second = ChargeFactory(
        coverage=coverage,
        status="exported",
        service_date=today - datetime.timedelta(days=1),
        code="H0004",
        modifiers=["HF"],
        units=3,
        unit_rate=Decimal("25.00"),
        diagnosis_codes=["F41.1"],
    )
    voided = ChargeFactory(coverage=coverage, status="ready", service_date=today)
    charge_void(actor=counselor1, charge=voided, reason="Duplicate")
    ChargeFactory(coverage=coverage, status="held", hold_reason="unsigned", service_date=today)
    return coverage.client, first, second


def _url(client, **params):
    return reverse("billing:superbill", args=[client.public_id])


def test_the_superbill_shows_provider_client_coverage_diagnoses_lines_and_totals(
    login, administrator, billed, settings
):
    settings.BILLING_PROVIDER_NAME = "Riverside Recovery"
    settings.BILLING_PROVIDER_NPI = "1558598797"
    settings.BILLING_PROVIDER_TAX_ID = "98-7654321"
    client, first, second = billed
    start = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    response = login(administrator).get(_url(client), {"start": start})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Riverside Recovery" in html
    assert "NPI 1558598797" in html
    assert "Tax ID 98-7654321" in html
    assert client.mrn in html
    assert "MCO123456" in html
    bill = response.context["bill"]
    assert bill.diagnoses == [
        ("A", "F10.20", "Alcohol dependence, uncomplicated"),
        ("B", "F41.1", "Generalized anxiety disorder"),
    ]
    assert [line.charge for line in bill.lines] == [first, second]
    assert [line.pointers for line in bill.lines] == ["AB", "B"]
    assert bill.total_units == 4
    assert bill.total_amount == Decimal("325.00")
    assert bill.pending == 1
    assert html.count(PART2_NOTICE) == 2
    assert "325.00" in html


def test_the_superbill_is_audited_as_an_export(login, administrator, billed):
    client, _first, _second = billed
    login(administrator).get(_url(client))
    event = AuditEvent.objects.get(client=client, action=AuditEvent.Action.EXPORT)
    assert event.details["document"] == "superbill"
    assert event.actor == administrator


def test_the_superbill_needs_a_fresh_reauthentication(login, administrator, billed):
    client, _first, _second = billed
    browser = login(administrator)
    make_reauth_stale(browser)
    response = browser.get(_url(client))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauth"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


@pytest.mark.parametrize("role", ["counselor1", "intake", "supervisor"])
def test_clinical_roles_may_not_print_a_superbill(request, login, billed, role):
    client, _first, _second = billed
    response = login(request.getfixturevalue(role)).get(_url(client))
    # The counselor holds the client (403 on role); others do not see them (404).
    assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_bad_dates_are_a_plain_400(login, administrator, billed):
    client, _first, _second = billed
    response = login(administrator).get(_url(client), {"start": "2026-05-09", "end": "2026-05-01"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_a_period_without_services_says_so(login, administrator, billed):
    client, _first, _second = billed
    response = login(administrator).get(_url(client), {"start": "2025-01-01", "end": "2025-01-31"})
    assert b"No billable services in the period." in response.content
    assert response.context["bill"].total_amount == 0
    assert Charge.objects.filter(client=client).count() == 5


def test_npi_check_digit_follows_cms():
    # CMS's worked example: 123456789 with the 80840 prefix has check digit 3.
    assert npi_check_digit("123456789") == 3
    assert npi_is_valid("1234567893")
    assert not npi_is_valid("1234567890")
    assert not npi_is_valid("123456789")
    assert not npi_is_valid("3234567893")
    assert not npi_is_valid("12345678a3")


def test_the_system_check_refuses_a_bad_npi_or_tax_id(settings):
    assert check_billing_provider() == []
    settings.BILLING_PROVIDER_NPI = "1234567890"
    settings.BILLING_PROVIDER_TAX_ID = "123"
    errors = check_billing_provider()
    assert {error.id for error in errors} == {"billing.E002", "billing.E003"}
    assert all(error.level == checks.ERROR for error in errors)


def test_the_superbill_query_count_does_not_grow_with_lines(
    login, administrator, django_assert_num_queries
):
    coverage = CoverageFactory()
    browser = login(administrator)
    url = _url(coverage.client)
    start = timezone.localdate() - datetime.timedelta(days=40)

    def add(first, count):
        for day in range(first, first + count):
            ChargeFactory(
                coverage=coverage,
                status="ready",
                service_date=timezone.localdate() - datetime.timedelta(days=day),
            )

    add(1, 2)
    browser.get(url, {"start": start.isoformat()})
    with django_assert_num_queries(SUPERBILL_QUERIES) as small:
        browser.get(url, {"start": start.isoformat()})
    add(3, 18)
    with django_assert_num_queries(len(small.captured_queries)):
        response = browser.get(url, {"start": start.isoformat()})
    assert len(response.context["bill"].lines) == 20


# Measured, then pinned: the session, the user and their roles, the client
# through the policy, the charges with their payers and clinicians, the
# coverages, the diagnoses, the export and view events, the unread
# notifications and the session save in its savepoint.
SUPERBILL_QUERIES = 13
