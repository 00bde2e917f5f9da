"""MedicationStatement (base FHIR R4: US Core 6.1.0 has no MedicationStatement
profile) for each medication for addiction treatment on record.

The medication is text (its name as recorded): no RxNorm code was verified
for these ingredients, so none is claimed. Status from the dates, in the
program's time zone: "intended" before the start date, "active" from it
while there is no stop date in the past, "completed" once the stop date has
passed (FHIR medication-statement-status: no longer being taken). The
prescriber, often outside the program, is the information source (named,
not referenced); dose and schedule are the dosage text.
"""

from django.db.models import Q
from django.utils import timezone

from interop.api import params
from interop.api.registry import ResourceType, SearchParam, Source, register
from interop.resources.clinical import patient_reference, wanted_codes
from iop.clients.models import Medication

PROFILE = "http://hl7.org/fhir/StructureDefinition/MedicationStatement"


def status_of(medication, today=None) -> str:
    today = today or timezone.localdate()
    if medication.start_date > today:
        return "intended"
    if medication.stop_date is not None and medication.stop_date < today:
        return "completed"
    return "active"


def status_q(status: str) -> Q:
    """The same rule as status_of(), as SQL."""
    today = timezone.localdate()
    return {
        "intended": Q(start_date__gt=today),
        "completed": Q(start_date__lte=today, stop_date__lt=today),
        "active": Q(start_date__lte=today) & (Q(stop_date__isnull=True) | Q(stop_date__gte=today)),
    }.get(status, Q(pk__in=[]))


def to_fhir(medication) -> dict:
    name = medication.other_name or medication.get_drug_display()
    period = {"start": medication.start_date.isoformat()}
    if medication.stop_date:
        period["end"] = medication.stop_date.isoformat()
    resource = {
        "status": status_of(medication),
        "medicationCodeableConcept": {"text": str(name)},
        "subject": patient_reference(medication.client),
        "effectivePeriod": period,
        "dateAsserted": medication.created_at.isoformat(),
        "informationSource": {"display": medication.prescriber_name},
        "dosage": [{"text": f"{medication.dose}, {medication.schedule}"}],
    }
    if medication.next_injection_due:
        resource["note"] = [
            {"text": f"Next injection due {medication.next_injection_due.isoformat()}."}
        ]
    return resource


def _status(queryset, value):
    q = Q(pk__in=[])
    for _system, code in wanted_codes(value):
        q |= status_q(code)
    return queryset.filter(q)


MEDICATION_STATEMENT = register(
    ResourceType(
        name="MedicationStatement",
        profiles=[PROFILE],
        sources=[
            Source(
                queryset=lambda: Medication.objects.select_related("client"),
                client_path="client_id",
                category="medications",
                id_of=lambda medication: str(medication.public_id),
                id_filter=params.id_q,
                to_fhir=to_fhir,
                updated_field="created_at",
                order=("-start_date", "-id"),
                filters={
                    "patient": params.patient_filter("client"),
                    "status": _status,
                },
            )
        ],
        params=[
            SearchParam("patient", "reference", "The client (Patient/<id>)."),
            SearchParam("status", "token", "intended, active or completed (from the dates)."),
        ],
    )
)
