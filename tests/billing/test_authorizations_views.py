"""The authorization pages: who may open them (the roles and the access
policy), bad input refused on the form, the review's disclosure needing
its consent, query counts that do not grow with the data, the counselor's
To do and the staff digest."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import Authorization, UtilizationReview
from billing.selectors.authorizations import digest_items
from family.models import Disclosure
from iop.audit.models import AuditEvent
from iop.audit.policy import clients_visible_to
from tests.billing.authorization_factories import (
    authorization,
    charge,
    coverage,
    payer,
    payment_consent,
)
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db
LIST = reverse("billing:authorizations")


def days(n):
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def client_url(client):
    return reverse("billing:client-authorizations", args=[client.public_id])


def review_url(auth):
    return reverse(
        "billing:authorization-review", args=[auth.coverage.client.public_id, auth.public_id]
    )


# --- access ------------------------------------------------------------------------------------


def test_counselor_gets_403_on_billing_pages(login, counselor1, client_of_counselor1):
    auth = authorization(coverage(client_of_counselor1))
    browser = login(counselor1)
    assert browser.get(LIST).status_code == 403
    assert browser.get(client_url(client_of_counselor1)).status_code == 403
    assert browser.get(review_url(auth)).status_code == 403


def test_user_outside_the_policy_gets_404(login, counselor2, client_of_counselor1):
    auth = authorization(coverage(client_of_counselor1))
    browser = login(counselor2)
    assert browser.get(client_url(client_of_counselor1)).status_code == 404
    assert browser.get(review_url(auth)).status_code == 404


def test_administrator_sees_any_client_and_the_view_is_audited(
    login, administrator, client_of_counselor1
):
    auth = authorization(coverage(client_of_counselor1), units=10)
    charge(auth, units=4)
    response = login(administrator).get(client_url(client_of_counselor1))
    assert response.status_code == 200
    assert "4 of 10 units used (40 %)" in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, client=client_of_counselor1, actor=administrator
    ).exists()


def test_billing_staff_see_any_clients_authorizations(login, billing_user, client_of_counselor1):
    if not clients_visible_to(billing_user).filter(pk=client_of_counselor1.pk).exists():
        pytest.skip("the access policy does not yet give the Billing role the whole program")
    authorization(coverage(client_of_counselor1))
    browser = login(billing_user)
    assert browser.get(client_url(client_of_counselor1)).status_code == 200
    assert client_of_counselor1.display_name in browser.get(LIST).content.decode()


def test_billing_role_passes_the_role_check_of_the_list(login, billing_user):
    assert login(billing_user).get(LIST).status_code == 200


# --- the list ------------------------------------------------------------------------------------


def _program(n):
    """n clients, each with a coverage and an authorization drawn on by 3 charges."""
    for _ in range(n):
        auth = authorization(coverage(EpisodeFactory().client), units=10, ends=5)
        for _ in range(3):
            charge(auth, units=1)


def test_list_queries_do_not_grow_with_the_data(login, administrator):
    browser = login(administrator)
    _program(2)
    with CaptureQueriesContext(connection) as few:
        assert browser.get(LIST).status_code == 200
    _program(20)
    with CaptureQueriesContext(connection) as many:
        response = browser.get(LIST)
    assert response.content.decode().count('data-testid="authorization-row"') == 22
    assert len(many) == len(few)


def test_list_filters_by_status_and_payer(login, administrator, client_of_counselor1):
    cover = coverage(client_of_counselor1)
    other = coverage(EpisodeFactory().client, of_payer=payer("Summit Commercial PPO"))
    exhausted = authorization(cover, units=2)
    charge(exhausted, units=2)
    expired = authorization(cover, starts=-60, ends=-1)
    soon = authorization(other, ends=3)
    healthy = authorization(other, ends=60)
    browser = login(administrator)

    def numbers(**query):
        rows = browser.get(LIST, query).context["rows"]
        return {row["authorization"].number for row in rows}

    assert numbers(status="exhausted") == {exhausted.number}
    assert numbers(status="expired") == {expired.number}
    assert numbers(status="ending_soon") == {soon.number}
    assert numbers(status="active") == {healthy.number}
    assert numbers(payer=str(other.payer.public_id)) == {soon.number, healthy.number}


# --- the forms -----------------------------------------------------------------------------------


def _auth_post(cover, **changes):
    data = {
        "coverage": str(cover.public_id),
        "number": "PA-77",
        "service_codes": ["H0015"],
        "units_authorized": "30",
        "starts_on": days(0),
        "ends_on": days(29),
        "level_of_care": "2.1",
        "next_review_on": days(14),
    }
    data.update(changes)
    return data


def test_add_authorization_from_the_page(login, administrator, client_of_counselor1):
    cover = coverage(client_of_counselor1)
    response = login(administrator).post(client_url(client_of_counselor1), _auth_post(cover))
    assert response.status_code == 302
    assert Authorization.objects.get().number == "PA-77"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": days(-1)}, "The end cannot be before the start."),
        ({"units_authorized": "0"}, "at least one unit"),
        ({"service_codes": []}, "Choose at least one service code."),
        ({"starts_on": days(-400), "next_review_on": ""}, "cannot start before"),
    ],
)
def test_bad_authorization_is_a_form_error(
    login, administrator, client_of_counselor1, changes, message
):
    cover = coverage(client_of_counselor1)
    response = login(administrator).post(
        client_url(client_of_counselor1), _auth_post(cover, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Authorization.objects.exists()


def _review_post(**changes):
    data = {
        "reviewed_on": days(0),
        "reviewer": "Dr. Payer Reviewer",
        "categories_sent": ["attendance", "progress"],
        "information_sent": "Attendance and progress notes summary for the period.",
        "decision": "approved",
        "units_granted": "15",
        "extension_from": days(31),
        "extension_to": days(60),
        "next_review_on": days(45),
    }
    data.update(changes)
    return data


def test_review_refused_without_consent(login, administrator, client_of_counselor1):
    auth = authorization(coverage(client_of_counselor1), ends=30)
    browser = login(administrator)
    page = browser.get(review_url(auth)).content.decode()
    assert "No consent of the client" in page
    response = browser.post(review_url(auth), _review_post())
    assert response.status_code == 400
    assert "needs the client&#x27;s consent" in response.content.decode()
    assert not Disclosure.objects.exists() and not UtilizationReview.objects.exists()


def test_review_with_consent_writes_the_ledger_row(
    login, administrator, counselor1, client_of_counselor1
):
    auth = authorization(coverage(client_of_counselor1), ends=30)
    consent = payment_consent(client_of_counselor1, auth.coverage.payer, actor=counselor1)
    browser = login(administrator)
    page = browser.get(review_url(auth)).content.decode()
    assert consent.signed_on.isoformat() in page
    assert "Treatment, payment and health care operations" in page
    assert consent.purpose not in page and consent.description not in page
    assert "42 cfr part 2" in page.lower()
    response = browser.post(review_url(auth), _review_post())
    assert response.status_code == 302
    row = Disclosure.objects.get()
    assert (row.consent, row.path, row.user) == (consent, Disclosure.Path.REVIEW, administrator)
    assert Authorization.objects.get(extends=auth).units_authorized == 15


# --- To do and digest ----------------------------------------------------------------------------


def test_counselor_to_do_lists_their_clients_alerts(
    login, counselor1, counselor2, client_of_counselor1, client_of_counselor2
):
    mine = authorization(coverage(client_of_counselor1), units=10, review=2)
    charge(mine, units=8)
    authorization(coverage(client_of_counselor2), ends=2)
    page = login(counselor1).get(reverse("dashboard:worklists")).content.decode()
    assert client_of_counselor1.display_name in page
    assert "8 of 10 units used (80 %)" in page and "Concurrent review due" in page
    assert client_of_counselor2.display_name not in page


def test_digest_counts_without_names(
    administrator, counselor1, counselor2, client_of_counselor1, billing_user
):
    auth = authorization(coverage(client_of_counselor1), units=10, ends=5, review=1)
    charge(auth, units=9)
    (line,) = digest_items(administrator)
    assert "1 at 80 % of their units or more, 1 ending within 7 days, 1 concurrent" in line
    assert client_of_counselor1.display_name not in line
    assert client_of_counselor1.legal_last_name not in line
    assert digest_items(counselor1) == [line]
    assert digest_items(counselor2) == []
