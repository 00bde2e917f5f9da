"""Authorizations: units counted down from the charges, bad input refused
with nothing written, the alerts at each threshold's edge, and the
utilization review's disclosure under a payment consent."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from billing.models import Authorization, Charge, UtilizationReview
from billing.selectors.authorizations import (
    AlertKind,
    authorization_alerts,
    with_next_review,
    with_units_used,
)
from billing.services.authorizations import (
    authorization_add,
    payment_consent,
    utilization_review_record,
)
from family.models import Consent, Disclosure
from iop.audit.models import AuditEvent
from iop.clients.models import Client
from tests.billing.authorization_factories import (
    authorization,
    charge,
    coverage,
)
from tests.billing.authorization_factories import (
    payment_consent as consent_on_file,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def days(n):
    return TODAY() + datetime.timedelta(days=n)


def used(auth) -> int:
    return with_units_used(Authorization.objects.filter(pk=auth.pk)).get().units_used


# --- the countdown ------------------------------------------------------------------------------


def test_units_used_count_drafted_and_ready_not_superseded_or_voided(client_of_counselor1):
    auth = authorization(coverage(client_of_counselor1), units=40)
    charge(auth, units=3, status=Charge.Status.DRAFTED)
    charge(auth, units=4, status=Charge.Status.READY)
    charge(auth, units=5, status=Charge.Status.DRAFTED, superseded=True)
    charge(auth, units=6, status=Charge.Status.VOIDED)
    charge(auth, units=7, status=Charge.Status.READY, kind=Charge.Kind.VOID)
    assert used(auth) == 7


def test_units_of_another_authorization_do_not_count(client_of_counselor1):
    cover = coverage(client_of_counselor1)
    auth, other = authorization(cover), authorization(cover)
    charge(other, units=9)
    assert used(auth) == 0 and used(other) == 9


# --- adding one ---------------------------------------------------------------------------------


def _data(cover, **changes):
    data = {
        "number": "PA-1",
        "service_codes": ["H0015"],
        "units_authorized": 30,
        "starts_on": days(0),
        "ends_on": days(29),
        "level_of_care": "2.1",
        "reviewer_name": "Dr. Reviewer",
        "reviewer_contact": "555-0100",
        "next_review_on": days(14),
    }
    data.update(changes)
    return data


def test_authorization_add_records_and_audits(client_of_counselor1, billing_user):
    cover = coverage(client_of_counselor1)
    auth = authorization_add(actor=billing_user, coverage=cover, data=_data(cover))
    assert (auth.number, auth.units_authorized, auth.level_of_care) == ("PA-1", 30, "2.1")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_id=str(auth.public_id), client=client_of_counselor1
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": days(-1)}, "ends_on"),
        ({"units_authorized": 0}, "units_authorized"),
        ({"service_codes": []}, "service_codes"),
        ({"service_codes": ["99999"]}, "service_codes"),
        ({"number": "  "}, "number"),
        ({"starts_on": days(-400), "next_review_on": None}, "starts_on"),
        ({"ends_on": days(100)}, "ends_on"),
        ({"next_review_on": days(40)}, "next_review_on"),
        ({"level_of_care": "9.9"}, "level_of_care"),
    ],
)
def test_bad_authorization_refused_nothing_written(
    client_of_counselor1, billing_user, changes, field
):
    cover = coverage(client_of_counselor1, until=days(60))
    with pytest.raises(ValidationError) as refused:
        authorization_add(actor=billing_user, coverage=cover, data=_data(cover, **changes))
    assert field in refused.value.message_dict
    assert not Authorization.objects.exists()
    assert not AuditEvent.objects.filter(object_type="billing.authorization").exists()


# --- alerts at the thresholds' edges ------------------------------------------------------------


def test_units_alert_at_80_percent_not_79(client_of_counselor1):
    cover = coverage(client_of_counselor1)
    at_79, at_80 = authorization(cover, units=100), authorization(cover, units=100)
    charge(at_79, units=79)
    charge(at_80, units=80)
    alerts = authorization_alerts(TODAY(), clients=Client.objects.all())
    flagged = {a.authorization.pk for a in alerts if a.kind == AlertKind.UNITS}
    assert flagged == {at_80.pk}
    (message,) = [a.message for a in alerts if a.kind == AlertKind.UNITS]
    assert "80 of 100 units used (80 %)" in str(message)


def test_ending_alert_within_7_days_not_8(client_of_counselor1):
    cover = coverage(client_of_counselor1)
    seven, eight = authorization(cover, ends=7), authorization(cover, ends=8)
    alerts = authorization_alerts(TODAY(), clients=Client.objects.all())
    assert {a.authorization.pk for a in alerts if a.kind == AlertKind.ENDING} == {seven.pk}
    assert eight.pk not in {a.authorization.pk for a in alerts}


def test_review_alert_within_3_days_not_4_and_overdue(client_of_counselor1):
    cover = coverage(client_of_counselor1)
    three, four = authorization(cover, review=3), authorization(cover, review=4)
    overdue = authorization(cover, review=-2)
    alerts = authorization_alerts(TODAY(), clients=Client.objects.all())
    due = {a.authorization.pk for a in alerts if a.kind == AlertKind.REVIEW}
    assert due == {three.pk, overdue.pk}
    assert four.pk not in due


def test_expired_and_extended_do_not_alert(client_of_counselor1, billing_user):
    cover = coverage(client_of_counselor1)
    expired = authorization(cover, starts=-60, ends=-1)
    charge(expired, units=100)
    ending = authorization(cover, ends=5)
    authorization(cover, starts=6, ends=40, extends=ending)
    alerts = authorization_alerts(TODAY(), clients=Client.objects.all())
    assert expired.pk not in {a.authorization.pk for a in alerts}
    assert ending.pk not in {a.authorization.pk for a in alerts if a.kind == AlertKind.ENDING}


def test_alerts_make_one_query_whatever_the_data(client_of_counselor1, django_assert_num_queries):
    for _ in range(10):
        auth = authorization(coverage(client_of_counselor1), units=10, ends=3, review=1)
        charge(auth, units=9)
    with django_assert_num_queries(1):
        alerts = authorization_alerts(TODAY(), clients=Client.objects.all())
        assert len(alerts) == 30
        assert all(a.client.display_name for a in alerts)


def test_alerts_stay_within_the_clients_given(client_of_counselor1, client_of_counselor2):
    authorization(coverage(client_of_counselor2), ends=2)
    mine = Client.objects.filter(pk=client_of_counselor1.pk)
    assert authorization_alerts(TODAY(), clients=mine) == []


# --- utilization review and its disclosure -----------------------------------------------------


def _review(**changes):
    data = {
        "reviewed_on": TODAY(),
        "reviewer": "Dr. Payer Reviewer",
        "information_sent": "Attendance for the period and the updated treatment plan.",
        "categories_sent": ["attendance", "treatment_plan"],
        "decision": UtilizationReview.Decision.APPROVED,
        "units_granted": 20,
        "extension_number": "",
        "extension_from": days(31),
        "extension_to": days(60),
        "next_review_on": days(45),
    }
    data.update(changes)
    return data


@pytest.fixture
def reviewed(client_of_counselor1):
    cover = coverage(client_of_counselor1)
    return authorization(cover, starts=-30, ends=30, review=1)


def test_review_without_consent_refused_nothing_written(reviewed, billing_user):
    with pytest.raises(ValidationError) as refused:
        utilization_review_record(actor=billing_user, authorization=reviewed, data=_review())
    assert "No consent" in " ".join(refused.value.message_dict["categories_sent"])
    assert not UtilizationReview.objects.exists()
    assert not Disclosure.objects.exists()
    assert Authorization.objects.count() == 1


def test_review_with_tpo_consent_writes_the_ledger_and_the_extension(
    reviewed, billing_user, counselor1
):
    client = reviewed.coverage.client
    consent = consent_on_file(client, reviewed.coverage.payer, actor=counselor1)
    review = utilization_review_record(actor=billing_user, authorization=reviewed, data=_review())
    row = review.disclosure
    assert row.consent == consent and row.path == Disclosure.Path.REVIEW
    assert row.recipient_name == reviewed.coverage.payer.name
    assert row.categories == ["attendance", "treatment_plan"]
    assert row.user == billing_user and row.client == client
    extension = review.extension
    assert (extension.extends, extension.units_authorized) == (reviewed, 20)
    assert (extension.starts_on, extension.ends_on) == (days(31), days(60))
    assert extension.number == reviewed.number and extension.next_review_on == days(45)
    annotated = with_next_review(Authorization.objects.filter(pk=reviewed.pk)).get()
    assert annotated.next_review == days(45) and annotated.extended
    # The reviewed authorization itself is untouched (append-only).
    reviewed.refresh_from_db()
    assert reviewed.units_authorized == 100 and reviewed.next_review_on == days(1)


def test_a_payment_scoped_consent_also_covers(reviewed, billing_user, counselor1):
    consent_on_file(
        reviewed.coverage.client, reviewed.coverage.payer, actor=counselor1, scope="payment"
    )
    data = _review(decision=UtilizationReview.Decision.PENDING, units_granted=0)
    review = utilization_review_record(actor=billing_user, authorization=reviewed, data=data)
    assert review.disclosure is not None and review.extension is None


@pytest.mark.parametrize(
    "overrides",
    [
        {"scope": Consent.Scope.SPECIFIC},
        {"recipient_name": "Another Health Plan"},
        {"categories": ["attendance"]},
        {"expires_on": None, "expiry_event": "discharge", "revoked": True},
    ],
    ids=["not-for-payment", "other-payer", "category-not-covered", "revoked"],
)
def test_review_refused_unless_the_consent_covers_it(reviewed, billing_user, counselor1, overrides):
    revoke = overrides.pop("revoked", False)
    consent = consent_on_file(
        reviewed.coverage.client, reviewed.coverage.payer, actor=counselor1, **overrides
    )
    if revoke:
        Consent.objects.filter(pk=consent.pk).update(revoked_at=timezone.now())
    with pytest.raises(ValidationError):
        utilization_review_record(actor=billing_user, authorization=reviewed, data=_review())
    assert not Disclosure.objects.exists() and not UtilizationReview.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"units_granted": 0}, "units_granted"),
        ({"decision": "denied"}, "units_granted"),
        ({"extension_to": days(20)}, "extension_to"),
        ({"extension_from": None}, "extension_from"),
        ({"reviewer": ""}, "reviewer"),
        ({"categories_sent": []}, "categories_sent"),
        ({"reviewed_on": days(1)}, "reviewed_on"),
        ({"next_review_on": days(0)}, "next_review_on"),
    ],
)
def test_bad_review_refused(reviewed, billing_user, counselor1, changes, field):
    consent_on_file(reviewed.coverage.client, reviewed.coverage.payer, actor=counselor1)
    with pytest.raises(ValidationError) as refused:
        utilization_review_record(
            actor=billing_user, authorization=reviewed, data=_review(**changes)
        )
    assert field in refused.value.message_dict
    assert not Disclosure.objects.exists() and Authorization.objects.count() == 1


def test_payment_consent_says_date_and_scope_only(reviewed, counselor1):
    assert not payment_consent(reviewed.coverage).allowed
    consent = consent_on_file(reviewed.coverage.client, reviewed.coverage.payer, actor=counselor1)
    cover = payment_consent(reviewed.coverage)
    assert cover.allowed and cover.signed_on == consent.signed_on
    assert "health care operations" in str(cover.scope)
    assert not payment_consent(reviewed.coverage, ["drug_tests"]).allowed
