"""Billing's pages of a client: who reaches them, what they show and audit,
the card images served through the policy, and what billing cannot reach."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import Coverage, CoverageVerification
from billing.services.coverage import coverage_add
from iop.audit.models import AuditEvent
from iop.clients.models import Diagnosis
from tests.billing.conftest import PNG, coverage_of, upload
from tests.factories import EpisodeFactory

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def client_url(client):
    return reverse("billing:client", args=[client.public_id])


def test_billing_sees_a_clients_identity_diagnosis_codes_and_coverage(
    login, billing_user, client_of_counselor1, coverage, counselor1
):
    episode = client_of_counselor1.episodes.get()
    Diagnosis.objects.create(
        client=client_of_counselor1,
        episode=episode,
        kind=Diagnosis.Kind.SUD,
        substance_class="alcohol",
        severity="moderate",
        icd10_code="F10.20",
        description="Alcohol dependence, uncomplicated",
        rank=1,
        date_made=TODAY(),
        made_by=counselor1,
        status=Diagnosis.Status.CONFIRMED,
    )
    Diagnosis.objects.create(
        client=client_of_counselor1,
        episode=episode,
        kind=Diagnosis.Kind.MENTAL_HEALTH,
        icd10_code="F32.1",
        description="Proposed only",
        rank=2,
        date_made=TODAY(),
        made_by=counselor1,
    )

    response = login(billing_user).get(client_url(client_of_counselor1))

    page = response.content.decode()
    assert response.status_code == 200
    assert client_of_counselor1.mrn in page
    assert "F10.20" in page and "Alcohol dependence" in page
    assert "F32.1" not in page  # proposed, not confirmed
    assert coverage.member_id in page and coverage.payer.name in page
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, client=client_of_counselor1, actor=billing_user
    ).exists()


def test_the_billing_page_leads_to_the_clients_charges_authorizations_and_superbill(
    login, billing_user, client_of_counselor1
):
    page = login(billing_user).get(client_url(client_of_counselor1)).content.decode()

    charges = reverse("billing:charges") + f"?client={client_of_counselor1.mrn}"
    authorizations = reverse("billing:client-authorizations", args=[client_of_counselor1.public_id])
    superbill = reverse("billing:superbill", args=[client_of_counselor1.public_id])
    for url in (charges, authorizations, superbill):
        assert f'href="{url}"' in page


def test_administrators_open_the_billing_page_from_the_chart(
    login, administrator, client_of_counselor1
):
    browser = login(administrator)
    chart = browser.get(reverse("clients:client-detail", args=[client_of_counselor1.public_id]))

    assert client_url(client_of_counselor1) in chart.content.decode()
    assert browser.get(client_url(client_of_counselor1)).status_code == 200


def test_the_chart_of_a_clinician_has_no_billing_link(login, counselor1, client_of_counselor1):
    chart = login(counselor1).get(
        reverse("clients:client-detail", args=[client_of_counselor1.public_id])
    )

    assert chart.status_code == 200
    assert client_url(client_of_counselor1) not in chart.content.decode()


@pytest.mark.parametrize("role", ["counselor1", "supervisor", "intake"])
def test_clinical_roles_get_403_on_billing_pages(request, login, client_of_counselor1, role):
    browser = login(request.getfixturevalue(role))
    for url in (
        reverse("billing:home"),
        reverse("billing:payer-list"),
        reverse("billing:fee-list"),
    ):
        assert browser.get(url).status_code == 403, url
    # The client's own counselor and the supervisor see the client: a 403.
    if role != "intake":
        assert browser.get(client_url(client_of_counselor1)).status_code == 403


def test_a_counselor_outside_the_policy_gets_404_on_the_billing_page(
    login, counselor2, client_of_counselor1
):
    assert login(counselor2).get(client_url(client_of_counselor1)).status_code == 404


def test_billing_cannot_reach_the_chart_or_its_records(
    login, billing_user, client_of_counselor1, counselor1
):
    """Minimum necessary: the chart, its sections and timeline, notes, drug
    tests, diagnoses page, consents and family: all refused."""
    client_id = client_of_counselor1.public_id
    browser = login(billing_user)
    refused = [
        reverse("clients:client-detail", args=[client_id]),
        reverse("clients:client-section", args=[client_id, "sessions"]),
        reverse("clients:client-timeline", args=[client_id]),
        reverse("clients:client-print", args=[client_id]),
        reverse("clients:diagnoses", args=[client_id]),
        reverse("clients:drug-test-new", args=[client_id]),
        reverse("clients:plan-detail", args=[client_id]),
        reverse("family:member-new", args=[client_id]),
        reverse("screening:administer", args=[client_id, "PHQ-9"]),
        reverse("groups:client-groups", args=[client_id]),
        reverse("aftercare:step-down", args=[client_id]),
        reverse("dashboard:my-day"),
        reverse("groups:group-list"),
        reverse("aftercare:worklist"),
        reverse("audit:emergency-access"),
    ]
    answers = {url: browser.get(url).status_code for url in refused}

    assert answers == dict.fromkeys(refused, 403)
    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, client=client_of_counselor1
    ).exists()


def test_billings_home_page_is_billings_own(login, billing_user):
    response = login(billing_user).get(reverse("dashboard:home"))

    assert response.status_code == 302
    assert response.url == reverse("billing:home")


def test_billing_home_lists_coverage_ending_soon_and_unverified(
    login, billing_user, administrator, client_of_counselor1, client_of_counselor2, medicaid
):
    ending = coverage_of(client_of_counselor1, medicaid, actor=administrator, to=TODAY() + 10 * DAY)
    CoverageVerification.objects.create(
        coverage=ending,
        verified_on=TODAY(),
        verified_by=administrator,
        method=CoverageVerification.Method.PORTAL,
        result=CoverageVerification.Result.ACTIVE,
    )
    coverage_of(client_of_counselor2, medicaid, actor=administrator)

    response = login(billing_user).get(reverse("billing:home"))

    assert [c.client for c in response.context["ending"]] == [client_of_counselor1]
    assert [c.client for c in response.context["unverified"]] == [client_of_counselor2]
    assert client_url(client_of_counselor2) in response.content.decode()


def test_the_client_search_links_billing_to_the_billing_page(
    login, billing_user, client_of_counselor1
):
    page = login(billing_user).get(reverse("clients:client-list")).content.decode()

    chart = reverse("clients:client-detail", args=[client_of_counselor1.public_id])
    assert f'href="{client_url(client_of_counselor1)}"' in page
    assert f'href="{chart}"' not in page


def test_the_client_search_links_clinicians_to_the_chart(login, counselor1, client_of_counselor1):
    page = login(counselor1).get(reverse("clients:client-list")).content.decode()

    assert reverse("clients:client-detail", args=[client_of_counselor1.public_id]) in page
    assert client_url(client_of_counselor1) not in page


def test_the_billing_menu_is_for_billing_and_administrators(
    login, billing_user, administrator, counselor1
):
    def menus(user):
        response = login(user).get(reverse("reminders:notification-list"))
        return {
            menu.key: [link.url for link in menu.links] for menu in response.context["nav_menus"]
        }

    assert reverse("billing:payer-list") in menus(billing_user)["billing"]
    assert reverse("billing:fee-list") in menus(administrator)["billing"]
    assert "billing" not in menus(counselor1)
    # Billing's menus hold only pages billing may open.
    assert reverse("dashboard:my-day") not in str(menus(billing_user))


def test_coverage_is_added_through_the_page(login, billing_user, client_of_counselor1, medicaid):
    response = login(billing_user).post(
        reverse("billing:coverage-add", args=[client_of_counselor1.public_id]),
        {
            "payer": medicaid.pk,
            "order": "1",
            "subscriber_relationship": "18",
            "member_id": "EVG998877",
            "effective_from": (TODAY() - 5 * DAY).isoformat(),
            "card_front": upload(PNG),
        },
    )

    assert response.status_code == 302
    coverage = Coverage.objects.get(client=client_of_counselor1)
    assert coverage.member_id == "EVG998877" and coverage.card_front


def test_a_card_that_is_not_an_image_is_a_form_error_and_nothing_written(
    login, billing_user, client_of_counselor1, medicaid
):
    response = login(billing_user).post(
        reverse("billing:coverage-add", args=[client_of_counselor1.public_id]),
        {
            "payer": medicaid.pk,
            "order": "1",
            "subscriber_relationship": "18",
            "effective_from": TODAY().isoformat(),
            "card_front": upload(b"#!/bin/sh\necho hi", "card.png", "image/png"),
        },
    )

    assert response.status_code == 400
    assert "JPEG or PNG" in response.content.decode()
    assert not Coverage.objects.exists()


def test_overlapping_coverage_is_a_form_error(
    login, billing_user, client_of_counselor1, commercial, coverage
):
    response = login(billing_user).post(
        reverse("billing:coverage-add", args=[client_of_counselor1.public_id]),
        {
            "payer": commercial.pk,
            "order": "1",
            "subscriber_relationship": "18",
            "effective_from": TODAY().isoformat(),
        },
    )

    assert response.status_code == 400
    assert "overlap" in response.content.decode()
    assert Coverage.objects.count() == 1


def test_ending_and_verifying_through_the_page(login, billing_user, coverage):
    browser = login(billing_user)
    args = [coverage.client.public_id, coverage.public_id]

    browser.post(
        reverse("billing:verification-add", args=args),
        {"verified_on": TODAY().isoformat(), "method": "phone", "result": "active"},
    )
    browser.post(reverse("billing:coverage-end", args=args), {"ends_on": TODAY().isoformat()})

    coverage.refresh_from_db()
    assert coverage.effective_to == TODAY()
    assert coverage.verifications.get().result == "active"


def _with_card(client, payer, actor):
    return coverage_add(
        actor=actor,
        client=client,
        data={
            "payer": payer,
            "order": Coverage.Order.PRIMARY,
            "subscriber_relationship": Coverage.Relationship.SELF,
            "effective_from": TODAY(),
        },
        card_front=upload(PNG),
    )


def test_the_card_image_is_served_through_the_policy_and_audited(
    login, billing_user, client_of_counselor1, medicaid
):
    coverage = _with_card(client_of_counselor1, medicaid, billing_user)
    url = reverse(
        "billing:coverage-card", args=[client_of_counselor1.public_id, coverage.public_id, "front"]
    )

    response = login(billing_user).get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, client=client_of_counselor1, path=url
    ).exists()


def test_the_card_image_is_404_outside_the_policy_and_for_a_missing_side(
    login, billing_user, counselor2, client_of_counselor1, medicaid
):
    coverage = _with_card(client_of_counselor1, medicaid, billing_user)
    args = [client_of_counselor1.public_id, coverage.public_id]

    outsider = login(counselor2).get(reverse("billing:coverage-card", args=[*args, "front"]))
    missing = login(billing_user).get(reverse("billing:coverage-card", args=[*args, "back"]))

    assert outsider.status_code == 404
    assert missing.status_code == 404


def test_the_billing_page_makes_the_same_queries_whatever_the_coverage(
    login,
    billing_user,
    administrator,
    client_of_counselor1,
    medicaid,
    commercial,
):
    browser = login(billing_user)
    url = client_url(client_of_counselor1)
    coverage_of(client_of_counselor1, medicaid, actor=administrator)
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        browser.get(url)
    for days_ago in (400, 800, 1200):
        old = coverage_of(
            client_of_counselor1,
            commercial,
            actor=administrator,
            order=2,
            days_ago=days_ago,
            to=TODAY() - (days_ago - 300) * DAY,
        )
        for _ in range(3):
            CoverageVerification.objects.create(
                coverage=old,
                verified_on=TODAY(),
                verified_by=administrator,
                method="portal",
                result="active",
            )
    EpisodeFactory(
        client=client_of_counselor1,
        phase="discharged",
        referral_date=TODAY() - 700 * DAY,
        admission_date=TODAY() - 690 * DAY,
        discharge_date=TODAY() - 500 * DAY,
    )

    with CaptureQueriesContext(connection) as many:
        browser.get(url)

    assert len(many) == len(few)


def test_billing_home_makes_the_same_queries_whatever_the_number_of_coverages(
    login, billing_user, administrator, medicaid
):
    browser = login(billing_user)
    url = reverse("billing:home")
    coverage_of(EpisodeFactory().client, medicaid, actor=administrator, to=TODAY() + 5 * DAY)
    coverage_of(EpisodeFactory().client, medicaid, actor=administrator)
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        browser.get(url)
    for _ in range(10):
        coverage_of(EpisodeFactory().client, medicaid, actor=administrator, to=TODAY() + 9 * DAY)
        coverage_of(EpisodeFactory().client, medicaid, actor=administrator)

    with CaptureQueriesContext(connection) as many:
        response = browser.get(url)

    assert len(response.context["ending"]) == 11 and len(response.context["unverified"]) == 22
    assert len(many) == len(few)
