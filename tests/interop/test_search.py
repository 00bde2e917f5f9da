"""The search engine: paging, _count, bad input as OperationOutcomes (each
audited), and a page's queries that do not grow with what it returns."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interop.api.search import MAX_COUNT
from interop.models import ApiRequest
from tests.factories import EpisodeFactory
from tests.interop.support import (
    bearer,
    fhir_get,
    fresh_rate_window,
    register_client,
    resources_of,
    validated,
)

pytestmark = pytest.mark.django_db


def _outcome(http, path, headers, status=400, **params):
    outcome, response = fhir_get(http, path, headers, **params)
    assert response.status_code == status, outcome
    assert response["Content-Type"].startswith("application/fhir+json")
    validated(outcome)
    assert outcome["resourceType"] == "OperationOutcome"
    return outcome["issue"][0]


@pytest.mark.parametrize(
    "params",
    [
        {"nonsense": "1"},
        {"_count": "ten"},
        {"_count": "-1"},
        {"_offset": "x"},
        {"_lastUpdated": "yesterday"},
        {"_lastUpdated": "ge9999-01-01"},
        {"_lastUpdated": "2026-02-30"},
        {"birthdate": "sa2020"},
        {"_format": "xml"},
        {"_include": "Patient:nothing"},
        {"_revinclude": "Nothing:patient"},
        {"identifier": "x", "_sort": "name"},
    ],
)
def test_bad_input_is_a_400_operation_outcome_and_audited(client, headers, params):
    issue = _outcome(client, "Patient", headers, **params)
    assert issue["severity"] == "error"
    assert issue["code"] in ("invalid", "not-supported")
    assert ApiRequest.objects.filter(path="/fhir/Patient", status=400).count() == 1


def test_a_write_is_refused(client, headers):
    response = client.post("/fhir/Patient", {}, **headers)
    assert response.status_code == 405
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_read_takes_no_parameters_and_an_unknown_id_is_404(client, headers):
    patient = EpisodeFactory().client
    _outcome(client, f"Patient/{patient.public_id}", headers, 400, _count="1")
    _outcome(client, "Patient/not-a-uuid", headers, 404)
    _outcome(client, "Patient/00000000-0000-0000-0000-000000000000", headers, 404)


def test_a_count_of_a_million_is_capped(client, headers):
    for _ in range(3):
        EpisodeFactory()
    bundle, response = fhir_get(client, "Patient", headers, _count="1000000")
    assert response.status_code == 200
    assert bundle["total"] == 3
    assert len(bundle["entry"]) == 3
    assert MAX_COUNT == 500


def test_pages_follow_next_links_to_the_end(client, headers):
    made = {str(EpisodeFactory().client.public_id) for _ in range(5)}
    seen, url = [], "/fhir/Patient?_count=2"
    while url:
        bundle = client.get(url, **headers).json()
        seen += [r["id"] for r in resources_of(bundle)]
        following = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
        url = following[0].removeprefix("http://localhost:8000") if following else None
    assert len(seen) == 5 and set(seen) == made


def test_count_zero_gives_the_total_only(client, headers):
    EpisodeFactory()
    bundle, _ = fhir_get(client, "Patient", headers, _count="0")
    assert bundle["total"] == 1
    assert "entry" not in bundle or bundle["entry"] == []


def test_search_by_patient_parameters(client, headers):
    patient = EpisodeFactory(client__legal_last_name="Quintero").client
    EpisodeFactory(client__legal_last_name="Abbott")
    for params in (
        {"family": "quint"},
        {"name": "Quintero"},
        {"identifier": patient.mrn},
        {"_id": str(patient.public_id)},
        {"birthdate": patient.date_of_birth.isoformat(), "family": "Quintero"},
    ):
        bundle, _ = fhir_get(client, "Patient", headers, **params)
        assert [r["id"] for r in resources_of(bundle)] == [str(patient.public_id)], params
    bundle, _ = fhir_get(
        client, "Patient", headers, identifier="http://other.example/mrn|" + patient.mrn
    )
    assert resources_of(bundle) == []


def _queries(http, headers, path, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        _, response = fhir_get(http, path, headers, **params)
    assert response.status_code == 200
    return len(captured)


def test_a_page_makes_the_same_queries_whatever_it_returns(client, headers):
    EpisodeFactory()
    few = _queries(client, headers, "Patient")
    for _ in range(10):
        EpisodeFactory()
    assert _queries(client, headers, "Patient") == few


def test_each_client_has_its_own_rate_limit(client, settings):
    """Counted in the real Redis: over the limit, 429 and an OperationOutcome
    for that client only; audited like every other answer."""
    settings.FHIR_RATE_PER_MINUTE = 3
    busy, quiet = register_client(), register_client(organization="Quiet")
    busy_headers, quiet_headers = bearer(client, busy), bearer(client, quiet)
    fresh_rate_window()
    statuses = [fhir_get(client, "Patient", busy_headers)[1].status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    issue = _outcome(client, "Patient", busy_headers, 429)
    assert issue["code"] == "throttled"
    assert fhir_get(client, "Patient", quiet_headers)[1].status_code == 200
    assert ApiRequest.objects.filter(client=busy.client, status=429).exists()


def test_a_nul_character_is_a_400_operation_outcome_and_audited(client, headers):
    issue = _outcome(client, "Patient", headers, identifier="a\x00b")
    assert issue["code"] == "invalid"
    assert ApiRequest.objects.filter(path="/fhir/Patient", status=400).exists()
    response = client.get("/clients/", {"q": "\x00"})
    assert response.status_code == 400
    assert not response["Content-Type"].startswith("application/fhir+json")
