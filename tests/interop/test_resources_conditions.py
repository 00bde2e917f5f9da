"""Condition through the API: the US Core problems profile's must-support
elements, ICD-10-CM and HL7 codes, Part 2 labels, every search parameter
(a match and a miss), _include, errors and constant query counts."""

import datetime

import pytest
from django.utils import timezone

from interop.api.labels import is_part2_labelled
from interop.resources.conditions import CATEGORY_SYSTEM, CLINICAL, ICD10CM, VERIFICATION
from iop.clients.models import Diagnosis
from tests.factories import EpisodeFactory
from tests.interop.core_data import (
    bad_request,
    codings,
    counselor,
    diagnosis,
    ids,
    internal_headers,
    queries_of,
    search,
)
from tests.interop.support import fhir_get

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def test_a_diagnosis_is_a_us_core_problem_with_its_icd10_code_and_part2_labels(client):
    staff = counselor()
    made = diagnosis(made_by=staff)
    [found] = search(client, internal_headers(client), "Condition", "Condition")
    assert found["id"] == str(made.public_id)
    assert found["meta"]["profile"] == [
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-problems-health-concerns"
    ]
    assert codings(found["code"]) == {(ICD10CM, "F10.20")}
    assert codings(found["clinicalStatus"]) == {(CLINICAL, "active")}
    assert codings(found["verificationStatus"]) == {(VERIFICATION, "confirmed")}
    assert codings(found["category"][0]) == {(CATEGORY_SYSTEM, "problem-list-item")}
    assert found["subject"]["reference"] == f"Patient/{made.client.public_id}"
    assert found["onsetDateTime"] == made.date_made.isoformat()
    assert found["recordedDate"] == made.date_made.isoformat()
    assert found["recorder"]["reference"] == f"Practitioner/{staff.public_id}"
    assert "abatementDateTime" not in found
    assert is_part2_labelled(found)


def test_proposed_resolved_and_remitted_diagnoses_say_so(client):
    episode = EpisodeFactory()
    proposed = diagnosis(episode, status=Diagnosis.Status.PROPOSED)
    resolved = diagnosis(
        episode, rank=2, icd10_code="F12.20", date_resolved=_days(2), substance_class="cannabis"
    )
    remitted = diagnosis(
        episode, rank=3, icd10_code="F11.21", remission="early", substance_class="opioid"
    )
    found = {r["id"]: r for r in search(client, internal_headers(client), "Condition", "Condition")}
    assert codings(found[str(proposed.public_id)]["verificationStatus"]) == {
        (VERIFICATION, "provisional")
    }
    assert codings(found[str(resolved.public_id)]["clinicalStatus"]) == {(CLINICAL, "resolved")}
    assert found[str(resolved.public_id)]["abatementDateTime"] == _days(2).isoformat()
    assert codings(found[str(remitted.public_id)]["clinicalStatus"]) == {(CLINICAL, "remission")}


def test_condition_search_parameters_match_and_miss(client):
    episode = EpisodeFactory()
    current = diagnosis(episode, date_made=_days(10))
    resolved = diagnosis(
        episode,
        rank=2,
        icd10_code="F12.20",
        substance_class="cannabis",
        date_made=_days(100),
        date_resolved=_days(50),
    )
    other = diagnosis(icd10_code="F14.20", substance_class="cocaine", date_made=_days(10))
    headers = internal_headers(client)
    patient = f"Patient/{episode.client.public_id}"
    both = {current, resolved}
    for params, expected in (
        ({"patient": patient}, both),
        ({"patient": f"Patient/{other.episode.public_id}"}, set()),
        ({"patient": patient, "category": "problem-list-item"}, both),
        ({"patient": patient, "category": f"{CATEGORY_SYSTEM}|encounter-diagnosis"}, set()),
        ({"clinical-status": "active"}, {current, other}),
        ({"clinical-status": f"{CLINICAL}|resolved"}, {resolved}),
        ({"clinical-status": "relapse"}, set()),
        ({"code": f"{ICD10CM}|F12.20"}, {resolved}),
        ({"code": "F10.20,F14.20"}, {current, other}),
        ({"code": "http://snomed.info/sct|F10.20"}, set()),
        ({"onset-date": f"ge{_days(20).isoformat()}"}, {current, other}),
        ({"onset-date": _days(100).isoformat()}, {resolved}),
        ({"recorded-date": f"lt{_days(20).isoformat()}"}, {resolved}),
        ({"recorded-date": "2001-01"}, set()),
        ({"_id": str(other.public_id)}, {other}),
    ):
        found = search(client, headers, "Condition", "Condition", **params)
        assert ids(found) == {str(d.public_id) for d in expected}, params


def test_condition_includes_its_recorder_and_patient(client):
    staff = counselor()
    made = diagnosis(made_by=staff)
    bundle, response = fhir_get(
        client,
        "Condition",
        internal_headers(client),
        _include=["Condition:recorder", "Condition:patient"],
    )
    assert response.status_code == 200, bundle
    included = {(e["resource"]["resourceType"], e["resource"]["id"]) for e in bundle["entry"]}
    assert ("Practitioner", str(staff.public_id)) in included
    assert ("Patient", str(made.client.public_id)) in included


def test_condition_bad_parameters_are_400(client):
    headers = internal_headers(client)
    bad_request(client, headers, "Condition", **{"onset-date": "soon"})
    bad_request(client, headers, "Condition", **{"recorded-date": "xx2026"})
    bad_request(client, headers, "Condition", patient="Patient/")
    bad_request(client, headers, "Condition", severity="mild")


def test_a_condition_page_costs_the_same_queries_for_ten_times_the_diagnoses(client):
    diagnosis()
    headers = internal_headers(client)
    include = {"_include": ["Condition:recorder", "Condition:patient"]}
    once = queries_of(client, headers, "Condition", **include)
    for _ in range(10):
        diagnosis()
    assert queries_of(client, headers, "Condition", **include) == once
