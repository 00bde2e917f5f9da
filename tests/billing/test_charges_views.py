"""The billing worklist, a charge's page and its actions, seen by each role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.models import Charge
from iop.accounts import roles
from iop.audit.models import AuditEvent
from tests.billing.factories import ChargeFactory, CoverageFactory, EvidenceFactory, PayerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WORKLIST = reverse("billing:charges")
# Measured, then pinned: the session, the user and their roles, the page's
# count, its rows with their joins, the audit insert, the tab counts, the
# unread notifications, the filter form's payers and clinicians, and the
# session save in its savepoint.
WORKLIST_QUERIES = 13


def _rows(response):
    return list(response.context["page"].object_list)


@pytest.mark.parametrize("role", ["intake", "counselor1", "supervisor"])
def test_clinical_roles_may_not_open_the_worklist(request, login, role):
    user = request.getfixturevalue(role)
    charge = ChargeFactory()
    browser = login(user)
    assert browser.get(WORKLIST).status_code == 403
    detail = reverse("billing:charge-detail", args=[charge.public_id])
    assert browser.get(detail).status_code == 403
    hold = reverse("billing:charge-hold", args=[charge.public_id])
    assert browser.post(hold, {"detail": "x"}).status_code == 403
    charge.refresh_from_db()
    assert charge.status == Charge.Status.DRAFTED


@pytest.mark.parametrize("role", ["billing_user", "administrator"])
def test_billing_and_administrators_open_the_worklist(request, login, role):
    browser = login(request.getfixturevalue(role))
    response = browser.get(WORKLIST)
    assert response.status_code == 200
    assert b"No charges match." in response.content


def test_the_worklist_shows_each_charge_and_audits_each_client(login, administrator):
    held = ChargeFactory(
        status=Charge.Status.HELD, hold_reason="no_authorization", modifiers=["HF", "HQ"]
    )
    ready = ChargeFactory(status=Charge.Status.READY)
    response = login(administrator).get(WORKLIST)
    assert set(_rows(response)) == {held, ready}
    html = response.content.decode()
    assert held.client.mrn in html
    assert "H0015-HF-HQ" in html
    assert "Outside an active authorization" in html
    assert "250.00" in html
    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, details__list="charges")
    assert {event.client_id for event in events} == {held.client_id, ready.client_id}


def test_the_status_tabs_filter_and_count(login, administrator):
    ChargeFactory(status=Charge.Status.HELD, hold_reason="manual")
    ready = ChargeFactory(status=Charge.Status.READY)
    ChargeFactory(status=Charge.Status.DRAFTED)
    browser = login(administrator)
    response = browser.get(WORKLIST, {"status": "ready"})
    assert _rows(response) == [ready]
    counts = {value: count for value, _label, count in response.context["tabs"]}
    assert counts["ready"] == counts["held"] == counts["drafted"] == 1
    assert counts["voided"] == 0


def test_a_status_tab_lists_only_charges_whose_status_still_stands(login, administrator):
    # A held charge a redraft replaced is history, not work; a voided
    # charge is superseded by its void row and stays voided.
    replaced = ChargeFactory(status=Charge.Status.HELD, hold_reason="unsigned", superseded=True)
    current = ChargeFactory(
        status=Charge.Status.DRAFTED, client=replaced.client, episode=replaced.episode
    )
    voided = ChargeFactory(status=Charge.Status.VOIDED, superseded=True)
    browser = login(administrator)

    assert _rows(browser.get(WORKLIST, {"status": "held"})) == []
    assert _rows(browser.get(WORKLIST, {"status": "held", "hold_reason": "unsigned"})) == []
    assert _rows(browser.get(WORKLIST, {"status": "drafted"})) == [current]
    response = browser.get(WORKLIST, {"status": "voided"})
    assert _rows(response) == [voided]
    counts = {value: count for value, _label, count in response.context["tabs"]}
    assert (counts["held"], counts["drafted"], counts["voided"]) == (0, 1, 1)
    # All shows the history too.
    assert len(_rows(browser.get(WORKLIST))) == 3


def test_filters_by_payer_clinician_dates_client_and_hold_reason(login, administrator):
    today = timezone.localdate()
    other_payer = PayerFactory(name="Commercial Plan", kind="commercial")
    clinician = UserFactory(username="counselor9", roles=[roles.COUNSELOR])
    a = ChargeFactory(service_date=today - datetime.timedelta(days=10))
    b = ChargeFactory(
        coverage=CoverageFactory(payer=other_payer),
        rendering_clinician=clinician,
        status=Charge.Status.HELD,
        hold_reason="no_rate",
    )
    browser = login(administrator)

    def listed(**params):
        return set(_rows(browser.get(WORKLIST, params)))

    assert listed(payer=other_payer.pk) == {b}
    assert listed(clinician=clinician.pk) == {b}
    assert listed(start=(today - datetime.timedelta(days=5)).isoformat()) == {b}
    assert listed(end=(today - datetime.timedelta(days=5)).isoformat()) == {a}
    assert listed(client=a.client.mrn.lower()) == {a}
    assert listed(hold_reason="no_rate") == {b}
    assert listed(hold_reason="manual") == set()


def test_invalid_filters_are_reported_and_ignored(login, administrator):
    charge = ChargeFactory()
    response = login(administrator).get(WORKLIST, {"start": "2026-02-30", "payer": "abc"})
    assert response.status_code == 200
    assert _rows(response) == [charge]
    assert b"Some filters were not valid" in response.content


def test_the_worklist_query_count_does_not_grow_with_charges(
    login, administrator, django_assert_num_queries
):
    browser = login(administrator)
    for _ in range(3):
        ChargeFactory(status=Charge.Status.READY)
    browser.get(WORKLIST)
    with django_assert_num_queries(WORKLIST_QUERIES) as small:
        browser.get(WORKLIST)
    for _ in range(27):
        ChargeFactory(status=Charge.Status.HELD, hold_reason="manual")
    with django_assert_num_queries(len(small.captured_queries)):
        response = browser.get(WORKLIST)
    assert len(_rows(response)) == 30


def test_the_detail_shows_the_service_facts_and_audits_the_view(login, administrator):
    charge = ChargeFactory(evidence__description="Relapse prevention group", evidence__minutes=95)
    EvidenceFactory(charge=charge, signed=False, description="Individual session", minutes=50)
    response = login(administrator).get(reverse("billing:charge-detail", args=[charge.public_id]))
    html = response.content.decode()
    assert "Relapse prevention group" in html
    assert "95" in html
    assert "Not signed" in html
    assert "superbill-link" in html
    assert len(response.context["evidence"]) == 2
    assert AuditEvent.objects.filter(
        client=charge.client, action=AuditEvent.Action.VIEW, object_id=str(charge.public_id)
    ).exists()


def test_a_charge_outside_the_viewers_policy_is_a_404(login, counselor1):
    # Billing pages are for billing staff: a role outside them never gets a 404
    # that would confirm the charge exists; it gets the 403 of the role check.
    charge = ChargeFactory()
    response = login(counselor1).get(reverse("billing:charge-detail", args=[charge.public_id]))
    assert response.status_code == 403


def test_an_unknown_charge_is_a_404(login, administrator):
    url = reverse("billing:charge-detail", args=["00000000-0000-0000-0000-000000000000"])
    assert login(administrator).get(url).status_code == 404


def test_hold_release_and_void_through_the_page(login, administrator):
    charge = ChargeFactory()
    browser = login(administrator)
    browser.post(reverse("billing:charge-hold", args=[charge.public_id]), {"detail": "Call MCO"})
    charge.refresh_from_db()
    assert (charge.status, charge.hold_detail) == ("held", "Call MCO")
    browser.post(reverse("billing:charge-release", args=[charge.public_id]))
    charge.refresh_from_db()
    assert charge.status == "ready"

    void_url = reverse("billing:charge-void", args=[charge.public_id])
    response = browser.post(void_url, {"reason": "Wrong day"}, follow=True)
    assert b"Confirm voiding" in response.content
    charge.refresh_from_db()
    assert charge.status == "ready"
    browser.post(void_url, {"reason": "Wrong day", "confirm": "yes"})
    charge.refresh_from_db()
    assert charge.status == "voided"
    assert Charge.objects.filter(replaces=charge, kind="void").count() == 1


def test_releasing_an_unsigned_day_says_why(login, administrator):
    charge = ChargeFactory(status="held", hold_reason="unsigned", evidence__signed=False)
    response = login(administrator).post(
        reverse("billing:charge-release", args=[charge.public_id]), follow=True
    )
    assert b"not signed yet" in response.content
    charge.refresh_from_db()
    assert charge.status == "held"


def test_mark_exported_needs_confirmation_and_keeps_the_filters(login, administrator):
    ready = ChargeFactory(status=Charge.Status.READY)
    other = ChargeFactory(status=Charge.Status.READY)
    browser = login(administrator)
    url = reverse("billing:charges-mark-exported")
    browser.post(url, {"client": ready.client.mrn})
    ready.refresh_from_db()
    assert ready.status == "ready"
    response = browser.post(url, {"client": ready.client.mrn, "confirm": "yes"})
    assert response.url == f"{WORKLIST}?client={ready.client.mrn}"
    ready.refresh_from_db()
    other.refresh_from_db()
    assert (ready.status, other.status) == ("exported", "ready")
