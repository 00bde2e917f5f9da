"""Registering and revoking API clients (interop.services): the keys, the
scopes and the recipient are checked, both actions are audited, and a
revoked client's tokens stop working with the next request."""

import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.exceptions import ValidationError
from django.utils import timezone

from interop.models import AccessToken, ApiClient
from interop.services import api_client_register, api_client_revoke, jwks_parse
from iop.audit.models import AuditEvent
from tests.factories import EpisodeFactory
from tests.interop.support import (
    bearer,
    ec_key,
    fhir_get,
    jwks_of,
    register_client,
    rsa_key,
    token_post,
)


def _data(**overrides) -> dict:
    data = {
        "name": "Clinic data warehouse",
        "organization": "OpenIOP Demo Recovery Center",
        "recipient_kind": "other",
        "purpose": ApiClient.Purpose.INTERNAL,
        "scopes": ["system/*.rs"],
        "jwks": json.dumps(jwks_of(ec_key(), "wh-1", "ES384")),
        "contact": "it@example.org",
    }
    data.update(overrides)
    return data


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


def _private_jwk(key, kid: str, alg: str) -> dict:
    jwk = json.loads(jwt.algorithms.get_default_algorithms()[alg].to_jwk(key))
    return {"keys": [{**jwk, "kid": kid, "alg": alg}]}


def test_register_saves_the_client_with_a_fresh_client_id_and_audits_it(administrator):
    client = api_client_register(actor=administrator, data=_data())

    assert client.client_id and len(client.client_id) >= 32
    assert client.is_active and client.created_by == administrator
    assert client.jwks["keys"][0]["kid"] == "wh-1"
    event = AuditEvent.objects.get(object_type="interop.apiclient")
    assert event.action == AuditEvent.Action.CREATE
    assert event.client is None and event.actor == administrator
    assert event.object_id == str(client.public_id)
    assert event.details["scopes"] == ["system/*.rs"]


def test_register_accepts_an_rs384_key(administrator):
    data = _data(jwks=json.dumps(jwks_of(rsa_key(), "rsa-1", "RS384")))

    assert api_client_register(actor=administrator, data=data).pk


def test_register_normalises_the_organization_and_sorts_scopes(administrator):
    data = _data(
        organization="  Lakeside   Primary Care ",
        scopes=["system/Patient.rs", "system/*.rs", "system/Patient.rs"],
    )

    client = api_client_register(actor=administrator, data=data)

    assert client.organization == "Lakeside Primary Care"
    assert client.scopes == ["system/*.rs", "system/Patient.rs"]


def test_register_refuses_text_that_is_not_json(administrator):
    errors = _errors(lambda: api_client_register(actor=administrator, data=_data(jwks="{keys")))

    assert errors["jwks"] == ["This is not JSON."]
    assert not ApiClient.objects.exists()


def test_register_refuses_a_set_without_keys(administrator):
    errors = _errors(
        lambda: api_client_register(actor=administrator, data=_data(jwks='{"keys": []}'))
    )

    assert "keys" in errors["jwks"][0]


@pytest.mark.parametrize(
    ("key", "alg"),
    [(rsa_key(), "RS384"), (ec_key(), "ES384")],
    ids=["rsa", "ec"],
)
def test_register_refuses_a_private_key(administrator, key, alg):
    data = _data(jwks=json.dumps(_private_jwk(key, "oops", alg)))

    errors = _errors(lambda: api_client_register(actor=administrator, data=data))

    assert "private key" in errors["jwks"][0]
    assert not ApiClient.objects.exists()


def test_register_refuses_a_shared_secret(administrator):
    secret = {"keys": [{"kty": "oct", "k": "c2VjcmV0LXNlY3JldA", "kid": "s", "alg": "HS256"}]}

    errors = _errors(
        lambda: api_client_register(actor=administrator, data=_data(jwks=json.dumps(secret)))
    )

    assert "shared secret" in errors["jwks"][0]


def test_register_refuses_a_key_for_another_algorithm(administrator):
    # An RSA key that does not say RS384 is read by PyJWT as RS256.
    jwks = jwks_of(rsa_key(), "rsa-1", "RS384")
    del jwks["keys"][0]["alg"]

    errors = _errors(
        lambda: api_client_register(actor=administrator, data=_data(jwks=json.dumps(jwks)))
    )

    assert "RS256" in errors["jwks"][0]


def test_register_refuses_a_p256_key(administrator):
    p256 = ec.generate_private_key(ec.SECP256R1())
    jwks = jwks_of(p256, "p256", "ES256")

    errors = _errors(
        lambda: api_client_register(actor=administrator, data=_data(jwks=json.dumps(jwks)))
    )

    assert "ES256" in errors["jwks"][0]


def test_register_refuses_a_short_rsa_key(administrator):
    # A key too short on purpose: the registration must refuse it.
    short = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505
    jwks = jwks_of(short, "short", "RS384")

    errors = _errors(
        lambda: api_client_register(actor=administrator, data=_data(jwks=json.dumps(jwks)))
    )

    assert "2048" in errors["jwks"][0]


def test_register_refuses_keys_without_a_kid_or_with_the_same_kid(administrator):
    jwks = jwks_of(ec_key(), "k", "ES384")
    missing = {"keys": [{k: v for k, v in jwks["keys"][0].items() if k != "kid"}]}
    twice = {"keys": jwks["keys"] + jwks_of(ec_key(), "k", "ES384")["keys"]}

    assert "kid" in _errors(lambda: jwks_parse(missing))["jwks"][0]
    assert "same kid" in _errors(lambda: jwks_parse(twice))["jwks"][0]


def test_register_refuses_an_unknown_scope_and_no_scope(administrator):
    unknown = _errors(
        lambda: api_client_register(
            actor=administrator, data=_data(scopes=["system/Spaceship.rs", "user/*.rs"])
        )
    )
    none = _errors(lambda: api_client_register(actor=administrator, data=_data(scopes=[])))

    assert "system/Spaceship.rs" in unknown["scopes"][0]
    assert none["scopes"]


def test_register_refuses_a_family_member_and_reports_every_field_at_once(administrator):
    data = _data(recipient_kind="family", name="", jwks="[]")

    errors = _errors(lambda: api_client_register(actor=administrator, data=data))

    assert set(errors) >= {"recipient_kind", "name", "jwks"}


def test_revoke_sets_who_and_when_ends_tokens_and_audits(administrator):
    registered = register_client()
    AccessToken.objects.create(
        client=registered.client,
        digest="a" * 64,
        scopes=["system/*.rs"],
        expires_at=timezone.now() + timezone.timedelta(minutes=5),
    )

    client = api_client_revoke(actor=administrator, client=registered.client)

    assert client.revoked_at is not None and client.revoked_by == administrator
    assert not AccessToken.objects.filter(expires_at__gt=timezone.now()).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_type="interop.apiclient")
    assert event.details["tokens_ended"] == 1 and event.client is None


def test_revoking_twice_changes_nothing_the_second_time(administrator, supervisor):
    registered = register_client()
    first = api_client_revoke(actor=administrator, client=registered.client)

    again = api_client_revoke(actor=supervisor, client=registered.client)

    assert again.revoked_at == first.revoked_at and again.revoked_by == administrator
    assert AuditEvent.objects.filter(object_type="interop.apiclient").count() == 1


def test_a_token_issued_before_revocation_stops_working_at_once(client, administrator):
    EpisodeFactory()
    registered = register_client()
    headers = bearer(client, registered)
    assert fhir_get(client, "Patient", headers)[1].status_code == 200

    api_client_revoke(actor=administrator, client=registered.client)

    body, response = fhir_get(client, "Patient", headers)
    assert response.status_code == 401
    assert body["resourceType"] == "OperationOutcome"


def test_a_revoked_client_gets_no_new_token(client, administrator):
    registered = register_client()
    api_client_revoke(actor=administrator, client=registered.client)

    response = token_post(client, registered)

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
