"""The CapabilityStatement says what the routes and the engine do; the
SMART configuration names the token endpoint."""

import pytest
from django.urls import resolve

from interop.api.registry import REGISTRY
from interop.api.search import COMMON
from tests.interop.support import bearer, fhir_get, register_client, validated

pytestmark = pytest.mark.django_db


def test_metadata_is_a_valid_capability_statement(client):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    statement = response.json()
    validated(statement)
    assert statement["fhirVersion"] == "4.0.1"
    assert any("hl7.fhir.us.core|6.1.0" in ig for ig in statement["implementationGuide"])


def test_every_type_declared_is_routed_searchable_and_readable(client):
    statement = client.get("/fhir/metadata").json()
    [rest] = statement["rest"]
    declared = {r["type"]: r for r in rest["resource"]}
    assert set(declared) == set(REGISTRY)
    headers = bearer(client, register_client())
    for name, resource in declared.items():
        assert resolve(f"/fhir/{name}").url_name == "search"
        assert resolve(f"/fhir/{name}/some-id").url_name == "read"
        interactions = {i["code"] for i in resource["interaction"]}
        assert interactions == {"read", "search-type"}
        # Each declared search parameter is accepted (an unknown one is 400).
        for param in resource.get("searchParam", []):
            assert param["name"] in COMMON or REGISTRY[name].param(param["name"]), param
        bundle, response = fhir_get(client, name, headers, _count="1")
        assert response.status_code == 200, (name, bundle)
        for include in resource.get("searchInclude", []):
            _, response = fhir_get(client, name, headers, _include=include)
            assert response.status_code == 200, (name, include)
        for revinclude in resource.get("searchRevInclude", []):
            _, response = fhir_get(client, name, headers, _revinclude=revinclude)
            assert response.status_code == 200, (name, revinclude)
    token_url = rest["security"]["extension"][0]["extension"][0]["valueUri"]
    assert resolve(token_url.removeprefix("http://localhost:8000")).url_name == "token"


def test_an_undeclared_type_is_a_400(client):
    statement = client.get("/fhir/metadata").json()
    declared = {r["type"] for r in statement["rest"][0]["resource"]}
    headers = bearer(client, register_client())
    for name in ("AllergyIntolerance", "Immunization", "Nonsense"):
        assert name not in declared
        outcome, response = fhir_get(client, name, headers)
        assert response.status_code == 400
        assert outcome["issue"][0]["code"] == "not-supported"


def test_smart_configuration(client):
    config = client.get("/fhir/.well-known/smart-configuration").json()
    assert config["token_endpoint"].endswith("/fhir/auth/token")
    assert config["token_endpoint_auth_signing_alg_values_supported"] == ["RS384", "ES384"]
    assert "client-confidential-asymmetric" in config["capabilities"]
    assert "system/Patient.rs" in config["scopes_supported"]
