"""The billing dashboard: its figures, their drill-down links into the
worklist, an empty clinic, who may open it, and its query count."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.services.charges import charge_void
from iop.audit.models import AuditEvent
from tests.billing.factories import (
    AuthorizationFactory,
    ChargeFactory,
    CoverageFactory,
    PayerFactory,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("billing:dashboard")
WORKLIST = reverse("billing:charges")


def _day(days_ago: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days_ago)


def test_an_empty_clinic_reads_sensibly(login, administrator):
    response = login(administrator).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Every documented day is billed." in html
    assert "Nothing held." in html
    assert "Nothing billed in the period." in html
    assert "No authorization at risk." in html


@pytest.mark.parametrize("role", ["intake", "counselor1", "supervisor"])
def test_clinical_roles_may_not_open_it(request, login, role):
    assert login(request.getfixturevalue(role)).get(DASHBOARD).status_code == 403


def test_the_billing_role_opens_it(login, billing_user):
    assert login(billing_user).get(DASHBOARD).status_code == 200


def test_billed_per_day_and_per_payer(login, administrator, counselor1):
    medicaid = CoverageFactory(payer=PayerFactory(name="State Medicaid MCO"))
    commercial = CoverageFactory(payer=PayerFactory(name="Acme Health", kind="commercial"))
    ChargeFactory(coverage=medicaid, status="ready", service_date=_day(1))
    ChargeFactory(coverage=medicaid, status="exported", service_date=_day(1), code="H0005")
    ChargeFactory(coverage=commercial, status="paid", service_date=_day(3), unit_rate=100)
    ChargeFactory(
        coverage=commercial, status="held", hold_reason="manual", service_date=_day(3), code="H0005"
    )
    ChargeFactory(coverage=medicaid, status="ready", service_date=_day(40))
    voided = ChargeFactory(coverage=medicaid, status="ready", service_date=_day(1), code="H0001")
    charge_void(actor=counselor1, charge=voided, reason="Duplicate")
    browser = login(administrator)
    context = browser.get(DASHBOARD).context

    per_day = {figure.label: (figure.count, figure.amount) for figure in context["per_day"]}
    assert per_day == {
        _day(1).isoformat(): (2, Decimal("500.00")),
        _day(3).isoformat(): (1, Decimal("100.00")),
    }
    per_payer = {figure.label: (figure.count, figure.amount) for figure in context["per_payer"]}
    assert per_payer == {
        "State Medicaid MCO": (2, Decimal("500.00")),
        "Acme Health": (1, Decimal("100.00")),
    }
    # Each figure drills into the worklist, which lists exactly those charges.
    for figure in (*context["per_day"], *context["per_payer"]):
        listed = browser.get(f"{WORKLIST}?{figure.query}").context["page"].paginator.count
        assert listed == figure.count, figure


def test_held_by_reason_and_days_not_billed(login, administrator):
    coverage = CoverageFactory()
    ChargeFactory(coverage=coverage, status="held", hold_reason="unsigned", service_date=_day(2))
    ChargeFactory(
        coverage=coverage,
        status="held",
        hold_reason="unsigned",
        service_date=_day(2),
        code="H0004",
        units=2,
    )
    ChargeFactory(status="held", hold_reason="no_authorization", service_date=_day(5))
    ChargeFactory(status="drafted", service_date=_day(1))
    ChargeFactory(status="ready", service_date=_day(1))
    browser = login(administrator)
    response = browser.get(DASHBOARD)
    context = response.context
    held = {figure.label: figure.count for figure in context["held"]}
    assert held == {
        "A service of the day is not signed": 2,
        "Outside an active authorization": 1,
    }
    assert context["unbilled"]["days"] == 3
    assert context["unbilled"]["charges"] == 4
    assert context["unbilled"]["oldest"] == _day(5)
    for figure in context["held"]:
        assert f"{WORKLIST}?{figure.query}" in response.content.decode().replace("&amp;", "&")
        listed = browser.get(f"{WORKLIST}?{figure.query}").context["page"].paginator.count
        assert listed == figure.count
    unbilled = browser.get(f"{WORKLIST}?{context['unbilled']['query']}")
    assert unbilled.context["page"].paginator.count == 4


def test_authorizations_at_risk_at_their_thresholds(login, administrator):
    today = timezone.localdate()
    at_80 = AuthorizationFactory(units_authorized=10, number="AT80")
    for day in range(8):
        ChargeFactory(
            coverage=at_80.coverage, authorization=at_80, status="ready", service_date=_day(day)
        )
    at_70 = AuthorizationFactory(units_authorized=10, number="AT70")
    for day in range(7):
        ChargeFactory(
            coverage=at_70.coverage, authorization=at_70, status="ready", service_date=_day(day)
        )
    ending = AuthorizationFactory(number="END7", ends_on=today + datetime.timedelta(days=7))
    AuthorizationFactory(number="END8", ends_on=today + datetime.timedelta(days=8))
    AuthorizationFactory(
        number="OVER",
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today - datetime.timedelta(days=1),
    )
    response = login(administrator).get(DASHBOARD)
    at_risk = response.context["at_risk"]
    # Soonest end first.
    assert [a.number for a in at_risk] == ["END7", "AT80"]
    assert {a.pk for a in at_risk} == {at_80.pk, ending.pk}
    assert next(a for a in at_risk if a.pk == at_80.pk).units_used == 8
    # The clients named are audited as seen on the dashboard.
    seen = AuditEvent.objects.filter(details__list="billing_dashboard")
    assert {event.client_id for event in seen} == {
        at_80.coverage.client_id,
        ending.coverage.client_id,
    }
    assert f"{WORKLIST}?client={at_80.coverage.client.mrn}" in response.content.decode()


def test_the_query_count_does_not_grow_with_data(login, administrator, django_assert_num_queries):
    browser = login(administrator)

    def add(count):
        for index in range(count):
            authorization = AuthorizationFactory(units_authorized=1)
            ChargeFactory(
                coverage=authorization.coverage,
                authorization=authorization,
                status="ready",
                service_date=_day(index % 20),
            )
            ChargeFactory(status="held", hold_reason="manual", service_date=_day(index % 20))

    add(2)
    browser.get(DASHBOARD)
    with django_assert_num_queries(DASHBOARD_QUERIES) as small:
        browser.get(DASHBOARD)
    add(18)
    with django_assert_num_queries(len(small.captured_queries)):
        response = browser.get(DASHBOARD)
    assert len(response.context["at_risk"]) == 20


# Measured, then pinned: the session, the user and their roles, billed per
# day and per payer, held by reason, the unbilled charges and their days,
# the authorizations at risk, the audit insert, the unread notifications,
# and the session save in its savepoint.
DASHBOARD_QUERIES = 14
