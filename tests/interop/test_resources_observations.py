"""Observation through the API: every instrument total and BAM composite
(category survey, with its LOINC code), drug-test results (category
laboratory, one per substance, expected positives marked), US Core's search
parameters, Part 2 labels, and query counts that do not grow with rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from family.models import Consent, Disclosure
from interop.api.labels import is_part2_labelled
from interop.models import ApiClient
from interop.resources import observations_lab, observations_survey
from interop.resources.clinical import (
    LOINC,
    OBSERVATION_CATEGORY,
    local_extension,
    local_system,
)
from tests.factories import EpisodeFactory
from tests.family.factories import consent_for
from tests.interop.clinical_data import administer, drug_test, prescribe
from tests.interop.support import bearer, fhir_get, register_client, resources_of, validated

# The LOINC totals issue 21 and DOMAIN.md section 14 name, and PHQ-2's.
LOINC_TOTALS = {
    "PHQ-9": "44261-6",
    "GAD-7": "70274-6",
    "AUDIT": "75624-7",
    "AUDIT-C": "75626-2",
    "DAST-10": "82667-7",
    "PHQ-2": "55758-7",
}
LOCAL = {"CIWA-Ar": "ciwa-ar-total", "COWS": "cows-total", "C-SSRS": "c-ssrs-risk"}
SURVEY = f"{OBSERVATION_CATEGORY}|survey"


def observations(http, headers, **params):
    bundle, response = fhir_get(http, "Observation", headers, _count=200, **params)
    assert response.status_code == 200, bundle
    found = resources_of(bundle, "Observation")
    for resource in found:
        validated(resource)
        assert is_part2_labelled(resource)
    return found


def by_code(found):
    return {r["code"]["coding"][0]["code"]: r for r in found}


def assert_survey_must_support(resource, patient):
    assert resource["meta"]["profile"] == [observations_survey.PROFILE]
    assert resource["status"] == "final"
    assert resource["category"][0]["coding"][0] == {
        "system": OBSERVATION_CATEGORY,
        "code": "survey",
        "display": "Survey",
    }
    assert resource["subject"] == {"reference": f"Patient/{patient.public_id}"}
    assert resource["effectiveDateTime"]
    assert "valueQuantity" in resource or "valueCodeableConcept" in resource
    assert resource["derivedFrom"][0]["reference"].startswith("QuestionnaireResponse/")


def test_every_instrument_total_is_a_survey_observation_with_its_loinc_code(
    client, headers, patient, staff
):
    for code in ("PHQ-9", "PHQ-2", "GAD-7", "AUDIT", "DAST-10", "CIWA-Ar", "COWS", "C-SSRS"):
        administer(patient, code, actor=staff)

    found = observations(client, headers, patient=f"Patient/{patient.public_id}", category=SURVEY)

    codes = by_code(found)
    for instrument, loinc in LOINC_TOTALS.items():
        coding = codes[loinc]["code"]["coding"][0]
        assert coding["system"] == LOINC, instrument
    for local in LOCAL.values():
        assert codes[local]["code"]["coding"][0]["system"] == local_system("instrument-score")
    for resource in found:
        assert_survey_must_support(resource, patient)
    assert codes["44261-6"]["valueQuantity"] == {
        "value": 8,
        "unit": "{score}",
        "system": "http://unitsofmeasure.org",
        "code": "{score}",
    }
    assert codes["44261-6"]["interpretation"] == [{"text": "Mild depression"}]
    assert codes["c-ssrs-risk"]["valueCodeableConcept"]["coding"][0]["code"] == "low"


def test_an_audit_also_gives_its_audit_c_total_from_the_same_answers(
    client, headers, patient, staff
):
    audit = administer(patient, "AUDIT", actor=staff)

    codes = by_code(observations(client, headers, patient=str(patient.public_id)))

    assert codes["75624-7"]["valueQuantity"]["value"] == 11
    assert codes["75626-2"]["valueQuantity"]["value"] == 4
    assert codes["75626-2"]["id"] == f"{audit.public_id}-auditc"
    assert codes["75626-2"]["derivedFrom"] == [
        {"reference": f"QuestionnaireResponse/{audit.public_id}"}
    ]


def test_bam_gives_its_three_composites_with_local_codes_and_concern(
    client, headers, patient, staff
):
    bam = administer(patient, "BAM", actor=staff)

    codes = by_code(observations(client, headers, patient=str(patient.public_id)))

    assert set(codes) == {"bam-use", "bam-risk", "bam-protective"}
    assert codes["bam-use"]["valueQuantity"]["value"] == 3
    assert codes["bam-risk"]["interpretation"] == [{"text": "Of concern"}]
    assert codes["bam-protective"]["valueQuantity"]["value"] == 24
    assert codes["bam-protective"]["interpretation"] == [{"text": "No concern"}]
    assert codes["bam-use"]["id"] == f"{bam.public_id}-use"
    for resource in codes.values():
        assert_survey_must_support(resource, patient)


def test_each_observation_id_reads_its_resource(client, headers, patient, staff):
    administer(patient, "BAM", actor=staff)
    administer(patient, "AUDIT", actor=staff)
    drug_test(patient, actor=staff)

    for resource in observations(client, headers, patient=str(patient.public_id)):
        read, response = fhir_get(client, f"Observation/{resource['id']}", headers)
        assert response.status_code == 200, read
        assert validated(read) and read["code"] == resource["code"]
    missing, response = fhir_get(client, "Observation/not-an-id", headers)
    assert response.status_code == 404


def test_drug_test_gives_one_laboratory_observation_per_substance(client, headers, patient, staff):
    prescribe(patient, actor=staff)
    test = drug_test(patient, actor=staff)

    found = observations(client, headers, patient=str(patient.public_id), category="laboratory")

    codes = by_code(found)
    assert set(codes) == {"buprenorphine", "cocaine", "fentanyl", "alcohol_etg"}
    for resource in found:
        assert resource["meta"]["profile"] == [observations_lab.PROFILE]
        assert resource["status"] == "final"
        assert resource["category"][0]["coding"][0]["code"] == "laboratory"
        assert resource["code"]["coding"][0]["system"] == local_system("drug-test-substance")
        assert resource["subject"]["reference"] == f"Patient/{patient.public_id}"
        assert resource["effectiveDateTime"] == test.collected_on.isoformat()
        assert resource["specimen"] == {"display": "Urine"}
    positive = codes["alcohol_etg"]
    assert positive["valueCodeableConcept"]["coding"][0]["code"] == "POS"
    assert positive["interpretation"][0]["coding"][0]["code"] == "POS"
    assert "extension" not in positive
    assert codes["cocaine"]["valueCodeableConcept"]["coding"][0]["code"] == "NEG"
    assert codes["fentanyl"]["dataAbsentReason"]["coding"][0]["code"] == "asked-declined"
    assert "valueCodeableConcept" not in codes["fentanyl"]
    expected = codes["buprenorphine"]
    assert expected["extension"] == [
        {"url": local_extension("expected-result"), "valueBoolean": True}
    ]
    assert expected["note"][0]["text"].startswith("Expected")


def test_patient_category_and_date_narrow_together(client, headers, patient, staff):
    administer(patient, "PHQ-9", actor=staff, days_ago=40)
    administer(patient, "GAD-7", actor=staff, days_ago=2)
    drug_test(patient, actor=staff, days_ago=2)
    other = EpisodeFactory().client
    administer(other, "GAD-7", actor=staff, days_ago=2)

    recent = observations(
        client,
        headers,
        patient=f"Patient/{patient.public_id}",
        category=SURVEY,
        date=f"ge{(patient.episodes.get().referral_date)}",
    )

    assert [r["code"]["coding"][0]["code"] for r in recent] == ["70274-6"]
    assert not observations(client, headers, patient=str(patient.public_id), category="vital-signs")


def test_code_status_and_id_parameters_match_and_miss(client, headers, patient, staff):
    phq = administer(patient, "PHQ-9", actor=staff)
    administer(patient, "GAD-7", actor=staff)
    drug_test(patient, actor=staff)
    pid = str(patient.public_id)

    assert [r["id"] for r in observations(client, headers, patient=pid, code="44261-6")] == [
        str(phq.public_id)
    ]
    assert len(observations(client, headers, patient=pid, code=f"{LOINC}|44261-6,70274-6")) == 2
    assert not observations(client, headers, patient=pid, code="http://snomed.info/sct|44261-6")
    cocaine = local_system("drug-test-substance") + "|cocaine"
    assert len(observations(client, headers, patient=pid, code=cocaine)) == 1
    assert len(observations(client, headers, patient=pid, status="final")) == 6
    assert not observations(client, headers, patient=pid, status="amended")
    assert len(observations(client, headers, _id=str(phq.public_id))) == 1


@pytest.mark.parametrize(
    "params",
    [
        {"date": "yesterday"},
        {"patient": "Practitioner/123"},
        {"patient": "not-a-uuid"},
        {"flavour": "x"},
    ],
)
def test_bad_search_values_are_a_400_operation_outcome(client, headers, params):
    bundle, response = fhir_get(client, "Observation", headers, **params)
    assert response.status_code == 400
    assert bundle["resourceType"] == "OperationOutcome"


def _search_queries(http, headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        found = observations(http, headers)
    return len(queries), len(found)


def test_search_page_query_count_does_not_grow_with_resources(client, headers, staff):
    def add(n):
        for _ in range(n):
            patient = EpisodeFactory().client
            for code in ("PHQ-9", "BAM", "AUDIT"):
                administer(patient, code, actor=staff)
            drug_test(patient, actor=staff)

    add(1)
    small, small_found = _search_queries(client, headers)
    add(9)
    large, large_found = _search_queries(client, headers)

    assert large_found == 10 * small_found
    assert large == small


def test_an_outside_recipient_gets_what_its_consent_covers_and_the_ledger_says_so(
    client, patient, staff
):
    administer(patient, "PHQ-9", actor=staff)
    prescribe(patient, actor=staff)
    drug_test(patient, actor=staff)
    consent_for(patient, actor=staff, categories=["screening"])
    probation = bearer(
        client,
        register_client(
            purpose=ApiClient.Purpose.TREATMENT,
            organization="County Probation",
            recipient_kind=Consent.RecipientKind.PROBATION,
        ),
    )

    found = observations(client, probation, patient=str(patient.public_id))

    assert [r["code"]["coding"][0]["code"] for r in found] == ["44261-6"]
    [row] = Disclosure.objects.filter(client=patient)
    assert row.categories == ["screening"]
