"""Observation, category laboratory (US Core Laboratory Result Observation
6.1.0): one per substance result of a drug test.

The substance is a local code (<SITE_URL>/fhir/CodeSystem/drug-test-substance,
the panel's values: amphetamine, methamphetamine, cocaine, opiates,
oxycodone, fentanyl, buprenorphine, methadone, benzodiazepines, cannabis,
alcohol_etg, breath_alcohol): no LOINC code per substance and specimen was
verified, so none is claimed. The result is valueCodeableConcept with the
v3 ObservationInterpretation codes POS / NEG (terminology.hl7.org
CodeSystem v3-ObservationInterpretation, "Positive" / "Negative"), also
given as the interpretation; an invalid specimen or a refusal has no value
and a dataAbsentReason (error / asked-declined, data-absent-reason).

A positive for a medication the client is prescribed is expected, not a
relapse signal (DOMAIN.md section 5): such a result carries the local
extension <SITE_URL>/fhir/StructureDefinition/expected-result
(valueBoolean true) and a note saying so. The specimen type is text; the
effective date the collection date.
"""

from django.db.models import F, Q

from interop.api import params
from interop.api.registry import Source
from interop.resources.clinical import (
    OBSERVATION_CATEGORY,
    fixed_token,
    local_extension,
    local_system,
    matches,
    patient_reference,
    wanted_codes,
)
from iop.clients.models import DrugTest, DrugTestResult, Substance

PROFILE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
SUBSTANCE_SYSTEM = "drug-test-substance"
EXPECTED_EXTENSION = "expected-result"

VALUES = {
    DrugTestResult.Result.POSITIVE: ("POS", "Positive"),
    DrugTestResult.Result.NEGATIVE: ("NEG", "Negative"),
}
ABSENT_REASONS = {
    DrugTestResult.Result.INVALID: ("error", "Error"),
    DrugTestResult.Result.REFUSED: ("asked-declined", "Asked But Declined"),
}
SPECIMENS = dict(DrugTest.Specimen.choices)
SUBSTANCES = dict(Substance.choices)


def _id(result) -> str:
    # Ids take no underscore ([A-Za-z0-9\-.]).
    return f"{result.test.public_id}-{result.substance.replace('_', '-')}"


def _id_filter(value: str) -> Q | None:
    test_id, substance = value[:36], value[37:].replace("-", "_")
    if value[36:37] != "-" or substance not in SUBSTANCES:
        return None
    q = params.id_q(test_id, "test__public_id")
    return q & Q(substance=substance) if q is not None else None


def to_fhir(result) -> dict:
    test = result.test
    label = str(SUBSTANCES.get(result.substance, result.substance))
    resource = {
        "status": "final",
        "category": [
            {
                "coding": [
                    {"system": OBSERVATION_CATEGORY, "code": "laboratory", "display": "Laboratory"}
                ]
            }
        ],
        "code": {
            "coding": [
                {
                    "system": local_system(SUBSTANCE_SYSTEM),
                    "code": result.substance,
                    "display": label,
                }
            ],
            "text": f"{label} drug screen ({SPECIMENS.get(test.specimen, test.specimen)})",
        },
        "subject": patient_reference(test.client),
        "effectiveDateTime": test.collected_on.isoformat(),
        "specimen": {"display": str(SPECIMENS.get(test.specimen, test.specimen))},
    }
    if result.result in VALUES:
        code, display = VALUES[result.result]
        concept = {"coding": [{"system": INTERPRETATION, "code": code, "display": display}]}
        resource["valueCodeableConcept"] = concept
        resource["interpretation"] = [concept]
    else:
        code, display = ABSENT_REASONS[result.result]
        resource["dataAbsentReason"] = {
            "coding": [{"system": ABSENT, "code": code, "display": display}],
            "text": str(DrugTestResult.Result(result.result).label),
        }
    if result.expected:
        resource["extension"] = [{"url": local_extension(EXPECTED_EXTENSION), "valueBoolean": True}]
        resource["note"] = [{"text": "Expected: the client is prescribed this medication."}]
    return resource


def _code(queryset, value):
    wanted = wanted_codes(value)
    system = local_system(SUBSTANCE_SYSTEM)
    return queryset.filter(substance__in=[s for s in SUBSTANCES if matches(wanted, system, s)])


def source() -> Source:
    return Source(
        # recorded_at annotated: the row's last change is its test's.
        queryset=lambda: DrugTestResult.objects.select_related("test__client").annotate(
            recorded_at=F("test__recorded_at")
        ),
        client_path="test__client_id",
        category="drug_tests",
        id_of=_id,
        id_filter=_id_filter,
        to_fhir=to_fhir,
        profiles=[PROFILE],
        updated_field="recorded_at",
        order=("-test__collected_on", "-test_id", "substance"),
        filters={
            "patient": params.patient_filter("test__client"),
            "category": fixed_token(OBSERVATION_CATEGORY, "laboratory"),
            "code": _code,
            "date": lambda qs, value: qs.filter(
                params.date_q("date", value, "test__collected_on", is_date=True)
            ),
            "status": fixed_token("http://hl7.org/fhir/observation-status", "final"),
        },
    )
