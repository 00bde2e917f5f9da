"""The A/R page, its drill-down and its export: contents, roles, audit,
re-authentication, bad input, and query counts that do not grow."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import Posting
from iop.audit.models import AuditEvent
from iop.exports import NOTICE_FILENAME, PART2_NOTICE
from tests.accounts.mfa_helpers import make_reauth_stale
from tests.billing.receivable_factories import days_ago, denial_of, post, remit, sent_charge

pytestmark = pytest.mark.django_db

PAGE = reverse("billing:receivables")
DRILL = reverse("billing:receivables-charges")
EXPORT = reverse("billing:receivables-export")


def _owing(n, *, postings=1):
    """n clients, each with a sent charge partly paid (postings payments)."""
    charges = []
    for i in range(n):
        charge = sent_charge(days=10 + i % 150, amount="250.00", status="denied")
        remit(charge, paid="100.00", patient="50.00")
        for _ in range(postings - 1):
            post(charge, Posting.Kind.PATIENT_PAYMENT, "1.00")
        charges.append(charge)
    denial_of(charges[0])
    return charges


def test_the_page_shows_totals_aging_clients_denials_and_collections(login, billing_user):
    (charge,) = _owing(1)
    response = login(billing_user).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert charge.payer.name in html
    assert charge.client.mrn in html
    assert 'data-testid="aging"' in html and 'data-testid="collections"' in html
    assert "197" in html  # the denial's reason code
    assert response.context["totals"].payer == Decimal("100.00")
    assert response.context["totals"].client == Decimal("50.00")
    assert 'id="receivables-data"' in html
    assert reverse("billing:client-statement", args=[charge.client.public_id]) in html


def test_the_page_audits_each_client_listed(login, billing_user):
    charges = _owing(2)
    login(billing_user).get(PAGE)
    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, details__list="receivables")
    assert {event.client_id for event in events} == {c.client_id for c in charges}


@pytest.mark.parametrize("role", ["counselor1", "intake"])
def test_clinical_roles_are_refused(login, request, role):
    user = request.getfixturevalue(role)
    for url in (PAGE, EXPORT, f"{DRILL}?payer=clients&bucket=0-30"):
        assert login(user).get(url).status_code == 403


def test_a_post_is_not_allowed(login, billing_user):
    assert login(billing_user).post(PAGE).status_code == 405


@pytest.mark.parametrize("as_of", ["yesterday", "2099-01-01", "1990-01-01"])
def test_a_bad_as_of_date_is_a_plain_400(login, billing_user, as_of):
    response = login(billing_user).get(PAGE, {"as_of": as_of})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_the_as_of_date_ages_the_balances(login, billing_user):
    sent_charge(days=40)
    response = login(billing_user).get(PAGE, {"as_of": days_ago(20).isoformat()})
    (row,) = response.context["aging"]
    assert row.cells["0-30"] == Decimal("250.00")


def test_the_page_query_count_does_not_grow_with_charges_postings_and_clients(
    login, billing_user, django_assert_num_queries
):
    browser = login(billing_user)
    _owing(3)
    browser.get(PAGE)
    with django_assert_num_queries(16) as small:
        browser.get(PAGE)
    _owing(30, postings=3)
    with django_assert_num_queries(len(small.captured_queries)):
        response = browser.get(PAGE)
    assert len(response.context["page"].object_list) == 25


def test_a_cell_lists_its_charges_with_their_balances(login, billing_user):
    charge, other = sent_charge(days=45), sent_charge(days=5)
    response = login(billing_user).get(
        DRILL, {"payer": str(charge.payer.public_id), "bucket": "31-60"}
    )
    assert response.status_code == 200
    assert [row.pk for row in response.context["page"].object_list] == [charge.pk]
    assert other.client.mrn not in response.content.decode()
    event = AuditEvent.objects.get(details__list="receivables_charges")
    assert event.client_id == charge.client_id


def test_the_clients_cell_lists_what_clients_owe(login, billing_user):
    (charge,) = _owing(1)
    response = login(billing_user).get(DRILL, {"payer": "clients", "bucket": "0-30"})
    (row,) = response.context["page"].object_list
    assert row.client_balance == Decimal("50.00")


@pytest.mark.parametrize(
    "params", [{}, {"payer": "x", "bucket": "0-30"}, {"payer": "clients", "bucket": "7"}]
)
def test_a_bad_cell_is_a_plain_400(login, billing_user, params):
    assert login(billing_user).get(DRILL, params).status_code == 400


def test_the_drill_down_query_count_does_not_grow(login, billing_user, django_assert_num_queries):
    browser = login(billing_user)
    _owing(2)
    params = {"payer": "clients", "bucket": "0-30"}
    browser.get(DRILL, params)
    with django_assert_num_queries(10) as small:
        browser.get(DRILL, params)
    _owing(20, postings=3)
    with django_assert_num_queries(len(small.captured_queries)):
        browser.get(DRILL, params)


def _files(response):
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert PART2_NOTICE in bundle.read(NOTICE_FILENAME).decode()
    return {
        name: list(csv.DictReader(io.StringIO(bundle.read(name).decode())))
        for name in bundle.namelist()
        if name.endswith(".csv")
    }


def test_the_export_holds_aging_balances_and_collections_and_is_audited(login, billing_user):
    (charge,) = _owing(1)
    response = login(billing_user).get(EXPORT)
    assert response.status_code == 200
    files = _files(response)
    (aging_payer, aging_clients) = files["aging-by-payer.csv"]
    assert aging_payer["payer"] == charge.payer.name
    assert aging_payer["days_0-30"] == "100.00"
    assert aging_clients["total"] == "50.00"
    (balance,) = files["client-balances.csv"]
    assert balance["client_record_number"] == charge.client.mrn
    assert (balance["client_balance"], balance["payer_balance"]) == ("50.00", "100.00")
    assert len(files["collections-by-month.csv"]) == 12
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.client_id == charge.client_id
    assert event.details["export"] == "receivables"


def test_the_export_needs_a_fresh_reauthentication(login, billing_user):
    _owing(1)
    browser = login(billing_user)
    make_reauth_stale(browser)
    response = browser.get(EXPORT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauth"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
