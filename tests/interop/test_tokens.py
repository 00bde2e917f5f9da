"""SMART Backend Services: the token endpoint against assertions signed in
the test with generated RSA and EC keys, and every way one is refused."""

import time
import uuid

import jwt
import pytest
from django.urls import reverse
from django.utils import timezone

from interop.models import AccessToken, ApiClient, ApiRequest, UsedAssertion
from interop.tokens import ASSERTION_TYPE, assertions_forget, digest
from tests.interop.support import (
    bearer,
    ec_key,
    fhir_get,
    fresh_rate_window,
    register_client,
    rsa_key,
    token_post,
    validated,
)

pytestmark = pytest.mark.django_db


def _refused(response, error="invalid_client", status=401):
    assert response.status_code == status, response.content
    assert response.json()["error"] == error
    assert "access_token" not in response.json()


@pytest.mark.parametrize("alg", ["RS384", "ES384"])
def test_a_signed_assertion_buys_a_five_minute_token_kept_as_a_digest(client, alg):
    registered = register_client(alg=alg)
    response = token_post(client, registered, scope="system/Patient.rs")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 300
    assert body["scope"] == "system/Patient.rs"
    token = AccessToken.objects.get(client=registered.client)
    assert token.digest == digest(body["access_token"])
    assert body["access_token"] not in str(list(AccessToken.objects.values_list()))
    assert (token.expires_at - token.issued_at).total_seconds() == 300
    assert ApiRequest.objects.get(client=registered.client).status == 200


def test_the_token_reads_and_lets_the_client_search(client):
    registered = register_client()
    bundle, response = fhir_get(client, "Patient", bearer(client, registered))
    assert response.status_code == 200
    validated(bundle)
    assert registered.client.__class__.objects.get(pk=registered.client.pk).last_used_at


def test_only_scopes_registered_are_granted(client):
    registered = register_client(scopes=["system/Patient.rs"])
    response = token_post(client, registered, scope="system/Patient.rs system/Observation.rs")
    assert response.json()["scope"] == "system/Patient.rs"
    _refused(token_post(client, registered, scope="system/Observation.rs"), "invalid_scope", 400)


def test_a_token_allows_only_its_scopes(client):
    registered = register_client(scopes=["system/Patient.r"])
    headers = bearer(client, registered, scope="system/Patient.r")
    outcome, response = fhir_get(client, "Patient", headers)
    assert response.status_code == 403
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "forbidden"


def test_a_wrong_signature_is_refused(client):
    registered = register_client()
    registered.key = rsa_key()  # signs with a key that is not registered
    _refused(token_post(client, registered))
    assert not AccessToken.objects.exists()
    assert ApiRequest.objects.get().status == 401


def test_an_hmac_or_unsigned_assertion_is_refused(client):
    registered = register_client()
    now = int(time.time())
    claims = {
        "iss": registered.client.client_id,
        "sub": registered.client.client_id,
        "aud": "http://testserver/fhir/auth/token",
        "exp": now + 60,
        "jti": "x1",
    }
    for assertion in (
        jwt.encode(claims, "a shared secret of some length here", algorithm="HS256"),
        jwt.encode(claims, None, algorithm="none"),
    ):
        response = client.post(
            reverse("interop:token"),
            {
                "grant_type": "client_credentials",
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": assertion,
                "scope": "system/*.rs",
            },
        )
        _refused(response)


def test_an_algorithm_other_than_the_keys_is_refused(client):
    registered = register_client(alg="ES384")
    registered.alg, registered.key = "RS384", rsa_key()
    _refused(token_post(client, registered))


def test_another_audience_is_refused(client):
    registered = register_client()
    _refused(token_post(client, registered, aud="https://elsewhere.example/token"))


def test_an_expired_assertion_or_one_too_far_ahead_is_refused(client):
    registered = register_client()
    _refused(token_post(client, registered, exp=int(time.time()) - 120))
    _refused(token_post(client, registered, exp=int(time.time()) + 3600))


def test_a_replayed_jti_is_refused(client):
    registered = register_client()
    assert token_post(client, registered, jti="once").status_code == 200
    _refused(token_post(client, registered, jti="once"))
    assert AccessToken.objects.count() == 1


def test_iss_and_sub_must_be_the_client(client):
    registered = register_client()
    other = register_client(organization="Other Org")
    _refused(token_post(client, registered, sub=other.client.client_id))
    _refused(token_post(client, registered, iss="nobody", sub="nobody"))


def test_a_revoked_client_gets_no_token_and_its_tokens_stop_at_once(client):
    registered = register_client()
    headers = bearer(client, registered)
    ApiClient.objects.filter(pk=registered.client.pk).update(revoked_at=timezone.now())
    _, response = fhir_get(client, "Patient", headers)
    assert response.status_code == 401
    _refused(token_post(client, registered))


def test_an_expired_token_is_refused(client):
    registered = register_client()
    headers = bearer(client, registered)
    AccessToken.objects.update(expires_at=timezone.now())
    outcome, response = fhir_get(client, "Patient", headers)
    assert response.status_code == 401
    assert outcome["issue"][0]["code"] == "login"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_of_another_client_is_its_own_client(client):
    """A token names its client: one client's token never acts as another's
    (the trail and the consents are the token's client's)."""
    first, second = register_client(), register_client(organization="Second")
    _, response = fhir_get(client, "Patient", bearer(client, second))
    assert response.status_code == 200
    assert ApiRequest.objects.filter(path="/fhir/Patient").get().client == second.client
    assert not ApiRequest.objects.filter(path="/fhir/Patient", client=first.client).exists()


def test_grant_type_and_assertion_type_are_checked(client):
    registered = register_client()
    base = {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": registered.assertion(),
        "scope": "system/*.rs",
    }
    response = client.post(reverse("interop:token"), {**base, "grant_type": "password"})
    _refused(response, "unsupported_grant_type", 400)
    response = client.post(reverse("interop:token"), {**base, "client_assertion_type": "x"})
    _refused(response, "invalid_request", 400)
    response = client.post(reverse("interop:token"), {**base, "client_assertion": "not.a.jwt"})
    _refused(response)
    assert client.get(reverse("interop:token")).status_code == 405


def test_no_token_or_a_made_up_one_is_401(client):
    outcome, response = fhir_get(client, "Patient", {})
    assert response.status_code == 401
    assert outcome["resourceType"] == "OperationOutcome"
    _, response = fhir_get(client, "Patient", {"HTTP_AUTHORIZATION": "Bearer made-up"})
    assert response.status_code == 401
    assert ApiRequest.objects.filter(status=401, client=None).count() == 2


def test_used_assertions_are_forgotten_after_they_expire(client):
    registered = register_client()
    token_post(client, registered)
    UsedAssertion.objects.update(expires_at=timezone.now() - timezone.timedelta(minutes=5))
    assert assertions_forget() == 1


def test_keys_of_both_kinds_in_one_set(client):
    registered = register_client(alg="ES384")
    key = ec_key()
    jwk = jwt.algorithms.ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
    registered.client.jwks["keys"].append({**jwk, "kid": "second", "alg": "ES384"})
    registered.client.save()
    registered.key, registered.kid = key, "second"
    assert token_post(client, registered).status_code == 200


def test_token_requests_are_limited_per_address(client, settings):
    settings.FHIR_TOKEN_RATE_PER_MINUTE = 2
    registered = register_client()
    # An address of this test's own, so no earlier run's count is in Redis.
    address = {"REMOTE_ADDR": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.9"}

    def ask():
        return client.post(
            reverse("interop:token"),
            {
                "grant_type": "client_credentials",
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": registered.assertion(),
                "scope": "system/*.rs",
            },
            **address,
        )

    fresh_rate_window()
    responses = [ask() for _ in range(3)]
    assert [r.status_code for r in responses[:2]] == [200, 200]
    assert responses[2].status_code == 429
    assert responses[2].json()["error"] == "slow_down"
    assert ApiRequest.objects.filter(status=429).exists()
