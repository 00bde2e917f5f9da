"""Coverage (US Core Coverage 6.1.0): a client's insurance as billing holds
it (billing.models.Coverage); the payer is an Organization. Who the client
is insured with is identity data: any consent in force for the recipient.

Codes, checked:
- type: Source of Payment Typology (PHDSC), the US Core "Payer" value set,
  system urn:oid:2.16.840.1.113883.3.221.5 (HL7 Terminology SOPT record):
  1 Medicare, 2 Medicaid, 5 private health insurance, 38 other government
  (federal, state, local not specified) for grant and state funding. Self-pay
  is code pay of http://terminology.hl7.org/CodeSystem/coverage-selfpay
  (the R4 self-pay Coverage example); managed care has no single SOPT code
  (Medicaid, Medicare or private), so it is given as text only.
- relationship: http://terminology.hl7.org/CodeSystem/subscriber-relationship
  (self, spouse, child, other), from the X12 individual relationship code.
- class: group and plan of http://terminology.hl7.org/CodeSystem/coverage-class.
- identifier: the member id, type MB (v2-0203 "Member Number"), the
  profile's memberid slice; subscriberId the same value.
"""

from billing.models import Coverage, Payer
from interop.api import params
from interop.api.registry import (
    IDENTITY,
    Include,
    ResourceType,
    SearchParam,
    Source,
    reference,
    register,
)
from interop.resources.local import local_system

PROFILE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-coverage"
SOPT = "urn:oid:2.16.840.1.113883.3.221.5"
SELF_PAY = "http://terminology.hl7.org/CodeSystem/coverage-selfpay"
RELATIONSHIP = "http://terminology.hl7.org/CodeSystem/subscriber-relationship"
COVERAGE_CLASS = "http://terminology.hl7.org/CodeSystem/coverage-class"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
MEMBER_ID_PATH = "sid/member-id"

PAYER_TYPES = {
    Payer.Kind.MEDICARE: (SOPT, "1", "Medicare"),
    Payer.Kind.MEDICAID: (SOPT, "2", "Medicaid"),
    Payer.Kind.COMMERCIAL: (SOPT, "5", "Private Health Insurance"),
    Payer.Kind.GRANT: (SOPT, "38", "Other Government (Federal, State, Local not specified)"),
    Payer.Kind.SELF_PAY: (SELF_PAY, "pay", "PAY"),
}
# X12 individual relationship code -> subscriber-relationship.
RELATIONSHIPS = {
    Coverage.Relationship.SELF: ("self", "Self"),
    Coverage.Relationship.SPOUSE: ("spouse", "Spouse"),
    Coverage.Relationship.CHILD: ("child", "Child"),
    Coverage.Relationship.EMPLOYEE: ("other", "Other"),
    Coverage.Relationship.LIFE_PARTNER: ("other", "Other"),
    Coverage.Relationship.OTHER: ("other", "Other"),
}


def _type(payer: Payer) -> dict:
    concept = {"text": payer.get_kind_display()}
    if payer.kind in PAYER_TYPES:
        system, code, display = PAYER_TYPES[payer.kind]
        concept["coding"] = [{"system": system, "code": code, "display": display}]
    return concept


def to_fhir(coverage: Coverage) -> dict:
    patient = {"reference": f"Patient/{coverage.client.public_id}"}
    payer = coverage.payer
    period = {"start": coverage.effective_from.isoformat()}
    if coverage.effective_to:
        period["end"] = coverage.effective_to.isoformat()
    resource = {
        "status": "active",
        "type": _type(coverage.payer),
        "beneficiary": patient,
        "period": period,
        "payor": [{"reference": f"Organization/{payer.public_id}", "display": payer.name}],
        "order": coverage.order,
    }
    if coverage.member_id:
        resource["identifier"] = [
            {
                "type": {"coding": [{"system": V2_0203, "code": "MB", "display": "Member Number"}]},
                "system": local_system(f"{MEMBER_ID_PATH}/{coverage.payer.public_id}"),
                "value": coverage.member_id,
            }
        ]
        resource["subscriberId"] = coverage.member_id
    if coverage.subscriber_relationship == Coverage.Relationship.SELF:
        resource["subscriber"] = patient
    if coverage.subscriber_relationship in RELATIONSHIPS:
        code, display = RELATIONSHIPS[coverage.subscriber_relationship]
        resource["relationship"] = {
            "coding": [{"system": RELATIONSHIP, "code": code, "display": display}]
        }
    classes = [
        _class("group", "Group", coverage.group_number),
        _class("plan", "Plan", coverage.plan_name),
    ]
    if any(classes):
        resource["class"] = [c for c in classes if c]
    return resource


def _class(code: str, display: str, value: str) -> dict | None:
    if not value:
        return None
    kind = {"coding": [{"system": COVERAGE_CLASS, "code": code, "display": display}]}
    return {"type": kind, "value": value, "name": value}


COVERAGE = register(
    ResourceType(
        name="Coverage",
        profiles=[PROFILE],
        sources=[
            Source(
                queryset=lambda: Coverage.objects.select_related("client", "payer"),
                client_path="client_id",
                category=IDENTITY,
                id_of=lambda coverage: str(coverage.public_id),
                id_filter=params.id_q,
                to_fhir=to_fhir,
                updated_field="created_at",
                order=("order", "-effective_from", "-id"),
                filters={"patient": params.patient_filter("client")},
            )
        ],
        params=[SearchParam("patient", "reference", "The client (Patient/<id>).")],
        includes=[
            Include("payor", "Organization", lambda r: [p["reference"] for p in r["payor"]]),
            Include("patient", "Patient", lambda r: reference(r.get("beneficiary"))),
        ],
    )
)
