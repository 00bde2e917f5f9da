"""The client statement (discreet outside, Part 2 notice inside, audited as
a print) and the client payments recorded from it."""

import re
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from billing.models import Posting
from iop.audit.models import AuditEvent
from iop.exports import PART2_NOTICE
from tests.billing.receivable_factories import days_ago, remit, sent_charge

pytestmark = pytest.mark.django_db

# Words that would tell whoever sees the envelope what the care was.
TREATMENT_WORDS = re.compile(
    r"treatment|substance|recovery|\bIOP\b|addiction|rehab|alcohol|drug|matrix|"
    r"counsel|behavioral|detox|sobriety|intensive outpatient",
    re.IGNORECASE,
)


def _statement(client):
    return reverse("billing:client-statement", args=[client.public_id])


def _pay(client):
    return reverse("billing:client-payment-add", args=[client.public_id])


@pytest.fixture
def owing():
    charge = sent_charge(days=20)
    remit(charge, paid="200.00", patient="50.00")
    return charge


def _outside(html: str) -> str:
    """The title and the part an envelope window shows."""
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    outside = re.search(r'<section class="statement-outside".*?</section>', html, re.S).group(0)
    return title + outside


def test_the_statement_shows_lines_balance_and_the_part2_notice(login, billing_user, owing):
    response = login(billing_user).get(_statement(owing.client))
    assert response.status_code == 200
    html = response.content.decode()
    assert PART2_NOTICE in html
    assert "Service H0015" in html
    assert response.context["statement"].balance_due == Decimal("50.00")
    assert 'data-action="print"' in html


def test_the_outside_carries_only_the_neutral_name_and_no_treatment_words(
    login, billing_user, owing
):
    html = login(billing_user).get(_statement(owing.client)).content.decode()
    outside = _outside(html)
    assert settings.BILLING_STATEMENT_NAME in outside
    assert settings.BILLING_STATEMENT_ADDRESS in outside
    assert not TREATMENT_WORDS.search(outside), TREATMENT_WORDS.search(outside)
    assert settings.PROGRAM_NAME not in outside
    assert settings.BILLING_PROVIDER_NAME not in html
    # No line describes the service: codes only.
    assert owing.get_code_display() not in html


def test_the_statement_is_audited_as_a_print(login, billing_user, owing):
    login(billing_user).get(_statement(owing.client))
    event = AuditEvent.objects.get(action=AuditEvent.Action.PRINT)
    assert event.client_id == owing.client_id
    assert event.details["document"] == "statement"
    assert event.details["balance_due"] == "50.00"


def test_an_unknown_client_is_a_404(login, billing_user):
    response = login(billing_user).get(reverse("billing:client-statement", args=[uuid.uuid4()]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["counselor1", "intake"])
def test_clinical_roles_are_refused(login, request, role, client_of_counselor1):
    user = request.getfixturevalue(role)
    browser = login(user)
    response = browser.get(_statement(client_of_counselor1))
    assert response.status_code in (403, 404)
    assert browser.post(_pay(client_of_counselor1), {}).status_code in (403, 404)


def test_the_counselor_is_refused_the_statement_of_a_client_they_see(
    login, counselor1, client_of_counselor1
):
    assert login(counselor1).get(_statement(client_of_counselor1)).status_code == 403


def test_a_payment_is_recorded_and_shown(login, billing_user, owing):
    browser = login(billing_user)
    response = browser.post(
        _pay(owing.client),
        {
            "amount": "20.00",
            "received_on": days_ago(0).isoformat(),
            "method": "card",
            "reference": "R-77",
        },
    )
    assert response.status_code == 302
    assert response.url == _statement(owing.client)
    (row,) = Posting.objects.filter(kind=Posting.Kind.PATIENT_PAYMENT)
    assert row.amount == Decimal("20.00")
    page = browser.get(_statement(owing.client))
    assert page.context["statement"].balance_due == Decimal("30.00")
    assert "Payment recorded." in page.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"amount": "-5", "received_on": "2026-01-01", "method": "cash"},
        {"amount": "5", "received_on": "3026-01-01", "method": "cash"},
        {"amount": "5", "received_on": "2026-01-01", "method": "barter"},
    ],
)
def test_an_invalid_payment_changes_nothing(login, billing_user, owing, data):
    response = login(billing_user).post(_pay(owing.client), data)
    assert response.status_code == 302
    assert not Posting.objects.filter(kind=Posting.Kind.PATIENT_PAYMENT).exists()


def test_an_overpayment_is_refused_with_a_message(login, billing_user, owing):
    browser = login(billing_user)
    browser.post(
        _pay(owing.client),
        {"amount": "50.01", "received_on": days_ago(0).isoformat(), "method": "cash"},
    )
    assert not Posting.objects.filter(kind=Posting.Kind.PATIENT_PAYMENT).exists()
    page = browser.get(_statement(owing.client)).content.decode()
    assert "more than the balance due" in page


def test_a_payment_must_be_posted(login, billing_user, owing):
    assert login(billing_user).get(_pay(owing.client)).status_code == 405


def test_a_payment_is_reversed(login, billing_user, owing):
    browser = login(billing_user)
    browser.post(
        _pay(owing.client),
        {"amount": "20.00", "received_on": days_ago(0).isoformat(), "method": "cash"},
    )
    number = Posting.objects.get(kind=Posting.Kind.PATIENT_PAYMENT).note.split()[1]
    response = browser.post(
        reverse("billing:client-payment-reverse", args=[owing.client.public_id]),
        {"number": number, "reason": "Entered twice"},
    )
    assert response.status_code == 302
    page = browser.get(_statement(owing.client))
    assert page.context["statement"].balance_due == Decimal("50.00")
