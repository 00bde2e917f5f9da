"""Test data and request helpers for the administrative and encounter
resources (Practitioner, Organization, EpisodeOfCare, Encounter, Condition,
Coverage): records made the way the app's services leave them, and searches
whose every returned resource is validated with fhir.resources."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iop.accounts import roles
from iop.clients.models import Appointment, Diagnosis, SessionNote
from tests.factories import EpisodeFactory, UserFactory
from tests.interop.support import bearer, fhir_get, register_client, resources_of, validated


def internal_headers(http) -> dict:
    return bearer(http, register_client())


def search(http, headers, path: str, resource_type: str, **params) -> list[dict]:
    """The matches of a search (200 asserted), every resource validated."""
    bundle, response = fhir_get(http, path, headers, **params)
    assert response.status_code == 200, bundle
    found = resources_of(bundle, resource_type)
    for resource in resources_of(bundle):
        validated(resource)
    return found


def ids(resources: list[dict]) -> set[str]:
    return {r["id"] for r in resources}


def bad_request(http, headers, path: str, **params) -> dict:
    body, response = fhir_get(http, path, headers, **params)
    assert response.status_code == 400, body
    assert body["resourceType"] == "OperationOutcome"
    return body


def queries_of(http, headers, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        _body, response = fhir_get(http, path, headers, **params)
    assert response.status_code == 200
    return len(captured)


def codings(concept: dict) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


def counselor(**fields):
    return UserFactory(roles=[roles.COUNSELOR], **fields)


def at(days_ago: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def appointment(
    episode=None,
    *,
    staff=None,
    kind=Appointment.Kind.INDIVIDUAL,
    status=Appointment.Status.ATTENDED,
    starts_at=None,
    note_code=None,
) -> Appointment:
    episode = episode or EpisodeFactory()
    staff = staff or counselor()
    made = Appointment.objects.create(
        client=episode.client,
        episode=episode,
        kind=kind,
        starts_at=starts_at or at(3),
        duration_minutes=50,
        counselor=staff,
        status=status,
    )
    if note_code:
        SessionNote.objects.create(
            appointment=made, author=staff, data="d", service_code=note_code, minutes=50, units=3
        )
    return made


def diagnosis(episode=None, *, made_by=None, **fields) -> Diagnosis:
    episode = episode or EpisodeFactory()
    values = {
        "kind": Diagnosis.Kind.SUD,
        "icd10_code": "F10.20",
        "description": "Alcohol dependence, uncomplicated",
        "substance_class": "alcohol",
        "criteria_met": ["craving", "larger_amounts", "cut_down", "time_spent"],
        "severity": "moderate",
        "date_made": timezone.localdate() - datetime.timedelta(days=20),
        "status": Diagnosis.Status.CONFIRMED,
        "rank": 1,
        **fields,
    }
    return Diagnosis.objects.create(
        client=episode.client, episode=episode, made_by=made_by or counselor(), **values
    )
