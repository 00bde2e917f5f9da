"""QuestionnaireResponse, CarePlan, Goal and MedicationStatement through the
API: validated, US Core must-support elements, Part 2 labels, each search
parameter matching and missing, bad values, and query counts at 1x and 10x."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interop.api.labels import is_part2_labelled
from interop.resources import careplans, medications, questionnaires
from iop.clients.models import Medication, Objective
from iop.clients.services.plans import plan_start_draft
from tests.factories import EpisodeFactory
from tests.family.factories import consent_for
from tests.interop.clinical_data import administer, drug_test, prescribe, signed_plan
from tests.interop.support import fhir_get, resources_of, validated


def search(http, headers, resource_type, **params):
    bundle, response = fhir_get(http, resource_type, headers, _count=200, **params)
    assert response.status_code == 200, bundle
    found = resources_of(bundle)
    for resource in found:
        validated(resource)
        assert is_part2_labelled(resource)
    return [r for r in found if r["resourceType"] == resource_type], found


def ids(found):
    return [r["id"] for r in found]


def status_400(http, headers, resource_type, **params):
    body, response = fhir_get(http, resource_type, headers, **params)
    return response.status_code == 400 and body["resourceType"] == "OperationOutcome"


# QuestionnaireResponse


def test_questionnaire_response_holds_each_answer_of_the_administration(
    client, headers, patient, staff
):
    phq = administer(patient, "PHQ-9", actor=staff)
    dast = administer(patient, "DAST-10", actor=staff, source="link")

    found, _all = search(client, headers, "QuestionnaireResponse", patient=str(patient.public_id))

    by_id = {r["id"]: r for r in found}
    response = by_id[str(phq.public_id)]
    assert response["meta"]["profile"] == [questionnaires.PROFILE]
    assert response["status"] == "completed"
    assert response["questionnaire"] == questionnaires.questionnaire_url("PHQ-9", phq.version)
    assert response["questionnaire"].startswith(f"{settings.SITE_URL}/fhir/Questionnaire/phq-9|")
    assert " " not in response["questionnaire"]
    assert response["subject"] == {"reference": f"Patient/{patient.public_id}"}
    assert response["authored"] == phq.administered_at.isoformat()
    assert [i["linkId"] for i in response["item"]] == [str(k) for k in range(1, 10)]
    assert response["item"][0]["answer"] == [{"valueInteger": 1}]
    assert response["item"][0]["text"]
    self_report = by_id[str(dast.public_id)]
    assert self_report["author"] == {"reference": f"Patient/{patient.public_id}"}
    assert self_report["item"][2]["answer"][0]["valueCoding"]["code"] == "no"
    assert self_report["item"][2]["answer"][0]["valueCoding"]["display"] == "No"


def test_questionnaire_response_authored_and_id_parameters(client, headers, patient, staff):
    old = administer(patient, "GAD-7", actor=staff, days_ago=60)
    new = administer(patient, "GAD-7", actor=staff, days_ago=1)
    pid = str(patient.public_id)
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()

    recent, _all = search(
        client, headers, "QuestionnaireResponse", patient=pid, authored=f"ge{since}"
    )
    earlier, _all = search(
        client, headers, "QuestionnaireResponse", patient=pid, authored=f"lt{since}"
    )
    by_id, _all = search(client, headers, "QuestionnaireResponse", _id=str(old.public_id))

    assert ids(recent) == [str(new.public_id)]
    assert ids(earlier) == [str(old.public_id)]
    assert ids(by_id) == [str(old.public_id)]
    other = EpisodeFactory().client
    assert search(client, headers, "QuestionnaireResponse", patient=str(other.public_id))[0] == []
    assert status_400(client, headers, "QuestionnaireResponse", authored="soon")


# CarePlan and Goal


def test_care_plan_has_us_core_elements_and_its_goals(client, headers, patient, staff):
    plan = signed_plan(patient, actor=staff, goals=2)

    found, everything = search(
        client, headers, "CarePlan", patient=str(patient.public_id), _include="CarePlan:goal"
    )

    [care_plan] = found
    assert care_plan["id"] == str(plan.public_id)
    assert care_plan["meta"]["profile"] == [careplans.CAREPLAN_PROFILE]
    assert care_plan["text"]["status"] == "generated"
    assert "Drinks daily to sleep" in care_plan["text"]["div"]
    assert care_plan["status"] == "active"
    assert care_plan["intent"] == "plan"
    assert care_plan["category"][0]["coding"][0]["system"] == careplans.CATEGORY_SYSTEM
    assert care_plan["category"][0]["coding"][0]["code"] == "assess-plan"
    assert care_plan["subject"] == {"reference": f"Patient/{patient.public_id}"}
    assert care_plan["period"] == {"start": timezone.localdate().isoformat()}
    goals = [r for r in everything if r["resourceType"] == "Goal"]
    assert sorted(f"Goal/{g['id']}" for g in goals) == sorted(
        g["reference"] for g in care_plan["goal"]
    )
    assert len(goals) == 2


def test_goal_has_lifecycle_description_subject_and_target_dates(client, headers, patient, staff):
    plan = signed_plan(patient, actor=staff)

    [goal], _all = search(client, headers, "Goal", patient=str(patient.public_id))

    objective = Objective.objects.get(goal__problem__plan=plan)
    assert goal["id"] == f"{plan.public_id}-1-1"
    assert goal["meta"]["profile"] == [careplans.GOAL_PROFILE]
    assert goal["lifecycleStatus"] == "active"
    assert goal["description"] == {"text": "Sleep well 0"}
    assert goal["subject"] == {"reference": f"Patient/{patient.public_id}"}
    assert goal["startDate"] == timezone.localdate().isoformat()
    assert goal["target"] == [
        {"measure": {"text": objective.statement}, "dueDate": objective.target_date.isoformat()}
    ]
    read, response = fhir_get(client, f"Goal/{goal['id']}", headers)
    assert response.status_code == 200 and read["id"] == goal["id"]


def test_a_new_plan_version_revokes_the_old_one_and_cancels_its_goals(
    client, headers, patient, staff
):
    first = signed_plan(patient, actor=staff)
    second = signed_plan(patient, actor=staff)
    Objective.objects.filter(goal__problem__plan=second).update(status=Objective.Status.MET)
    pid = str(patient.public_id)

    plans, _all = search(client, headers, "CarePlan", patient=pid)
    active, _all = search(client, headers, "CarePlan", patient=pid, status="active")
    cancelled, _all = search(
        client, headers, "Goal", patient=pid, **{"lifecycle-status": "cancelled"}
    )
    completed, _all = search(
        client, headers, "Goal", patient=pid, **{"lifecycle-status": "completed"}
    )

    assert {p["id"]: p["status"] for p in plans} == {
        str(first.public_id): "revoked",
        str(second.public_id): "active",
    }
    assert ids(active) == [str(second.public_id)]
    assert ids(cancelled) == [f"{first.public_id}-1-1"]
    assert ids(completed) == [f"{second.public_id}-1-1"]
    assert [g["lifecycleStatus"] for g in completed] == ["completed"]
    assert search(client, headers, "Goal", patient=pid, **{"lifecycle-status": "active"})[0] == []


def test_care_plan_and_goal_search_parameters_match_and_miss(client, headers, patient, staff):
    plan = signed_plan(patient, actor=staff)
    pid = str(patient.public_id)
    due = Objective.objects.get(goal__problem__plan=plan).target_date
    category = f"{careplans.CATEGORY_SYSTEM}|assess-plan"

    assert len(search(client, headers, "CarePlan", patient=pid, category=category)[0]) == 1
    assert search(client, headers, "CarePlan", patient=pid, category="encounter")[0] == []
    assert len(search(client, headers, "CarePlan", patient=pid, date=f"le{due}")[0]) == 1
    assert search(client, headers, "CarePlan", patient=pid, date=f"gt{due}")[0] == []
    assert len(search(client, headers, "CarePlan", _id=str(plan.public_id))[0]) == 1
    assert (
        len(search(client, headers, "Goal", patient=pid, **{"target-date": due.isoformat()})[0])
        == 1
    )
    assert search(client, headers, "Goal", patient=pid, **{"target-date": f"gt{due}"})[0] == []
    assert len(search(client, headers, "Goal", _id=f"{plan.public_id}-1-1")[0]) == 1
    assert search(client, headers, "Goal", _id=f"{plan.public_id}-9-9")[0] == []
    assert status_400(client, headers, "Goal", **{"target-date": "someday"})
    assert status_400(client, headers, "CarePlan", patient="Group/1")


def test_a_draft_plan_is_not_published(client, headers, patient, staff):
    plan_start_draft(actor=staff, episode=patient.episodes.get())

    assert search(client, headers, "CarePlan", patient=str(patient.public_id))[0] == []


# MedicationStatement


def test_medication_statement_from_a_medication(client, headers, patient, staff):
    medication = prescribe(patient, actor=staff, drug=Medication.Drug.NALTREXONE_XR)

    [statement], _all = search(
        client, headers, "MedicationStatement", patient=str(patient.public_id)
    )

    assert statement["id"] == str(medication.public_id)
    assert statement["meta"]["profile"] == [medications.PROFILE]
    assert statement["status"] == "active"
    assert statement["medicationCodeableConcept"] == {
        "text": "Naltrexone, extended-release injection"
    }
    assert statement["subject"] == {"reference": f"Patient/{patient.public_id}"}
    assert statement["effectivePeriod"] == {"start": medication.start_date.isoformat()}
    assert statement["informationSource"] == {"display": "Dr. Lee"}
    assert statement["dosage"] == [{"text": "16 mg, daily"}]
    assert statement["note"][0]["text"].startswith("Next injection due")


def test_medication_statement_status_follows_the_dates(client, headers, patient, staff):
    today = timezone.localdate()
    current = prescribe(patient, actor=staff)
    ended = prescribe(patient, actor=staff, stop_date=today - datetime.timedelta(days=3))
    planned = prescribe(patient, actor=staff, days_ago=-5)
    pid = str(patient.public_id)

    def with_status(value):
        return ids(search(client, headers, "MedicationStatement", patient=pid, status=value)[0])

    assert with_status("active") == [str(current.public_id)]
    assert with_status("completed") == [str(ended.public_id)]
    assert with_status("intended") == [str(planned.public_id)]
    assert with_status("stopped") == []
    found = search(client, headers, "MedicationStatement", _id=str(ended.public_id))[0]
    assert [s["status"] for s in found] == ["completed"]
    assert status_400(client, headers, "MedicationStatement", patient="Patient/nope")


# Query counts


def _queries(http, headers, resource_type, **params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        _found, everything = search(http, headers, resource_type, **params)
    return len(queries), len(everything)


@pytest.mark.parametrize(
    ("resource_type", "params"),
    [
        ("QuestionnaireResponse", {}),
        ("CarePlan", {"_include": "CarePlan:goal"}),
        ("Goal", {}),
        ("MedicationStatement", {}),
    ],
)
def test_search_page_query_count_does_not_grow_with_resources(
    client, headers, staff, resource_type, params
):
    def add(n):
        for _ in range(n):
            patient = EpisodeFactory().client
            administer(patient, "PHQ-9", actor=staff)
            signed_plan(patient, actor=staff, goals=2)
            prescribe(patient, actor=staff)

    add(1)
    small, small_found = _queries(client, headers, resource_type, **params)
    add(9)
    large, large_found = _queries(client, headers, resource_type, **params)

    assert large_found == 10 * small_found
    assert large == small


# A Patient's whole record in one search


REVINCLUDES = [
    "Observation:patient",
    "QuestionnaireResponse:patient",
    "CarePlan:patient",
    "Goal:patient",
    "MedicationStatement:patient",
    "Consent:patient",
]


def test_a_patient_search_takes_every_clinical_type_as_revinclude(client, headers, patient, staff):
    administer(patient, "PHQ-9", actor=staff)
    drug_test(patient, actor=staff)
    signed_plan(patient, actor=staff)
    prescribe(patient, actor=staff)
    consent_for(patient, actor=staff)

    bundle, response = fhir_get(
        client, "Patient", headers, _id=str(patient.public_id), _revinclude=REVINCLUDES
    )

    assert response.status_code == 200, bundle
    found = resources_of(bundle)
    for resource in found:
        validated(resource)
    kinds = sorted({r["resourceType"] for r in found})
    assert kinds == sorted(["Patient", *(name.split(":")[0] for name in REVINCLUDES)])
    assert len([r for r in found if r["resourceType"] == "Observation"]) == 5


def test_last_updated_reads_the_row_or_its_parent(client, headers, patient, staff):
    drug_test(patient, actor=staff)
    signed_plan(patient, actor=staff)
    today = timezone.localdate().isoformat()

    for resource_type in ("Observation", "Goal", "CarePlan"):
        assert search(client, headers, resource_type, _lastUpdated=f"ge{today}")[0]
        assert not search(client, headers, resource_type, _lastUpdated=f"lt{today}")[0]
