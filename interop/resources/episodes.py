"""EpisodeOfCare (FHIR R4 base; US Core has no profile for it): one per
episode of care, from referral through admission to discharge.

Status codes from http://hl7.org/fhir/episode-of-care-status (R4 value set
EpisodeOfCareStatus, checked): planned while screening (the organization
assesses eligibility), active once admitted, finished at discharge,
cancelled for an episode closed without an admission. The type is the ASAM
level of care (DOMAIN.md section 4) under a local code system: the ASAM
Criteria are proprietary and publish no FHIR code system."""

from django.db.models import Q
from django.db.models.functions import Coalesce

from interop.api import params
from interop.api.registry import Include, ResourceType, SearchParam, Source, reference, register
from interop.resources.local import (
    local_system,
    period_q,
    practitioner_reference,
    program_reference,
)
from iop.clients.models import Episode, LevelOfCare

PROFILE = "http://hl7.org/fhir/StructureDefinition/EpisodeOfCare"
CATEGORY = "attendance"
LEVEL_OF_CARE_PATH = "CodeSystem/level-of-care"
EPISODE_ID_PATH = "sid/episode"


def level_of_care_system() -> str:
    return local_system(LEVEL_OF_CARE_PATH)


def status_of(episode: Episode) -> str:
    if episode.phase == Episode.Phase.SCREENING:
        return "planned"
    if episode.phase == Episode.Phase.DISCHARGED:
        return "finished" if episode.admission_date else "cancelled"
    return "active"


def _period(start, end) -> dict:
    period = {"start": start.isoformat()}
    if end is not None:
        period["end"] = end.isoformat()
    return period


def status_history(episode: Episode) -> list[dict]:
    """Referral -> admission -> discharge, as the dates record them."""
    admitted, discharged = episode.admission_date, episode.discharge_date
    closed = episode.phase == Episode.Phase.DISCHARGED
    planned_until = admitted or (discharged if closed else None)
    history = [{"status": "planned", "period": _period(episode.referral_date, planned_until)}]
    if admitted:
        history.append({"status": "active", "period": _period(admitted, discharged)})
    if closed:
        ended = discharged or admitted or episode.referral_date
        history.append({"status": status_of(episode), "period": _period(ended, None)})
    return history


def to_fhir(episode: Episode) -> dict:
    start = episode.admission_date or episode.referral_date
    end = episode.discharge_date if episode.phase == Episode.Phase.DISCHARGED else None
    resource = {
        "identifier": [{"system": local_system(EPISODE_ID_PATH), "value": episode.case_id}],
        "status": status_of(episode),
        "statusHistory": status_history(episode),
        "patient": {"reference": f"Patient/{episode.client.public_id}"},
        "managingOrganization": program_reference(),
        "period": _period(start, end),
    }
    if episode.level_of_care:
        label = LevelOfCare(episode.level_of_care).label
        resource["type"] = [
            {
                "coding": [
                    {
                        "system": level_of_care_system(),
                        "code": episode.level_of_care,
                        "display": str(label),
                    }
                ],
                "text": f"ASAM level {label}",
            }
        ]
    care_manager = practitioner_reference(episode.primary_counselor)
    if care_manager:
        resource["careManager"] = care_manager
    return resource


STATUS_CONDITIONS = {
    "planned": Q(phase=Episode.Phase.SCREENING),
    "active": Q(phase__in=Episode.ACTIVE_PHASES),
    "finished": Q(phase=Episode.Phase.DISCHARGED, admission_date__isnull=False),
    "cancelled": Q(phase=Episode.Phase.DISCHARGED, admission_date__isnull=True),
}


def _status(queryset, value):
    q = Q(pk__in=[])
    for one in value.split(","):
        q |= STATUS_CONDITIONS.get(params.token(one)[1], Q(pk__in=[]))
    return queryset.filter(q)


def _date(queryset, value):
    return queryset.filter(period_q("date", value, "_start", "discharge_date", is_date=True))


def episodes():
    # The period as the resource states it: from admission (or referral,
    # before one) to discharge.
    return Episode.objects.select_related("client", "primary_counselor").annotate(
        _start=Coalesce("admission_date", "referral_date")
    )


EPISODE_OF_CARE = register(
    ResourceType(
        name="EpisodeOfCare",
        profiles=[PROFILE],
        sources=[
            Source(
                queryset=episodes,
                client_path="client_id",
                category=CATEGORY,
                id_of=lambda episode: str(episode.public_id),
                id_filter=params.id_q,
                to_fhir=to_fhir,
                updated_field="updated_at",
                order=("-referral_date", "-id"),
                filters={
                    "patient": params.patient_filter("client"),
                    "status": _status,
                    "date": _date,
                },
            )
        ],
        params=[
            SearchParam("patient", "reference", "The client (Patient/<id>)."),
            SearchParam("status", "token", "planned | active | finished | cancelled"),
            SearchParam("date", "date", "When the episode's period falls."),
        ],
        includes=[
            Include("care-manager", "Practitioner", lambda r: reference(r.get("careManager"))),
            Include("patient", "Patient", lambda r: reference(r.get("patient"))),
        ],
    )
)
