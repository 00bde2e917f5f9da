"""The US Core race, ethnicity and birth sex extensions on Patient, from
the latest episode's TEDS demographics."""

import datetime

import pytest
from django.utils import timezone

from iop.clients.models import Client, Episode
from tests.factories import ClientFactory, EpisodeFactory, answered_demographics
from tests.interop.core_data import internal_headers, queries_of, search

pytestmark = pytest.mark.django_db

US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition"
CDC_REC = "urn:oid:2.16.840.1.113883.6.238"
NULL_FLAVOR = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"


def _extension(patient: dict, name: str) -> dict:
    [found] = [e for e in patient.get("extension", []) if e["url"] == f"{US_CORE}/{name}"]
    return found


def _parts(extension: dict, url: str) -> list:
    return [
        (p["valueCoding"]["system"], p["valueCoding"]["code"]) if "valueCoding" in p else p
        for p in extension["extension"]
        if p["url"] == url
    ]


def test_race_ethnicity_and_birth_sex_are_us_core_extensions(client):
    episode = EpisodeFactory()
    answered_demographics(episode, race=["white", "black"], ethnicity="mexican")
    [patient] = search(client, internal_headers(client), "Patient", "Patient")
    race = _extension(patient, "us-core-race")
    assert _parts(race, "ombCategory") == [(CDC_REC, "2106-3"), (CDC_REC, "2054-5")]
    assert race["extension"][-1] == {
        "url": "text",
        "valueString": "White, Black or African American",
    }
    ethnicity = _extension(patient, "us-core-ethnicity")
    assert _parts(ethnicity, "ombCategory") == [(CDC_REC, "2135-2")]
    assert _parts(ethnicity, "detailed") == [(CDC_REC, "2148-5")]
    assert _extension(patient, "us-core-birthsex")["valueCode"] == "F"


def test_the_latest_episode_answers_and_a_declined_answer_is_asku(client):
    person = ClientFactory(sex=Client.Sex.MALE)
    earlier = EpisodeFactory(
        client=person,
        phase=Episode.Phase.DISCHARGED,
        referral_date=timezone.localdate() - datetime.timedelta(days=400),
        admission_date=timezone.localdate() - datetime.timedelta(days=390),
        discharge_date=timezone.localdate() - datetime.timedelta(days=300),
    )
    answered_demographics(earlier, race=["asian"], ethnicity="not_hispanic")
    answered_demographics(EpisodeFactory(client=person), race=["declined"], ethnicity="unknown")
    [patient] = search(client, internal_headers(client), "Patient", "Patient")
    assert _parts(_extension(patient, "us-core-race"), "ombCategory") == [(NULL_FLAVOR, "ASKU")]
    assert _parts(_extension(patient, "us-core-ethnicity"), "ombCategory") == [(NULL_FLAVOR, "UNK")]
    assert _extension(patient, "us-core-birthsex")["valueCode"] == "M"


def test_an_intersex_client_without_demographics_carries_no_extension(client):
    ClientFactory(sex=Client.Sex.INTERSEX)
    [patient] = search(client, internal_headers(client), "Patient", "Patient")
    assert "extension" not in patient


def test_a_patient_page_costs_the_same_queries_for_ten_times_the_clients(client):
    answered_demographics(EpisodeFactory())
    headers = internal_headers(client)
    once = queries_of(client, headers, "Patient")
    for _ in range(10):
        answered_demographics(EpisodeFactory())
    assert queries_of(client, headers, "Patient") == once
