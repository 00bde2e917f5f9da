"""Practitioner, Organization and Coverage through the API: US Core 6.1.0
must-support elements, codes, labels, search parameters, _include, errors
and query counts that do not grow with the rows."""

import pytest

from interop.api.labels import is_part2_labelled
from interop.resources.local import program_id
from interop.resources.organizations import EIN_SYSTEM, NPI_SYSTEM
from iop.accounts import roles
from tests.billing.factories import CoverageFactory, PayerFactory
from tests.factories import UserFactory
from tests.interop.core_data import (
    bad_request,
    codings,
    counselor,
    ids,
    internal_headers,
    queries_of,
    search,
)
from tests.interop.support import fhir_get, validated

pytestmark = pytest.mark.django_db

VALID_NPI = "1234567893"  # CMS's own check-digit example


# --- Practitioner -----------------------------------------------------------


def test_a_counselor_is_a_us_core_practitioner_with_the_npi_and_no_part2_labels(client):
    staff = counselor(npi=VALID_NPI, first_name="Ana", last_name="Reyes", credentials="LCDC")
    headers = internal_headers(client)
    resource, response = fhir_get(client, f"Practitioner/{staff.public_id}", headers)
    assert response.status_code == 200, resource
    validated(resource)
    assert resource["meta"]["profile"] == [
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-practitioner"
    ]
    assert {"system": NPI_SYSTEM, "value": VALID_NPI} in resource["identifier"]
    assert resource["name"] == [{"family": "Reyes", "given": ["Ana"], "suffix": ["LCDC"]}]
    assert resource["active"] is True
    assert not is_part2_labelled(resource)


def test_staff_without_an_npi_still_carry_an_identifier(client):
    staff = counselor()
    [found] = search(client, internal_headers(client), "Practitioner", "Practitioner")
    assert found["id"] == str(staff.public_id)
    assert [i["value"] for i in found["identifier"]] == [str(staff.public_id)]


def test_billing_only_staff_are_not_practitioners(client):
    UserFactory(roles=[roles.BILLING])
    assert search(client, internal_headers(client), "Practitioner", "Practitioner") == []


def test_practitioner_search_parameters_match_and_miss(client):
    staff = counselor(npi=VALID_NPI, last_name="Okafor")
    other = counselor(last_name="Brandt")
    headers = internal_headers(client)
    for params, expected in (
        ({"name": "okaf"}, {staff}),
        ({"name": "zz"}, set()),
        ({"identifier": f"{NPI_SYSTEM}|{VALID_NPI}"}, {staff}),
        ({"identifier": "1999999992"}, set()),
        ({"identifier": str(other.public_id)}, {other}),
        ({"_id": str(other.public_id)}, {other}),
        ({"_id": "not-an-id"}, set()),
    ):
        found = search(client, headers, "Practitioner", "Practitioner", **params)
        assert ids(found) == {str(u.public_id) for u in expected}, params


def test_practitioner_bad_parameters_are_400(client):
    headers = internal_headers(client)
    bad_request(client, headers, "Practitioner", birthdate="2020")
    bad_request(client, headers, "Practitioner", _lastUpdated="yesterday")


def test_a_practitioner_page_costs_the_same_queries_for_ten_times_the_staff(client):
    counselor()
    headers = internal_headers(client)
    once = queries_of(client, headers, "Practitioner")
    for _ in range(10):
        counselor(npi=VALID_NPI)
    assert queries_of(client, headers, "Practitioner") == once


# --- Organization -----------------------------------------------------------


def test_the_program_is_a_us_core_organization_with_npi_tax_id_and_address(client, settings):
    settings.CLINIC_PHONE = "+1 555 555 0100"
    headers = internal_headers(client)
    resource, response = fhir_get(client, f"Organization/{program_id()}", headers)
    assert response.status_code == 200, resource
    validated(resource)
    assert resource["meta"]["profile"] == [
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-organization"
    ]
    assert resource["name"] == settings.BILLING_PROVIDER_NAME
    assert resource["active"] is True
    assert {"system": NPI_SYSTEM, "value": settings.BILLING_PROVIDER_NPI} in resource["identifier"]
    assert {"system": EIN_SYSTEM, "value": settings.BILLING_PROVIDER_TAX_ID} in resource[
        "identifier"
    ]
    [address] = resource["address"]
    assert address["city"] == settings.BILLING_PROVIDER_CITY
    assert address["postalCode"] == "62701-1234"
    assert resource["telecom"][0]["value"] == "+1 555 555 0100"
    assert codings(resource["type"][0]) == {
        ("http://terminology.hl7.org/CodeSystem/organization-type", "prov")
    }
    assert not is_part2_labelled(resource)


def test_a_payer_is_an_organization_of_type_payer(client):
    payer = PayerFactory(name="Acme Health", city="Springfield", state="IL", postal_code="62701")
    [found] = search(client, internal_headers(client), "Organization", "Organization", name="acme")
    assert found["id"] == str(payer.public_id)
    assert codings(found["type"][0]) == {
        ("http://terminology.hl7.org/CodeSystem/organization-type", "pay")
    }
    assert found["address"][0]["city"] == "Springfield"
    assert not is_part2_labelled(found)


def test_organization_search_parameters_match_and_miss(client, settings):
    payer = PayerFactory(name="Acme Health", city="Peoria", state="IL")
    headers = internal_headers(client)
    program = program_id()
    for params, expected in (
        ({}, {program, str(payer.public_id)}),
        ({"name": "acme"}, {str(payer.public_id)}),
        ({"name": settings.BILLING_PROVIDER_NAME[:6]}, {program}),
        ({"name": "nobody"}, set()),
        ({"address": "peoria"}, {str(payer.public_id)}),
        ({"address": settings.BILLING_PROVIDER_CITY}, {program}),
        ({"address": "atlantis"}, set()),
        ({"_id": program}, {program}),
        ({"_id": str(payer.public_id)}, {str(payer.public_id)}),
        ({"_id": f"{program},{payer.public_id}"}, {program, str(payer.public_id)}),
    ):
        assert ids(search(client, headers, "Organization", "Organization", **params)) == expected


def test_organization_bad_parameters_are_400(client):
    headers = internal_headers(client)
    bad_request(client, headers, "Organization", patient="Patient/x")
    bad_request(client, headers, "Organization", _count="many")


def test_an_organization_page_costs_the_same_queries_for_ten_times_the_payers(client):
    PayerFactory()
    headers = internal_headers(client)
    once = queries_of(client, headers, "Organization")
    for _ in range(10):
        PayerFactory()
    assert queries_of(client, headers, "Organization") == once


# --- Coverage ---------------------------------------------------------------


def test_a_coverage_carries_the_us_core_elements_and_part2_labels(client):
    coverage = CoverageFactory(group_number="G-77", member_id="M123")
    [found] = search(client, internal_headers(client), "Coverage", "Coverage")
    assert found["meta"]["profile"] == [
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-coverage"
    ]
    assert found["status"] == "active"
    assert codings(found["type"]) == {("urn:oid:2.16.840.1.113883.3.221.5", "2")}  # Medicaid
    assert found["subscriberId"] == "M123"
    assert codings(found["identifier"][0]["type"]) == {
        ("http://terminology.hl7.org/CodeSystem/v2-0203", "MB")
    }
    patient = f"Patient/{coverage.client.public_id}"
    assert found["beneficiary"]["reference"] == patient
    assert found["subscriber"]["reference"] == patient
    assert codings(found["relationship"]) == {
        ("http://terminology.hl7.org/CodeSystem/subscriber-relationship", "self")
    }
    assert found["payor"][0]["reference"] == f"Organization/{coverage.payer.public_id}"
    assert found["period"]["start"] == coverage.effective_from.isoformat()
    assert {(c["type"]["coding"][0]["code"], c["value"]) for c in found["class"]} == {
        ("group", "G-77"),
        ("plan", "Community Health Plan"),
    }
    assert is_part2_labelled(found)


def test_coverage_search_by_patient_matches_and_misses_and_includes_the_payer(client):
    coverage = CoverageFactory()
    other = CoverageFactory()
    headers = internal_headers(client)
    bundle, response = fhir_get(
        client,
        "Coverage",
        headers,
        patient=f"Patient/{coverage.client.public_id}",
        _include="Coverage:payor",
    )
    assert response.status_code == 200, bundle
    kinds = {(e["resource"]["resourceType"], e["resource"]["id"]) for e in bundle["entry"]}
    assert kinds == {
        ("Coverage", str(coverage.public_id)),
        ("Organization", str(coverage.payer.public_id)),
    }
    for entry in bundle["entry"]:
        validated(entry["resource"])
    assert ids(search(client, headers, "Coverage", "Coverage", _id=str(other.public_id))) == {
        str(other.public_id)
    }
    missing = search(client, headers, "Coverage", "Coverage", patient=f"Patient/{program_id()}")
    assert missing == []


def test_coverage_bad_parameters_are_400(client):
    headers = internal_headers(client)
    bad_request(client, headers, "Coverage", patient="Patient/not-a-uuid")
    bad_request(client, headers, "Coverage", patient="Group/1")
    bad_request(client, headers, "Coverage", _include="Coverage:subscriber")


def test_a_coverage_page_costs_the_same_queries_for_ten_times_the_coverages(client):
    CoverageFactory()
    headers = internal_headers(client)
    once = queries_of(client, headers, "Coverage", _include="Coverage:payor")
    for _ in range(10):
        CoverageFactory()
    assert queries_of(client, headers, "Coverage", _include="Coverage:payor") == once
