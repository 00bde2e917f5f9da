"""Consents in the API: a recipient outside the program receives a client's
record only under a consent in force that names it and covers its purpose;
a client it may not receive answers as if it did not exist; every client
record disclosed writes one ledger row; a program-internal client reads the
program and is audited."""

import datetime

import pytest
from django.utils import timezone

from family.models import Consent, Disclosure
from family.services import consent_revoke
from interop.models import ApiClient, ApiRequest
from iop.audit.models import AuditEvent
from tests.factories import EpisodeFactory, UserFactory
from tests.family.factories import consent_for, referred_days_ago
from tests.interop.support import bearer, fhir_get, register_client, resources_of

pytestmark = pytest.mark.django_db

LAKESIDE = "Lakeside Primary Care"


@pytest.fixture
def staff():
    return UserFactory()


def lakeside(purpose=ApiClient.Purpose.TREATMENT):
    return register_client(purpose=purpose, organization=LAKESIDE, recipient_kind="other")


def consent(client, staff, *, organization=LAKESIDE, scope=Consent.Scope.TPO, **overrides):
    return consent_for(
        client,
        actor=staff,
        recipient_kind=Consent.RecipientKind.OTHER,
        recipient_name="Dr. Ana Ruiz",
        recipient_organization=organization,
        scope=scope,
        recorded_at=timezone.now() - datetime.timedelta(minutes=1),
        **overrides,
    )


def patient_ids(http, headers, **params):
    bundle, response = fhir_get(http, "Patient", headers, **params)
    assert response.status_code == 200, bundle
    return {r["id"] for r in resources_of(bundle, "Patient")}, bundle


def test_only_clients_whose_consent_names_the_recipient_are_returned(client, staff):
    allowed, other_org, none = (EpisodeFactory().client for _ in range(3))
    consent(allowed, staff)
    consent(other_org, staff, organization="Hillside Clinic")
    headers = bearer(client, lakeside())
    ids, bundle = patient_ids(client, headers)
    assert ids == {str(allowed.public_id)}
    assert bundle["total"] == 1
    for hidden in (other_org, none):
        outcome, response = fhir_get(client, f"Patient/{hidden.public_id}", headers)
        assert response.status_code == 404
        assert outcome["issue"][0]["code"] == "not-found"
        # The same answer as an id that never existed: nothing to tell apart.
        assert "Dr." not in str(outcome) and hidden.legal_last_name not in str(outcome)
        ids, _ = patient_ids(client, headers, identifier=hidden.mrn)
        assert ids == set()


def test_a_disclosure_writes_one_ledger_row_per_client_and_an_audit_event(client, staff):
    patient = EpisodeFactory().client
    given = consent(patient, staff)
    registered = lakeside()
    headers = bearer(client, registered)
    patient_ids(client, headers)
    fhir_get(client, f"Patient/{patient.public_id}", headers)
    rows = Disclosure.objects.filter(client=patient, path=Disclosure.Path.API)
    assert rows.count() == 2  # one per request
    row = rows.first()
    assert row.consent == given
    assert row.recipient_name == LAKESIDE
    assert row.recipient_kind == Consent.RecipientKind.OTHER
    requests = {str(r.public_id) for r in ApiRequest.objects.filter(client=registered.client)}
    assert {r.reference.split(":")[0] for r in rows} <= requests
    events = AuditEvent.objects.filter(
        client=patient, actor_username=f"api:{registered.client.client_id}"
    )
    assert events.count() == 2
    assert set(events.values_list("action", flat=True)) == {AuditEvent.Action.EXPORT}
    # The request's own row names what it returned.
    search = ApiRequest.objects.filter(client=registered.client, path="/fhir/Patient").get()
    assert search.returned == [f"Patient/{patient.public_id}"]
    assert search.scope == "system/*.rs"


def test_no_ledger_row_when_nothing_is_returned(client, staff):
    hidden = EpisodeFactory().client
    headers = bearer(client, lakeside())
    patient_ids(client, headers)
    fhir_get(client, f"Patient/{hidden.public_id}", headers)
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize(
    ("purpose", "scope", "allowed"),
    [
        (ApiClient.Purpose.TREATMENT, Consent.Scope.TPO, True),
        (ApiClient.Purpose.TREATMENT, Consent.Scope.SPECIFIC, True),
        (ApiClient.Purpose.TREATMENT, Consent.Scope.PAYMENT, False),
        (ApiClient.Purpose.PAYMENT, Consent.Scope.TPO, True),
        (ApiClient.Purpose.PAYMENT, Consent.Scope.PAYMENT, True),
        (ApiClient.Purpose.PAYMENT, Consent.Scope.SPECIFIC, False),
        (ApiClient.Purpose.OPERATIONS, Consent.Scope.TPO, True),
        (ApiClient.Purpose.OPERATIONS, Consent.Scope.PAYMENT, False),
        (ApiClient.Purpose.RESEARCH, Consent.Scope.TPO, False),
        (ApiClient.Purpose.RESEARCH, Consent.Scope.SPECIFIC, True),
    ],
)
def test_the_consent_must_cover_the_recipients_purpose(client, staff, purpose, scope, allowed):
    patient = EpisodeFactory().client
    consent(patient, staff, scope=scope)
    headers = bearer(client, lakeside(purpose))
    ids, _ = patient_ids(client, headers)
    assert ids == ({str(patient.public_id)} if allowed else set())
    _, response = fhir_get(client, f"Patient/{patient.public_id}", headers)
    assert response.status_code == (200 if allowed else 404)


def test_a_revoked_consent_stops_the_next_request(client, staff):
    patient = EpisodeFactory().client
    given = consent(patient, staff)
    headers = bearer(client, lakeside())
    assert patient_ids(client, headers)[0] == {str(patient.public_id)}
    consent_revoke(actor=staff, consent=given, note="Told the counselor in session.")
    assert patient_ids(client, headers)[0] == set()
    _, response = fhir_get(client, f"Patient/{patient.public_id}", headers)
    assert response.status_code == 404


def test_an_expired_consent_at_the_boundary(client, staff):
    """A consent that expires on a day is in force through that day."""
    today = timezone.localdate()
    last_day, expired = EpisodeFactory().client, EpisodeFactory().client
    signed = today - datetime.timedelta(days=30)
    for patient in (last_day, expired):
        referred_days_ago(patient, 60)
    given_last = consent(last_day, staff, signed_on=signed)
    given_expired = consent(expired, staff, signed_on=signed)
    Consent.objects.filter(pk=given_last.pk).update(expires_on=today)
    Consent.objects.filter(pk=given_expired.pk).update(
        expires_on=today - datetime.timedelta(days=1)
    )
    headers = bearer(client, lakeside())
    assert patient_ids(client, headers)[0] == {str(last_day.public_id)}


def test_a_consent_recorded_later_does_not_count_yet(client, staff):
    patient = EpisodeFactory().client
    given = consent(patient, staff)
    Consent.objects.filter(pk=given.pk).update(
        recorded_at=timezone.now() + datetime.timedelta(hours=1)
    )
    headers = bearer(client, lakeside())
    assert patient_ids(client, headers)[0] == set()


def test_paging_counts_only_what_the_recipient_may_receive(client, staff):
    allowed = [EpisodeFactory().client for _ in range(3)]
    for patient in allowed:
        consent(patient, staff)
    for _ in range(4):
        EpisodeFactory()
    headers = bearer(client, lakeside())
    ids, bundle = patient_ids(client, headers, _count="2")
    assert bundle["total"] == 3
    assert len(ids) == 2
    following = next(link["url"] for link in bundle["link"] if link["relation"] == "next")
    more = client.get(following.removeprefix("http://localhost:8000"), **headers)
    rest = {e["resource"]["id"] for e in more.json()["entry"]}
    assert ids | rest == {str(p.public_id) for p in allowed}


def test_a_program_internal_client_reads_the_program_and_is_audited(client):
    patients = [EpisodeFactory().client for _ in range(3)]
    registered = register_client(purpose=ApiClient.Purpose.INTERNAL)
    headers = bearer(client, registered)
    ids, _ = patient_ids(client, headers)
    assert ids == {str(p.public_id) for p in patients}
    assert not Disclosure.objects.exists()  # a use within the program
    events = AuditEvent.objects.filter(actor_username=f"api:{registered.client.client_id}")
    assert {e.client_id for e in events} == {p.pk for p in patients}
    assert set(events.values_list("action", flat=True)) == {AuditEvent.Action.VIEW}
