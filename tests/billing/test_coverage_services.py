"""Coverage: added with checked dates and card images, ended (never deleted),
verified; bad input refused with nothing written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from billing.models import Coverage, CoverageVerification
from billing.selectors.coverage import coverages_on
from billing.services.coverage import (
    CARD_MAX_BYTES,
    coverage_add,
    coverage_end,
    verification_record,
)
from iop.audit.models import AuditEvent
from tests.billing.conftest import JPEG, PDF, PNG, coverage_of, upload

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def data(payer_, **changes):
    return {
        "payer": changes.pop("payer", payer_),
        "plan_name": "Evergreen Standard",
        "member_id": "EVG123456",
        "group_number": "",
        "subscriber_name": "",
        "subscriber_relationship": Coverage.Relationship.SELF,
        "subscriber_birth_date": None,
        "order": Coverage.Order.PRIMARY,
        "effective_from": TODAY() - 30 * DAY,
        "effective_to": None,
        **changes,
    }


def test_coverage_is_added_with_its_cards_and_audited(
    billing_user, client_of_counselor1, medicaid, private_media
):
    coverage = coverage_add(
        actor=billing_user,
        client=client_of_counselor1,
        data=data(medicaid),
        card_front=upload(PNG),
        card_back=upload(PDF, "back.pdf", "application/pdf"),
    )

    assert coverages_on(client_of_counselor1, TODAY()) == [coverage]
    # The client is the subscriber: their own name and date of birth.
    assert coverage.subscriber_name == client_of_counselor1.legal_name
    assert coverage.subscriber_birth_date == client_of_counselor1.date_of_birth
    assert str(private_media) in coverage.card_front.path
    with pytest.raises(ValueError, match="no URL"):
        coverage.card_front.url  # noqa: B018
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, client=client_of_counselor1)
    assert event.details["cards"] == ["front", "back"]
    assert "EVG123456" not in str(event.details)


def test_a_second_primary_overlapping_the_first_is_refused(
    billing_user, client_of_counselor1, medicaid, commercial, coverage
):
    with pytest.raises(ValidationError, match="overlap") as error:
        coverage_add(actor=billing_user, client=client_of_counselor1, data=data(commercial))

    assert "effective_from" in error.value.message_dict
    assert Coverage.objects.count() == 1


def test_a_secondary_beside_the_primary_is_accepted(
    billing_user, client_of_counselor1, commercial, coverage
):
    secondary = coverage_add(
        actor=billing_user,
        client=client_of_counselor1,
        data=data(commercial, order=Coverage.Order.SECONDARY),
    )

    assert coverages_on(client_of_counselor1, TODAY()) == [coverage, secondary]


def test_a_primary_after_the_first_ended_is_accepted(
    billing_user, client_of_counselor1, medicaid, commercial, administrator
):
    coverage_of(client_of_counselor1, medicaid, actor=administrator, to=TODAY() - 31 * DAY)

    coverage_add(actor=billing_user, client=client_of_counselor1, data=data(commercial))

    assert [c.payer for c in coverages_on(client_of_counselor1, TODAY())] == [commercial]


def test_another_clients_coverage_does_not_overlap(
    billing_user, client_of_counselor2, medicaid, coverage
):
    coverage_add(actor=billing_user, client=client_of_counselor2, data=data(medicaid))

    assert Coverage.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"effective_to": TODAY() - 31 * DAY}, "effective_to"),
        ({"effective_from": None}, "effective_from"),
        ({"payer": None}, "payer"),
    ],
)
def test_bad_dates_are_refused_and_nothing_written(
    billing_user, client_of_counselor1, medicaid, changes, field
):
    with pytest.raises(ValidationError) as error:
        coverage_add(
            actor=billing_user, client=client_of_counselor1, data=data(medicaid, **changes)
        )

    assert field in error.value.message_dict
    assert not Coverage.objects.exists()
    assert not AuditEvent.objects.filter(client=client_of_counselor1).exists()


@pytest.mark.parametrize(
    "card",
    [
        upload(b"MZ\x90\x00 not an image", "card.png", "image/png"),
        upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "card.svg", "image/svg+xml"),
        upload(JPEG, "card.png", "image/png"),
        upload(PNG + b"\x00" * CARD_MAX_BYTES, "big.png", "image/png"),
    ],
    ids=["not-an-image", "svg", "type-mismatch", "too-large"],
)
def test_a_card_that_is_not_an_allowed_image_is_refused_and_nothing_written(
    billing_user, client_of_counselor1, medicaid, private_media, card
):
    with pytest.raises(ValidationError) as error:
        coverage_add(
            actor=billing_user, client=client_of_counselor1, data=data(medicaid), card_front=card
        )

    assert "card_front" in error.value.message_dict
    assert not Coverage.objects.exists()
    assert not private_media.exists() or not any(private_media.rglob("*.*"))


def test_ending_a_coverage_sets_its_end_date_and_keeps_it(billing_user, coverage):
    coverage_end(actor=billing_user, coverage=coverage, ends_on=TODAY() - DAY)

    coverage.refresh_from_db()
    assert coverage.effective_to == TODAY() - DAY
    assert coverages_on(coverage.client, TODAY()) == []
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, client=coverage.client, object_id=str(coverage.public_id)
    ).exists()


def test_a_coverage_cannot_end_before_it_starts(billing_user, coverage):
    with pytest.raises(ValidationError, match="before it starts"):
        coverage_end(actor=billing_user, coverage=coverage, ends_on=coverage.effective_from - DAY)

    coverage.refresh_from_db()
    assert coverage.effective_to is None


def test_extending_an_ended_coverage_over_a_later_one_is_refused(
    billing_user, administrator, client_of_counselor1, medicaid, commercial
):
    first = coverage_of(
        client_of_counselor1, medicaid, actor=administrator, days_ago=90, to=TODAY() - 60 * DAY
    )
    coverage_of(client_of_counselor1, commercial, actor=administrator, days_ago=59)

    with pytest.raises(ValidationError, match="overlap"):
        coverage_end(actor=billing_user, coverage=first, ends_on=TODAY())

    first.refresh_from_db()
    assert first.effective_to == TODAY() - 60 * DAY


def test_a_verification_is_recorded_and_audited(billing_user, coverage):
    verification = verification_record(
        actor=billing_user,
        coverage=coverage,
        verified_on=TODAY(),
        method=CoverageVerification.Method.PORTAL,
        result=CoverageVerification.Result.ACTIVE,
        notes="Eligible through the end of the month.",
    )

    assert verification.verified_by == billing_user
    event = AuditEvent.objects.get(object_id=str(verification.pk))
    assert event.client == coverage.client and "Eligible" not in str(event.details)


def test_a_verification_in_the_future_is_refused(billing_user, coverage):
    with pytest.raises(ValidationError):
        verification_record(
            actor=billing_user,
            coverage=coverage,
            verified_on=TODAY() + DAY,
            method=CoverageVerification.Method.PHONE,
            result=CoverageVerification.Result.ACTIVE,
        )

    assert not CoverageVerification.objects.exists()
