"""QuestionnaireResponse (US Core QuestionnaireResponse 6.1.0): the answers
of one instrument administration, from which its survey Observations are
derived (Observation.derivedFrom).

The questionnaire is a canonical of this server's per instrument and
version (<SITE_URL>/fhir/Questionnaire/<code>|<version, URL-quoted>), whose linkIds are
the instrument's item keys ("1", "2", ... as screening.instruments defines
them). LOINC's panels (PHQ-9 44249-1, GAD-7 69737-5, AUDIT 72110-0, AUDIT-C
72109-2, DAST-10 82666-9, PHQ-2 55757-9, at http://loinc.org/q/<panel>)
are not claimed: their linkIds are LOINC item codes, not ours.

Answers: points as valueInteger; a yes/no or other keyed option as
valueCoding in <SITE_URL>/fhir/CodeSystem/instrument-answer (the option's
key, its label as display). The author is the client for a self-report
link or the clinic tablet, otherwise the staff member once staff have
public ids.
"""

import contextlib
from urllib.parse import quote

from django.conf import settings

from interop.api import params
from interop.api.registry import ResourceType, SearchParam, Source, register
from interop.resources.clinical import local_system, patient_reference, practitioner_reference
from screening.instruments import REGISTRY
from screening.models import InstrumentAdministration

PROFILE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-questionnaireresponse"
ANSWER_SYSTEM = "instrument-answer"
SELF_REPORTED = (InstrumentAdministration.Source.LINK, InstrumentAdministration.Source.KIOSK)


def questionnaire_url(code: str, version: str) -> str:
    # A canonical is a URI: the version ("PHQ-9 (Kroenke 2001)") is quoted.
    return f"{settings.SITE_URL}/fhir/Questionnaire/{code.lower()}|{quote(version, safe='')}"


def _answer(item, value) -> dict:
    if isinstance(value, int) and not isinstance(value, bool):
        return {"valueInteger": value}
    label = str(value)
    if item is not None:
        with contextlib.suppress(KeyError):
            label = item.option(value).label
    return {
        "valueCoding": {
            "system": local_system(ANSWER_SYSTEM),
            "code": str(value),
            "display": label,
        }
    }


def _items(row) -> list[dict]:
    instrument = REGISTRY.get(row.code)
    known = {item.key: item for item in instrument.items} if instrument else {}
    order = list(known) + sorted(k for k in row.answers if k not in known)
    items = []
    for key in order:
        if key not in row.answers or row.answers[key] in (None, ""):
            continue
        item = known.get(key)
        entry = {"linkId": key}
        if item is not None:
            entry["text"] = item.text
        entry["answer"] = [_answer(item, row.answers[key])]
        items.append(entry)
    return items


def to_fhir(row) -> dict:
    resource = {
        "questionnaire": questionnaire_url(row.code, row.version),
        "status": "completed",
        "subject": patient_reference(row.client),
        "authored": row.administered_at.isoformat(),
        "item": _items(row),
    }
    if row.source in SELF_REPORTED:
        resource["author"] = patient_reference(row.client)
        resource["source"] = patient_reference(row.client)
    else:
        author = practitioner_reference(row.administered_by)
        if author:
            resource["author"] = author
    if not resource["item"]:
        del resource["item"]
    return resource


QUESTIONNAIRE_RESPONSE = register(
    ResourceType(
        name="QuestionnaireResponse",
        profiles=[PROFILE],
        sources=[
            Source(
                queryset=lambda: InstrumentAdministration.objects.select_related(
                    "client", "administered_by"
                ),
                client_path="client_id",
                category="screening",
                id_of=lambda row: str(row.public_id),
                id_filter=params.id_q,
                to_fhir=to_fhir,
                updated_field="administered_at",
                order=("-administered_at", "-id"),
                filters={
                    "patient": params.patient_filter("client"),
                    "authored": lambda qs, value: qs.filter(
                        params.date_q("authored", value, "administered_at")
                    ),
                },
            )
        ],
        params=[
            SearchParam("patient", "reference", "The client (Patient/<id>)."),
            SearchParam("authored", "date", "When the instrument was answered."),
        ],
    )
)
