"""Every type the API serves, over one client's whole record: each returns
resources, each resource validates with the fhir.resources R4 models, and
every resource carrying the client's information is labelled for Part 2
(and no staff or organization resource is). A partner's read of the whole
record (a Patient with _revinclude of every type) costs the same queries
however much the record holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interop.api.labels import is_part2_labelled
from interop.api.registry import NOT_CLIENT_DATA, REGISTRY
from iop.accounts import roles
from tests.billing.factories import CoverageFactory
from tests.factories import EpisodeFactory, UserFactory
from tests.family.factories import consent_for
from tests.groups.factories import AttendanceFactory, GroupSessionFactory, RecurringGroupFactory
from tests.interop.clinical_data import ANSWERS, administer, drug_test, prescribe, signed_plan
from tests.interop.core_data import appointment, at, diagnosis
from tests.interop.support import bearer, register_client, resources_of, validated

pytestmark = pytest.mark.django_db

# The types that name no client: staff, the program, payers, groups.
NOT_LABELLED = {"Practitioner", "Organization", "Group"}


def _more(episode, staff, days_ago: int) -> None:
    """One more of everything a client's record holds."""
    client = episode.client
    appointment(episode, staff=staff, starts_at=at(days_ago), note_code="H0004")
    session = GroupSessionFactory(group=RecurringGroupFactory(), starts_at=at(days_ago, 18))
    AttendanceFactory(session=session, episode=episode)
    for code in ANSWERS:
        administer(client, code, actor=staff, days_ago=days_ago)
    drug_test(client, actor=staff, days_ago=days_ago)
    rank = episode.diagnoses.count() + 1  # one primary diagnosis per episode
    diagnosis(
        episode, made_by=staff, icd10_code="F11.20", description="Opioid dependence", rank=rank
    )


@pytest.fixture
def record():
    staff = UserFactory(roles=[roles.COUNSELOR])
    episode = EpisodeFactory(primary_counselor=staff)
    client = episode.client
    _more(episode, staff, 3)
    prescribe(client, actor=staff)
    signed_plan(client, actor=staff)
    consent_for(client, actor=staff, recipient_kind="other", recipient_name="Dr. Ruiz")
    CoverageFactory(client=client)
    return {"episode": episode, "staff": staff, "client": client}


def test_every_type_returns_valid_labelled_resources(client, record):
    headers = bearer(client, register_client())
    for name, resource_type in sorted(REGISTRY.items()):
        response = client.get(f"/fhir/{name}", {"_count": "500"}, **headers)
        assert response.status_code == 200, (name, response.content[:300])
        found = resources_of(response.json(), name)
        assert found, f"{name}: the whole record returned none"
        client_data = any(s.category is not NOT_CLIENT_DATA for s in resource_type.sources)
        assert client_data == (name not in NOT_LABELLED), name
        for resource in found:
            validated(resource)
            assert is_part2_labelled(resource) == client_data, (name, resource["id"])
            if client_data:
                notice = resource["meta"]["extension"][0]
                assert notice["url"].endswith("/fhir/StructureDefinition/part2-notice")
                assert "42 cfr part 2" in notice["valueString"].lower()


def _whole_record(http, headers, patient) -> tuple[int, int]:
    patient_type = REGISTRY["Patient"]
    query = [("_id", str(patient.public_id))] + [
        ("_revinclude", name) for name in patient_type.revinclude_names()
    ]
    with CaptureQueriesContext(connection) as captured:
        response = http.get("/fhir/Patient", query, **headers)
    assert response.status_code == 200, response.content[:300]
    entries = response.json()["entry"]
    for entry in entries:
        validated(entry["resource"])
    return len(captured), len(entries)


def test_a_whole_record_read_costs_the_same_queries_however_large(client, record):
    headers = bearer(client, register_client())
    assert len(REGISTRY["Patient"].revinclude_names()) >= 10
    queries, returned = _whole_record(client, headers, record["client"])
    for days_ago in range(4, 8):
        _more(record["episode"], record["staff"], days_ago)
    queries_after, returned_after = _whole_record(client, headers, record["client"])
    assert returned_after > returned * 2
    assert queries_after == queries
