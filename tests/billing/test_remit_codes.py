"""The CARC and RARC lists loaded by migration from billing/data (sources in
billing/data/README.md): complete, with the published descriptions."""

import pytest

from billing.models import AdjustmentReason

pytestmark = pytest.mark.django_db

CARC = AdjustmentReason.Kind.CARC
RARC = AdjustmentReason.Kind.RARC


def description(kind, code):
    return AdjustmentReason.objects.get(kind=kind, code=code).description


def test_the_lists_are_complete():
    # 407 CARC and 1,216 RARC published by X12 as of 2026-08-17.
    assert AdjustmentReason.objects.filter(kind=CARC).count() >= 407
    assert AdjustmentReason.objects.filter(kind=RARC).count() >= 1216
    latest = {CARC: ["307", "308", "Y3"], RARC: ["M144", "MA134", "N940"]}
    for kind, codes in latest.items():
        assert AdjustmentReason.objects.filter(kind=kind, code__in=codes).count() == 3


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("1", "Deductible Amount"),
        ("2", "Coinsurance Amount"),
        ("3", "Co-payment Amount"),
        ("16", "Claim/service lacks information or has submission/billing error(s)."),
        ("29", "The time limit for filing has expired."),
        (
            "45",
            "Charge exceeds fee schedule/maximum allowable or contracted/legislated fee "
            "arrangement.",
        ),
        (
            "97",
            "The benefit for this service is included in the payment/allowance for another "
            "service/procedure that has already been adjudicated.",
        ),
        ("197", "Precertification/authorization/notification/pre-treatment absent."),
    ],
)
def test_well_known_carcs_carry_the_published_text_without_usage_notes(code, text):
    assert description(CARC, code) == text


@pytest.mark.parametrize(
    ("code", "text"),
    [
        (
            "N130",
            "Consult plan benefit documents/guidelines for information about restrictions "
            "for this service.",
        ),
        (
            "M86",
            "Service denied because payment already made for same/similar procedure within "
            "set time frame.",
        ),
        ("N290", "Missing/incomplete/invalid rendering provider primary identifier."),
    ],
)
def test_well_known_rarcs_carry_the_published_text(code, text):
    assert description(RARC, code) == text


def test_deactivated_codes_are_kept_and_marked():
    assert description(CARC, "17").endswith("(deactivated)")
    assert description(RARC, "MA95").endswith("(deactivated)")
    assert not description(CARC, "18").endswith("(deactivated)")
    assert not AdjustmentReason.objects.filter(description__contains="Usage:").exists()
