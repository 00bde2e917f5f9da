"""Consent through the API: each 42 CFR Part 2 consent as a FHIR Consent
(scope, category, policy, provision with period, recipient, purposes and
categories), its status from the consent's state, and what a recipient
outside the program sees: the consents naming it, never the others."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from family.models import Consent
from family.services import consent_revoke
from interop.api.labels import is_part2_labelled
from interop.models import ApiClient
from interop.resources import consents
from tests.factories import EpisodeFactory
from tests.family.factories import consent_for
from tests.interop.support import bearer, fhir_get, register_client, resources_of, validated

ELSEWHERE = {
    "recipient_kind": Consent.RecipientKind.EAP,
    "recipient_name": "Pat Doe",
    "recipient_organization": "Acme EAP",
}


@pytest.fixture
def probation(client, db):
    """The county probation office's system, reading for treatment."""
    return bearer(
        client,
        register_client(
            purpose=ApiClient.Purpose.TREATMENT,
            organization="County Probation",
            recipient_kind=Consent.RecipientKind.PROBATION,
        ),
    )


def consents_of(http, headers, **params):
    bundle, response = fhir_get(http, "Consent", headers, **params)
    assert response.status_code == 200, bundle
    found = resources_of(bundle, "Consent")
    for resource in found:
        validated(resource)
        assert is_part2_labelled(resource)
    return found


def test_consent_has_scope_category_policy_and_provision(client, headers, patient, staff):
    consent = consent_for(patient, actor=staff, scope=Consent.Scope.TPO)

    [resource] = consents_of(client, headers, patient=f"Patient/{patient.public_id}")

    assert resource["id"] == str(consent.public_id)
    assert resource["meta"]["profile"] == [consents.PROFILE]
    assert resource["status"] == "active"
    assert resource["scope"]["coding"][0] == {
        "system": "http://terminology.hl7.org/CodeSystem/consentscope",
        "code": "patient-privacy",
        "display": "Privacy Consent",
    }
    assert resource["category"][0]["coding"][0]["code"] == "59284-0"
    assert resource["patient"] == {"reference": f"Patient/{patient.public_id}"}
    assert resource["dateTime"] == consent.recorded_at.isoformat()
    assert resource["policyRule"]["coding"][0]["code"] == "42CFRPart2"
    provision = resource["provision"]
    assert provision["type"] == "permit"
    assert provision["period"] == {
        "start": consent.signed_on.isoformat(),
        "end": consent.expires_on.isoformat(),
    }
    assert provision["actor"][0]["role"]["coding"][0]["code"] == "IRCP"
    assert provision["actor"][0]["reference"] == {"display": "Officer Dana Reyes, County Probation"}
    assert [p["code"] for p in provision["purpose"]] == ["TREAT", "HPAYMT", "HOPERAT"]
    assert [c["coding"][0]["code"] for c in provision["code"]] == ["attendance", "progress"]


def test_purposes_follow_the_uses_the_scope_covers(client, headers, patient, staff):
    consent_for(patient, actor=staff, scope=Consent.Scope.PAYMENT)
    consent_for(patient, actor=staff, scope=Consent.Scope.SPECIFIC)

    found = consents_of(client, headers, patient=str(patient.public_id))

    purposes = sorted([p["code"] for p in r["provision"]["purpose"]] for r in found)
    assert purposes == [["HPAYMT"], ["TREAT", "HRESCH"]]


def test_revoked_consent_is_inactive_and_ends_when_revoked(client, headers, patient, staff):
    consent = consent_for(patient, actor=staff)
    consent_revoke(actor=staff, consent=consent, note="Said so at the visit")
    pid = str(patient.public_id)

    [resource] = consents_of(client, headers, patient=pid)

    assert resource["status"] == "inactive"
    assert resource["provision"]["period"]["end"] == timezone.localdate().isoformat()
    assert consents_of(client, headers, patient=pid, status="inactive")
    assert not consents_of(client, headers, patient=pid, status="active")


def test_status_parameter_matches_each_state(client, headers, patient, staff):
    today = timezone.localdate()
    active = consent_for(patient, actor=staff)
    expired = consent_for(
        patient,
        actor=staff,
        signed_on=today - datetime.timedelta(days=5),
        expires_on=today - datetime.timedelta(days=1),
    )
    pid = str(patient.public_id)

    def with_status(value):
        return [r["id"] for r in consents_of(client, headers, patient=pid, status=value)]

    assert with_status("active") == [str(active.public_id)]
    assert with_status("inactive") == [str(expired.public_id)]
    assert with_status("proposed") == []
    assert [r["id"] for r in consents_of(client, headers, _id=str(expired.public_id))] == [
        str(expired.public_id)
    ]


def test_an_outside_recipient_sees_the_consents_naming_it_and_no_other(
    client, probation, patient, staff
):
    naming = consent_for(patient, actor=staff)
    consent_for(patient, actor=staff, **ELSEWHERE)

    found = consents_of(client, probation, patient=str(patient.public_id))

    assert [r["id"] for r in found] == [str(naming.public_id)]


def test_an_outside_recipient_gets_404_for_a_consent_naming_someone_else(
    client, probation, patient, staff
):
    consent_for(patient, actor=staff)
    other = consent_for(patient, actor=staff, **ELSEWHERE)

    body, response = fhir_get(client, f"Consent/{other.public_id}", probation)

    assert response.status_code == 404


def test_an_outside_recipient_sees_nothing_of_a_client_who_never_named_it(
    client, probation, patient, staff
):
    consent_for(patient, actor=staff, **ELSEWHERE)

    assert consents_of(client, probation, patient=str(patient.public_id)) == []


def test_bad_consent_search_values_are_a_400(client, headers):
    body, response = fhir_get(client, "Consent", headers, patient="Observation/1")
    assert response.status_code == 400
    assert body["resourceType"] == "OperationOutcome"


def _queries(http, headers) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        found = consents_of(http, headers)
    return len(queries), len(found)


def test_consent_search_query_count_does_not_grow_with_consents(client, headers, staff):
    def add(n):
        for _ in range(n):
            patient = EpisodeFactory().client
            consent_for(patient, actor=staff)
            consent_for(patient, actor=staff, **ELSEWHERE)

    add(1)
    small, small_found = _queries(client, headers)
    add(9)
    large, large_found = _queries(client, headers)

    assert large_found == 10 * small_found
    assert large == small
