"""The 837P files byte for byte, each valid under pyx12, and a broken one
rejected with the segment named."""

import os
from pathlib import Path

import pytest
from django.test import override_settings

from billing.models import Claim, ClaimBatch
from billing.services.claims import batch_build, batch_mark_sent, claim_replace, claim_void
from billing.x12.envelope import amount, clean, segment
from billing.x12.validate import pyx12_findings
from tests.billing.claims_data import DAY, clinician, covered_client, pin, ready
from tests.billing.factories import AuthorizationFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "837"
# The settings the fixtures were written with (the demo defaults).
X12 = {
    "BILLING_PROVIDER_NAME": "OpenIOP Demo Recovery Center",
    "BILLING_PROVIDER_NPI": "1234567893",
    "BILLING_PROVIDER_TAX_ID": "12-3456789",
    "BILLING_PROVIDER_TAXONOMY": "261QR0405X",
    "BILLING_PROVIDER_STREET": "100 Main Street",
    "BILLING_PROVIDER_CITY": "Springfield",
    "BILLING_PROVIDER_STATE": "IL",
    "BILLING_PROVIDER_ZIP": "627011234",
    "X12_SENDER_ID": "OPENIOPDEMO",
    "X12_RECEIVER_ID": "CLEARINGHOUSE",
    "X12_RECEIVER_NAME": "Demo Clearinghouse",
    "X12_CONTACT_NAME": "Billing Office",
    "X12_CONTACT_PHONE": "2175550100",
    "X12_USAGE_INDICATOR": "T",
    "TIME_ZONE": "America/New_York",
}


def _matches_fixture(name: str, text: str) -> None:
    path = FIXTURES / name
    if os.environ.get("OPENIOP_WRITE_FIXTURES") == "1":
        path.write_text(text)
    assert text == path.read_text()
    assert pyx12_findings(text) == []


@pytest.fixture
def lee(db):
    return clinician()


@override_settings(**X12)
def test_an_iop_per_diem_claim_is_written_byte_for_byte(administrator, lee):
    _client, coverage = covered_client(group_number="GRP-77")
    authorization = AuthorizationFactory(coverage=coverage, number="AUTH-2026-001")
    ready(coverage, rendering=lee, diagnosis=("F10.20", "F12.10"), authorization=authorization)
    result = batch_build(actor=administrator)
    assert result.batch.status == ClaimBatch.Status.VALID, result.batch.errors
    _matches_fixture("per_diem.txt", pin(result.batch))


@override_settings(**X12)
def test_a_component_code_claim_is_written_byte_for_byte(administrator, lee):
    _client, coverage = covered_client(subscriber_relationship="01", subscriber_name="Rivera, Luis")
    ready(coverage, rendering=lee, code="H0005", modifiers=("HF", "HQ"), units=3, amount="90.00")
    ready(coverage, rendering=lee, code="H0004", modifiers=("HF",), units=2, amount="60.00")
    result = batch_build(actor=administrator)
    assert result.batch.status == ClaimBatch.Status.VALID, result.batch.errors
    _matches_fixture("component_codes.txt", pin(result.batch))


def _sent_claim(administrator, lee):
    _client, coverage = covered_client()
    ready(coverage, rendering=lee)
    batch = batch_build(actor=administrator).batch
    batch_mark_sent(actor=administrator, batch=batch)
    claim = batch.claims.get()
    Claim.objects.filter(pk=claim.pk).update(payer_claim_number="PAYER-778899")
    return claim


@override_settings(**X12)
def test_a_replacement_claim_is_written_byte_for_byte(administrator, lee):
    claim = claim_replace(actor=administrator, claim=_sent_claim(administrator, lee))
    assert claim.batch.status == ClaimBatch.Status.VALID, claim.batch.errors
    _matches_fixture("replacement.txt", pin(claim.batch, control_number=124, prefix="RPL"))


@override_settings(**X12)
def test_a_void_claim_is_written_byte_for_byte(administrator, lee):
    claim = claim_void(actor=administrator, claim=_sent_claim(administrator, lee))
    assert claim.batch.status == ClaimBatch.Status.VALID, claim.batch.errors
    _matches_fixture("void.txt", pin(claim.batch, control_number=125, prefix="VOI"))


def test_a_broken_file_is_rejected_with_the_segment_named():
    text = (FIXTURES / "per_diem.txt").read_text()
    broken = text.replace("*UN*1***1:2~", "*UN*1~").replace(
        "SV1*HC:H0015:HF*250", "SV1*HC:H0015:HF*abc"
    )
    findings = pyx12_findings(broken)
    assert {f["segment"].split(" ")[0] for f in findings} == {"SV1"}
    assert all(f["claim"] == "CLM0001" for f in findings)
    messages = " ".join(f["message"] + " " + f["detail"] for f in findings)
    assert "Diagnosis Code Pointer" in messages
    assert "characters that are not allowed" in messages


def test_a_claim_without_a_diagnosis_pointer_is_refused_before_pyx12(administrator, lee):
    _client, coverage = covered_client()
    ready(coverage, rendering=lee)
    batch = batch_build(actor=administrator).batch
    line = batch.claims.get().lines.get()
    line.diagnosis_pointers = []
    line.save(update_fields=["diagnosis_pointers"])
    from billing.services.claims.files import write_batch_file

    batch = write_batch_file(batch)
    assert batch.status == ClaimBatch.Status.INVALID
    segments = {error["segment"] for error in batch.errors}
    assert "SV1 (service line 1)" in segments
    assert any(s.startswith("SV1 (line ") for s in segments)


def test_a_client_without_an_address_is_named_in_plain_words(administrator, lee):
    _client, coverage = covered_client(address=False)
    ready(coverage, rendering=lee)
    batch = batch_build(actor=administrator).batch
    assert batch.status == ClaimBatch.Status.INVALID
    assert any("no complete address" in error["message"] for error in batch.errors)


def test_elements_never_carry_a_delimiter():
    assert clean("A*B~C:D^E\nF") == "A B C D E F"
    assert segment("NM1", "IL", "", ("a", "", "")) == "NM1*IL**a~\n"
    assert amount("250.00") == "250" and amount("12.50") == "12.5"


def test_the_day_used_is_the_fixed_one():
    assert DAY.isoformat() == "2026-03-02"


def test_start_up_refuses_a_billing_provider_zip_without_nine_digits(settings):
    from billing.provider import check_billing_provider

    settings.BILLING_PROVIDER_ZIP = "62701"
    assert "billing.E007" in {error.id for error in check_billing_provider()}
    settings.BILLING_PROVIDER_ZIP = "627011234"
    assert check_billing_provider() == []


def test_names_with_accents_are_written_in_the_x12_character_set(administrator):
    rendering = clinician(username="ramirez")
    rendering.last_name = "Ramírez"
    rendering.save(update_fields=["last_name"])
    client, coverage = covered_client()
    client.legal_first_name, client.legal_last_name = "Héctor", "Villaseñor"
    client.save(update_fields=["legal_first_name", "legal_last_name"])
    ready(coverage, rendering=rendering)

    batch = batch_build(actor=administrator).batch

    assert batch.status == ClaimBatch.Status.VALID, batch.errors
    assert "NM1*IL*1*Villasenor*Hector" in batch.content
    assert "NM1*82*1*Ramirez*Jordan" in batch.content


def test_characters_outside_the_x12_set_never_reach_an_element():
    assert clean("Ramírez") == "Ramirez"
    assert clean("Zoë Nuñez-Ortiz") == "Zoe Nunez-Ortiz"
    assert clean("李 Wu") == "Wu"
