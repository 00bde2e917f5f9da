"""Condition (US Core Condition Problems and Health Concerns 6.1.0): the
diagnoses of an episode, ICD-10-CM coded (DOMAIN.md section 11).

Why the problems profile and not Encounter Diagnosis: a diagnosis here
belongs to the episode, not to one visit; it is kept over time, ranked,
confirmed and resolved (date_resolved), which is what a problem-list item
is ("can be managed over time"; an encounter diagnosis is "a point in time
diagnosis in context of an encounter", HL7 condition-category).

Codes, checked: category problem-list-item of
http://terminology.hl7.org/CodeSystem/condition-category (R4 value set
condition-category); clinicalStatus active | remission | resolved of
http://terminology.hl7.org/CodeSystem/condition-clinical and
verificationStatus provisional | confirmed of
http://terminology.hl7.org/CodeSystem/condition-ver-status (the US Core
6.1.0 profile's bindings, its comparison page with 7.0.0); ICD-10-CM
system http://hl7.org/fhir/sid/icd-10-cm, codes with their dot as the
Tabular List writes them.

onsetDateTime is the date the diagnosis was made: the earliest date the
record attests the condition (DSM-5-TR criteria look back 12 months, the
record does not say when they began)."""

from django.db.models import Q
from django.db.models.functions import Greatest

from interop.api import params
from interop.api.registry import Include, ResourceType, SearchParam, Source, reference, register
from interop.resources.local import practitioner_reference
from iop.clients.models import Diagnosis

PROFILE = (
    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-problems-health-concerns"
)
CATEGORY = "treatment_plan"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-category"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
PROBLEM = "problem-list-item"
CLINICAL_DISPLAY = {"active": "Active", "remission": "Remission", "resolved": "Resolved"}
VERIFICATION_CODES = {
    Diagnosis.Status.PROPOSED: ("provisional", "Provisional"),
    Diagnosis.Status.CONFIRMED: ("confirmed", "Confirmed"),
}
# clinicalStatus as SQL, mirroring clinical_status().
CLINICAL_Q = {
    "resolved": Q(date_resolved__isnull=False),
    "remission": Q(date_resolved__isnull=True) & ~Q(remission=""),
    "active": Q(date_resolved__isnull=True, remission=""),
}


def clinical_status(diagnosis: Diagnosis) -> str:
    """Resolved once it has a resolution date; a use disorder in early or
    sustained remission (DSM-5-TR specifier) is in remission; else active."""
    if diagnosis.date_resolved:
        return "resolved"
    return "remission" if diagnosis.remission else "active"


def _concept(system: str, code: str, display: str) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def to_fhir(diagnosis: Diagnosis) -> dict:
    status = clinical_status(diagnosis)
    verification, verification_display = VERIFICATION_CODES[diagnosis.status]
    resource = {
        "clinicalStatus": _concept(CLINICAL, status, CLINICAL_DISPLAY[status]),
        "verificationStatus": _concept(VERIFICATION, verification, verification_display),
        "category": [_concept(CATEGORY_SYSTEM, PROBLEM, "Problem List Item")],
        "code": {
            "coding": [
                {
                    "system": ICD10CM,
                    "code": diagnosis.icd10_code,
                    "display": diagnosis.description,
                }
            ],
            "text": str(diagnosis.label),
        },
        "subject": {"reference": f"Patient/{diagnosis.client.public_id}"},
        "onsetDateTime": diagnosis.date_made.isoformat(),
        "recordedDate": diagnosis.date_made.isoformat(),
    }
    if diagnosis.date_resolved:
        resource["abatementDateTime"] = diagnosis.date_resolved.isoformat()
    recorder = practitioner_reference(diagnosis.made_by)
    if recorder:
        resource["recorder"] = recorder
    return resource


def _category(queryset, value):
    wanted = {params.token(one) for one in value.split(",")}
    if any(code == PROBLEM and system in (None, CATEGORY_SYSTEM) for system, code in wanted):
        return queryset
    return queryset.none()


def _clinical_status(queryset, value):
    q = Q(pk__in=[])
    for one in value.split(","):
        system, code = params.token(one)
        if system in (None, CLINICAL):
            q |= CLINICAL_Q.get(code, Q(pk__in=[]))
    return queryset.filter(q)


def _code(queryset, value):
    tokens = map(params.token, value.split(","))
    codes = [code for system, code in tokens if system in (None, ICD10CM)]
    return queryset.filter(icd10_code__in=codes)


def _onset_date(queryset, value):
    return queryset.filter(params.date_q("onset-date", value, "date_made", is_date=True))


def _recorded_date(queryset, value):
    return queryset.filter(params.date_q("recorded-date", value, "date_made", is_date=True))


def diagnoses():
    return Diagnosis.objects.select_related("client", "made_by").annotate(
        # Made, then perhaps confirmed: the later is its last change
        # (PostgreSQL's GREATEST skips a NULL confirmed_at).
        _changed=Greatest("created_at", "confirmed_at")
    )


CONDITION = register(
    ResourceType(
        name="Condition",
        profiles=[PROFILE],
        sources=[
            Source(
                queryset=diagnoses,
                client_path="client_id",
                category=CATEGORY,
                id_of=lambda diagnosis: str(diagnosis.public_id),
                id_filter=params.id_q,
                to_fhir=to_fhir,
                updated_field="_changed",
                order=("-date_made", "rank", "-id"),
                filters={
                    "patient": params.patient_filter("client"),
                    "category": _category,
                    "clinical-status": _clinical_status,
                    "code": _code,
                    "onset-date": _onset_date,
                    "recorded-date": _recorded_date,
                },
            )
        ],
        params=[
            SearchParam("patient", "reference", "The client (Patient/<id>)."),
            SearchParam("category", "token", "problem-list-item (condition-category)."),
            SearchParam("clinical-status", "token", "active | remission | resolved"),
            SearchParam("code", "token", "The ICD-10-CM code (with its dot, e.g. F10.20)."),
            SearchParam("onset-date", "date", "When the diagnosis was made."),
            SearchParam("recorded-date", "date", "When the diagnosis was recorded."),
        ],
        includes=[
            Include("patient", "Patient", lambda r: reference(r.get("subject"))),
            Include("recorder", "Practitioner", lambda r: reference(r.get("recorder"))),
        ],
    )
)
