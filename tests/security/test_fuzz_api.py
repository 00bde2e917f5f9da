"""Hostile input to every FHIR API search and read, for every type the API
serves (read from the registry, so a type added later is fuzzed too).

Hypothesis draws parameter names (each type's own, the common ones, made-up
ones) and values (very long strings, unicode with NUL and right-to-left
marks, SQL and HTML fragments, dates far out of range and malformed,
prefixes, references to other types, huge and negative numbers) and ids.
Whatever is asked, as a program-internal client and as a recipient outside
the program with no consent from anyone:

- the answer is 200, 400 or 404 with a FHIR JSON body (a Bundle, the
  resource, or an OperationOutcome), never a 500 or an exception;
- the outside recipient never receives anything naming a client (no
  consent names it): no resource but OperationOutcome and empty Bundles.
"""

import json
import os

import pytest
from django.core.signals import got_request_exception
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interop.api.registry import REGISTRY
from interop.api.search import COMMON
from interop.models import ApiClient
from tests.factories import EpisodeFactory
from tests.interop.support import bearer, register_client

pytestmark = pytest.mark.django_db

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or (200 if PROFILE == "deep" else 25))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=PROFILE != "deep",
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(min_size=2000, max_size=3000, alphabet="a%'\"<>"),
    st.sampled_from(
        [
            "",
            "\x00",
            "\u202eevil",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "ge9999-12-31",
            "lt0001-01-01",
            "2026-02-30",
            "sa2026",
            "eq2026-13",
            "2026-01-01T25:00",
            "99999999999999999999",
            "-1",
            "0",
            "Patient/00000000-0000-0000-0000-000000000000",
            "Observation/abc",
            "http://loinc.org|",
            "|",
            "a|b|c",
            "Patient:patient",
            "*",
            ",,,",
        ]
    ),
)


def _names(resource_type) -> st.SearchStrategy:
    own = [p.name for p in resource_type.params]
    return st.one_of(
        st.sampled_from(own + list(COMMON) + ["_sort", "_elements", "patient:missing"]),
        st.text(min_size=1, max_size=20),
    )


@pytest.fixture
def world(client):
    EpisodeFactory()
    errors = []

    def record(sender, request=None, **kwargs):
        errors.append(request.path if request else "?")

    got_request_exception.connect(record)
    inside = bearer(client, register_client(purpose=ApiClient.Purpose.INTERNAL))
    outside = bearer(
        client,
        register_client(
            purpose=ApiClient.Purpose.TREATMENT,
            organization="Nobody's Clinic",
            recipient_kind="other",
        ),
    )
    yield {"inside": inside, "outside": outside, "errors": errors}
    got_request_exception.disconnect(record)


def _check(response, errors, *, outside: bool) -> None:
    assert response.status_code in (200, 400, 404), (response.status_code, response.content[:300])
    assert not errors, errors
    body = json.loads(response.content)
    assert body["resourceType"] in ("Bundle", "OperationOutcome") or response.status_code == 200
    if outside:
        assert body["resourceType"] in ("Bundle", "OperationOutcome"), body["resourceType"]
        for entry in body.get("entry", []):
            assert entry["resource"]["resourceType"] in ("Practitioner", "Organization", "Group")


@pytest.mark.parametrize("type_name", sorted(REGISTRY))
def test_hostile_searches(client, world, type_name):
    resource_type = REGISTRY[type_name]

    @FUZZ_SETTINGS
    @given(
        params=st.lists(st.tuples(_names(resource_type), HOSTILE), max_size=4),
        outside=st.booleans(),
    )
    def fuzz(params, outside):
        headers = world["outside" if outside else "inside"]
        query = [(name.replace("\x00", ""), value) for name, value in params]
        response = client.get(f"/fhir/{type_name}", query, **headers)
        _check(response, world["errors"], outside=outside)

    fuzz()


@pytest.mark.parametrize("type_name", sorted(REGISTRY))
def test_hostile_reads(client, world, type_name):
    @FUZZ_SETTINGS
    @given(resource_id=HOSTILE.filter(lambda v: "/" not in v and v.strip()), outside=st.booleans())
    def fuzz(resource_id, outside):
        headers = world["outside" if outside else "inside"]
        response = client.get(f"/fhir/{type_name}/{resource_id}", **headers)
        if response.status_code == 404 and not response.content.startswith(b"{"):
            return  # the URL itself did not resolve (Django's own 404): no API view ran
        _check(response, world["errors"], outside=outside)

    fuzz()
