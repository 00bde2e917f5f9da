"""Observation, category survey (US Core Observation Screening Assessment
6.1.0): every instrument total and every BAM composite of screening's
administrations, each derived from the administration's QuestionnaireResponse.

LOINC codes of the totals, each checked on loinc.org (term pages, 2026):
PHQ-9 44261-6, GAD-7 70274-6, AUDIT 75624-7 (panel 72110-0), AUDIT-C
75626-2 (panel 72109-2), DAST-10 82667-7 (panel 82666-9), PHQ-2 55758-7
(panel 55757-9). An AUDIT administration also gives its AUDIT-C total
(DOMAIN.md section 3: AUDIT-C is derived from the same administration).

Instruments and composites without a verified LOINC code carry a local
code in <SITE_URL>/fhir/CodeSystem/instrument-score:

- ``bam-use``: BAM Use composite, items 4 + 5 + 6 (0-12; any use at 1 or more)
- ``bam-risk``: BAM Risk composite, items 1 + 2 + 3 + 8 + 11 + 15 (0-24;
  concern at 12 or more)
- ``bam-protective``: BAM Protective composite, items 9 + 10 + 12 + 13 + 14
  + 16 (0-24; concern at 12 or less)
- ``ciwa-ar-total``: CIWA-Ar total (0-67)
- ``cows-total``: COWS total (0-48)
- ``c-ssrs-risk``: C-SSRS screener risk level (valueCodeableConcept: none,
  low, moderate, high, in <SITE_URL>/fhir/CodeSystem/instrument-band)

A score is valueQuantity in {score}, as US Core's own examples give it; the
band (severity, zone, concern) is the interpretation's text.
"""

from dataclasses import dataclass

from django.db.models import Q

from interop.api import params
from interop.api.registry import Source
from interop.resources.clinical import (
    LOINC,
    OBSERVATION_CATEGORY,
    SCORE_UNIT,
    fixed_token,
    local_system,
    matches,
    patient_reference,
    practitioner_reference,
    wanted_codes,
)
from screening.instruments import REGISTRY, score
from screening.models import InstrumentAdministration

PROFILE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-screening-assessment"
SCORE_SYSTEM = "instrument-score"
BAND_SYSTEM = "instrument-band"

LOINC_TOTALS = {
    "PHQ-9": ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
    "GAD-7": ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
    "AUDIT": ("75624-7", "Total score [AUDIT]"),
    "AUDIT-C": ("75626-2", "Total score [AUDIT-C]"),
    "DAST-10": ("82667-7", "Total score [DAST-10]"),
    "PHQ-2": ("55758-7", "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]"),
}
# The BAM composites, and the flag each raises when of concern.
COMPOSITES = {
    "use": ("BAM Use composite", "any_use"),
    "risk": ("BAM Risk composite", "high_risk"),
    "protective": ("BAM Protective composite", "low_protection"),
}


def total_coding(code: str) -> dict:
    if code in LOINC_TOTALS:
        loinc, display = LOINC_TOTALS[code]
        return {"system": LOINC, "code": loinc, "display": display}
    instrument = REGISTRY[code]
    kind = "total" if instrument.max_total is not None else "risk"
    return {
        "system": local_system(SCORE_SYSTEM),
        "code": f"{code.lower()}-{kind}",
        "display": f"{instrument.code} {kind}",
    }


def composite_coding(key: str) -> dict:
    label = COMPOSITES[key][0]
    return {"system": local_system(SCORE_SYSTEM), "code": f"bam-{key}", "display": label}


@dataclass(frozen=True)
class Reading:
    """What one survey Observation says of an administration."""

    total: int | None
    band: str
    band_label: str


def _own(row) -> Reading:
    return Reading(row.total, row.band, row.band_label)


def _audit_c(row) -> Reading:
    result = score("AUDIT-C", row.answers, sex=row.sex_used or None)
    return Reading(result.total, result.band, result.band_label)


def _composite(key: str):
    def read(row) -> Reading:
        concern = COMPOSITES[key][1] in (row.flags or [])
        label = "Of concern" if concern else "No concern"
        return Reading(row.subscales.get(key), "concern" if concern else "no_concern", label)

    return read


def _resource(row, coding: dict, reading: Reading) -> dict:
    resource = {
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": {"coding": [coding], "text": coding["display"]},
        "subject": patient_reference(row.client),
        "effectiveDateTime": row.administered_at.isoformat(),
        "derivedFrom": [{"reference": f"QuestionnaireResponse/{row.public_id}"}],
    }
    performer = practitioner_reference(row.administered_by)
    if performer:
        resource["performer"] = [performer]
    if reading.total is not None:
        resource["valueQuantity"] = {"value": reading.total, **SCORE_UNIT}
        if reading.band_label:
            resource["interpretation"] = [{"text": reading.band_label}]
    else:
        # A risk level, not a sum (C-SSRS).
        resource["valueCodeableConcept"] = {
            "coding": [
                {
                    "system": local_system(BAND_SYSTEM),
                    "code": reading.band,
                    "display": reading.band_label,
                }
            ],
            "text": reading.band_label,
        }
    return resource


def coding_key(coding: dict) -> dict:
    return {"system": coding["system"], "code": coding["code"]}


def _source(suffix: str, codings: dict[str, dict], read) -> Source:
    """A Source of administrations of the `codings` instruments (code ->
    the Observation's coding); ids are the administration's uuid + suffix."""

    def to_fhir(row):
        return _resource(row, codings[row.code], read(row))

    def code_filter(queryset, value):
        wanted = wanted_codes(value)
        return queryset.filter(
            code__in=[c for c, coding in codings.items() if matches(wanted, **coding_key(coding))]
        )

    def id_filter(value):
        if suffix and not value.endswith(suffix):
            return None
        q = params.id_q(value.removesuffix(suffix) if suffix else value)
        return q & Q(code__in=list(codings)) if q is not None else None

    return Source(
        queryset=lambda: InstrumentAdministration.objects.filter(
            code__in=list(codings)
        ).select_related("client", "administered_by"),
        client_path="client_id",
        category="screening",
        id_of=lambda row: f"{row.public_id}{suffix}",
        id_filter=id_filter,
        to_fhir=to_fhir,
        profiles=[PROFILE],
        updated_field="administered_at",
        order=("-administered_at", "-id"),
        filters={
            "patient": params.patient_filter("client"),
            "category": fixed_token(OBSERVATION_CATEGORY, "survey"),
            "code": code_filter,
            "date": lambda qs, value: qs.filter(params.date_q("date", value, "administered_at")),
            "status": fixed_token("http://hl7.org/fhir/observation-status", "final"),
        },
    )


def sources() -> list[Source]:
    totals = {code: total_coding(code) for code in REGISTRY if code != "BAM"}
    return [
        _source("", totals, _own),
        _source("-auditc", {"AUDIT": total_coding("AUDIT-C")}, _audit_c),
        *(
            _source(f"-{key}", {"BAM": composite_coding(key)}, _composite(key))
            for key in COMPOSITES
        ),
    ]
