"""Helpers of the FHIR API tests: registered clients with keys generated in
the test, signed client assertions, tokens, and validation of what the API
returns with the fhir.resources R4 models (construct-level validity, by a
package not written here)."""

import json
import time
import uuid

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.urls import reverse
from fhir.resources import construct_fhir_element

from interop.models import ApiClient
from interop.tokens import ASSERTION_TYPE, token_url
from tests.factories import UserFactory


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ec_key():
    return ec.generate_private_key(ec.SECP384R1())


def jwks_of(private_key, kid: str, alg: str) -> dict:
    jwk = json.loads(jwt.algorithms.get_default_algorithms()[alg].to_jwk(private_key.public_key()))
    return {"keys": [{**jwk, "kid": kid, "alg": alg, "use": "sig"}]}


class Registered:
    """An API client with its private key, as the recipient holds it."""

    def __init__(self, client: ApiClient, key, kid: str, alg: str):
        self.client, self.key, self.kid, self.alg = client, key, kid, alg

    def assertion(self, **claims) -> str:
        now = int(time.time())
        body = {
            "iss": self.client.client_id,
            "sub": self.client.client_id,
            "aud": token_url(),
            "exp": now + 240,
            "iat": now,
            "jti": uuid.uuid4().hex,
        }
        body.update(claims)
        headers = {"kid": self.kid, "typ": "JWT"}
        return jwt.encode(body, self.key, algorithm=self.alg, headers=headers)


def register_client(
    *,
    purpose=ApiClient.Purpose.INTERNAL,
    organization="OpenIOP Warehouse",
    recipient_kind="other",
    scopes=("system/*.rs",),
    alg="RS384",
    created_by=None,
    **fields,
) -> Registered:
    key = rsa_key() if alg.startswith("RS") else ec_key()
    kid = uuid.uuid4().hex[:12]
    client = ApiClient.objects.create(
        name=fields.pop("name", f"{organization} system"),
        organization=organization,
        recipient_kind=recipient_kind,
        purpose=purpose,
        scopes=list(scopes),
        jwks=jwks_of(key, kid, alg),
        created_by=created_by or UserFactory(),
        **fields,
    )
    return Registered(client, key, kid, alg)


def token_post(http, registered: Registered, scope="system/*.rs", **claims):
    return http.post(
        reverse("interop:token"),
        {
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": registered.assertion(**claims),
            "scope": scope,
        },
    )


def bearer(http, registered: Registered, scope="system/*.rs") -> dict:
    """The header kwargs of a request with a fresh access token."""
    response = token_post(http, registered, scope)
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['access_token']}"}


def fhir_get(http, path: str, headers: dict, **params):
    """GET /fhir/<path> with the token; the parsed JSON and the response."""
    response = http.get(f"/fhir/{path}", params, **headers)
    return response.json(), response


def validated(resource: dict):
    """Parse `resource` with the fhir.resources R4 (4.0.1) model of its type:
    raises on an unknown element, a wrong type, a missing required element,
    a malformed date or id."""
    return construct_fhir_element(resource["resourceType"], resource)


def resources_of(bundle: dict, resource_type: str | None = None) -> list[dict]:
    validated(bundle)
    return [
        e["resource"]
        for e in bundle.get("entry", [])
        if resource_type is None or e["resource"]["resourceType"] == resource_type
    ]


def fresh_rate_window(margin: float = 5.0) -> None:
    """Wait for a new minute if this one ends within `margin` seconds, so a
    test's requests fall in one fixed window of the rate limit."""
    left = 60 - time.time() % 60
    if left < margin:
        time.sleep(left + 0.05)
