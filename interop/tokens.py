"""SMART Backend Services authorization (HL7 SMART App Launch 2.0,
"Backend Services"; RFC 7523 client assertions): a registered client posts
a JWT signed with one of its registered keys and receives a short-lived
bearer token for the system scopes it holds.

The assertion is verified with PyJWT (signature, algorithm, audience,
expiry, issuer); this module adds what SMART asks beyond that: iss = sub =
client_id, an exp at most five minutes ahead, a jti used once.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from interop import scopes as scope_rules
from interop.models import AccessToken, ApiClient, UsedAssertion

# SMART Backend Services: RS384 and ES384 are the algorithms servers
# support; "none" and the HMAC family (a shared secret) are refused.
ALGORITHMS = ["RS384", "ES384"]
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# SMART: the assertion's exp is no more than five minutes in the future.
ASSERTION_MAX_LIFETIME = timedelta(minutes=5)
TOKEN_LIFETIME = timedelta(minutes=5)
CLOCK_SKEW_SECONDS = 30


class TokenRefused(Exception):
    """An OAuth error (RFC 6749 section 5.2): `error` is the code."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status
        self.client = None  # the registered client, once the assertion names one


@dataclass(frozen=True)
class Issued:
    client: ApiClient
    token: str
    scopes: list[str]
    expires_in: int


def token_url() -> str:
    """The audience every assertion must name: this server's token endpoint."""
    return settings.SITE_URL + reverse("interop:token")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _client_of(assertion: str) -> tuple[ApiClient, dict]:
    try:
        header = jwt.get_unverified_header(assertion)
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise TokenRefused("invalid_client", "The client assertion is not a JWT.", 401) from exc
    if header.get("alg") not in ALGORITHMS:
        raise TokenRefused("invalid_client", "The assertion's algorithm is not accepted.", 401)
    client_id = claims.get("iss")
    if not isinstance(client_id, str) or claims.get("sub") != client_id:
        raise TokenRefused(
            "invalid_client", "The assertion's iss and sub must be the client id.", 401
        )
    client = ApiClient.objects.filter(client_id=client_id[:64]).first()
    if client is None or not client.is_active:
        raise TokenRefused("invalid_client", "Unknown or revoked client.", 401)
    return client, header


def _key_for(client: ApiClient, header: dict):
    try:
        keys = jwt.PyJWKSet.from_dict(client.jwks).keys
    except (jwt.PyJWTError, TypeError, ValueError) as exc:
        raise TokenRefused(
            "invalid_client", "The client's registered keys are unusable.", 401
        ) from exc
    kid = header.get("kid")
    matching = [key for key in keys if kid is None or key.key_id == kid]
    matching = [key for key in matching if key.algorithm_name in (header["alg"], None)]
    if not matching:
        raise TokenRefused("invalid_client", "No registered key matches the assertion.", 401)
    return matching


def _verified_claims(client: ApiClient, header: dict, assertion: str) -> dict:
    for key in _key_for(client, header):
        try:
            return jwt.decode(
                assertion,
                key=key.key,
                algorithms=[header["alg"]],
                audience=token_url(),
                issuer=client.client_id,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "jti", "iss", "sub", "aud"]},
            )
        except jwt.InvalidSignatureError:
            continue
        except jwt.PyJWTError as exc:
            raise TokenRefused("invalid_client", f"The assertion is refused: {exc}.", 401) from exc
    raise TokenRefused("invalid_client", "The assertion's signature does not verify.", 401)


def token_issue(*, grant_type: str, assertion_type: str, assertion: str, scope: str) -> Issued:
    """Verify a client assertion and issue an access token, or refuse."""
    if grant_type != "client_credentials":
        raise TokenRefused("unsupported_grant_type", "Only client_credentials is supported.")
    if assertion_type != ASSERTION_TYPE or not assertion:
        raise TokenRefused("invalid_request", "A jwt-bearer client assertion is required.")
    client, header = _client_of(assertion)
    try:
        return _issued(client, header, assertion, scope)
    except TokenRefused as refused:
        refused.client = client
        raise


def _issued(client: ApiClient, header: dict, assertion: str, scope: str) -> Issued:
    claims = _verified_claims(client, header, assertion)
    now = timezone.now()
    expires = datetime.fromtimestamp(claims["exp"], tz=UTC)
    if expires > now + ASSERTION_MAX_LIFETIME + timedelta(seconds=CLOCK_SKEW_SECONDS):
        raise TokenRefused(
            "invalid_client", "The assertion's exp is more than 5 minutes away.", 401
        )
    granted = scope_rules.grant(scope or "", client.scopes)
    if not granted:
        raise TokenRefused(
            "invalid_scope", "None of the requested scopes is granted to this client."
        )
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(
                client=client, jti=str(claims["jti"])[:255], expires_at=expires
            )
            AccessToken.objects.create(
                client=client,
                digest=digest(token),
                scopes=granted,
                issued_at=now,
                expires_at=now + TOKEN_LIFETIME,
            )
    except IntegrityError as exc:
        raise TokenRefused("invalid_client", "The assertion's jti was used before.", 401) from exc
    return Issued(client, token, granted, int(TOKEN_LIFETIME.total_seconds()))


def token_client(bearer: str) -> tuple[ApiClient, AccessToken] | None:
    """The client and token of a bearer token in force, else None."""
    token = (
        AccessToken.objects.select_related("client")
        .filter(
            digest=digest(bearer), expires_at__gt=timezone.now(), client__revoked_at__isnull=True
        )
        .first()
    )
    return (token.client, token) if token else None


def assertions_forget() -> int:
    """Drop the jti of assertions past their expiry (a replay of them fails on exp)."""
    cutoff = timezone.now() - timedelta(seconds=CLOCK_SKEW_SECONDS)
    deleted, _ = UsedAssertion.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
