"""What administrators do with API clients: register a recipient system with
its purpose, scopes and public keys, and revoke it at once.

A client's keys are checked when it is registered, not when it first asks
for a token: a key set the token endpoint could not use, a private key
pasted by mistake (the recipient's secret, now in our database) or a shared
secret (HMAC, which SMART Backend Services does not allow) is refused here
with a message saying which key and why.
"""

import json

import jwt
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from family.models import Consent
from interop import scopes as scope_rules
from interop.api.registry import REGISTRY
from interop.models import AccessToken, ApiClient
from interop.tokens import ALGORITHMS
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record

# Members only a private or symmetric JWK has (RFC 7518 sections 6.2.2,
# 6.3.2 and 6.4): "d" (EC and RSA private exponent), the RSA primes and
# CRT values, "k" (an octet key's secret).
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
# NIST SP 800-57 part 1 and SP 800-131A: RSA keys of at least 2048 bits.
RSA_MIN_BITS = 2048
# Every kind of recipient a consent names, but a family member: a family
# member is a person, never a system reading the API.
RECIPIENT_KINDS = [
    (value, label)
    for value, label in Consent.RecipientKind.choices
    if value != Consent.RecipientKind.FAMILY
]


def scope_choices() -> list[str]:
    """The scopes an administrator may grant: all types, then each type served."""
    return ["system/*.rs"] + [f"system/{name}.rs" for name in sorted(REGISTRY)]


def _key_problem(number: int, data) -> str | None:
    """Why the key at `number` (1-based) cannot sign this client's assertions."""
    if not isinstance(data, dict):
        return _("Key %(n)s is not a JSON object.") % {"n": number}
    if data.get("kty") == "oct":
        return _(
            "Key %(n)s is a shared secret (kty oct): SMART Backend Services need a public key."
        ) % {"n": number}
    if any(member in data for member in PRIVATE_MEMBERS):
        return _(
            "Key %(n)s is a private key: paste only the public keys; the recipient keeps "
            "its private key."
        ) % {"n": number}
    if not isinstance(data.get("kid"), str) or not data["kid"].strip():
        return _("Key %(n)s has no kid: assertions name their key by its kid.") % {"n": number}
    if data.get("use", "sig") != "sig":
        return _("Key %(n)s is not a signing key (use must be sig).") % {"n": number}
    try:
        key = jwt.PyJWK(data)
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):  # a malformed member too
        return _("Key %(n)s is not a usable JSON Web Key.") % {"n": number}
    if key.algorithm_name not in ALGORITHMS:
        return _(
            "Key %(n)s is for %(alg)s: this server accepts %(accepted)s "
            '(give an RSA key "alg": "RS384"; an EC key the P-384 curve).'
        ) % {"n": number, "alg": key.algorithm_name, "accepted": ", ".join(ALGORITHMS)}
    if data["kty"] == "RSA" and key.key.key_size < RSA_MIN_BITS:
        return _("Key %(n)s is an RSA key of fewer than %(bits)s bits.") % {
            "n": number,
            "bits": RSA_MIN_BITS,
        }
    return None


def jwks_parse(jwks) -> dict:
    """The JSON Web Key Set (RFC 7517 section 5) in `jwks` (pasted text or
    an object), checked: every key a public RS384 or ES384 signing key with
    a kid, the kids distinct, and the set readable by PyJWT as the token
    endpoint will read it."""
    if isinstance(jwks, str):
        try:
            jwks = json.loads(jwks)
        except (ValueError, RecursionError) as error:  # RecursionError: nested too deep
            raise ValidationError({"jwks": _("This is not JSON.")}) from error
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list) or not keys:
        raise ValidationError(
            {"jwks": _('Give a JSON Web Key Set: an object with a "keys" list of public keys.')}
        )
    problems = [problem for n, key in enumerate(keys, 1) if (problem := _key_problem(n, key))]
    if problems:
        raise ValidationError({"jwks": problems})
    kids = [key["kid"] for key in keys]
    if len(set(kids)) != len(kids):
        raise ValidationError({"jwks": _("Two keys have the same kid.")})
    try:
        jwt.PyJWKSet.from_dict(jwks)
    except jwt.PyJWTError as error:
        raise ValidationError({"jwks": _("PyJWT cannot read this key set.")}) from error
    return {"keys": keys}


def _problems(client: ApiClient) -> dict[str, list[str]]:
    """Every field's errors at once, so the form shows them all."""
    try:
        client.full_clean(exclude=["created_by", "client_id", "jwks"])
        errors = {}
    except ValidationError as error:
        errors = dict(error.message_dict)
    if client.recipient_kind == Consent.RecipientKind.FAMILY:
        errors.setdefault("recipient_kind", []).append(_("A family member is not an API client."))
    unknown = [s for s in client.scopes if not scope_rules.valid(s, REGISTRY)]
    if not client.scopes:
        errors.setdefault("scopes", []).append(_("Grant at least one scope."))
    elif unknown:
        errors.setdefault("scopes", []).append(
            _("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)}
        )
    return errors


@transaction.atomic
def api_client_register(*, actor, data: dict, request=None) -> ApiClient:
    """Register a recipient's system. `data`: name, organization,
    recipient_kind, purpose, scopes (list), jwks (the pasted text or an
    object), contact. The client id is drawn here; the recipient puts it in
    its assertions."""
    try:
        jwks, key_errors = jwks_parse(data.get("jwks") or ""), {}
    except ValidationError as error:
        jwks, key_errors = {"keys": []}, error.message_dict
    client = ApiClient(
        name=(data.get("name") or "").strip(),
        organization=" ".join((data.get("organization") or "").split()),
        recipient_kind=data.get("recipient_kind") or "",
        purpose=data.get("purpose") or "",
        scopes=sorted(set(data.get("scopes") or [])),
        jwks=jwks,
        contact=(data.get("contact") or "").strip(),
        created_by=actor,
    )
    errors = {**_problems(client), **key_errors}
    if errors:
        raise ValidationError(errors)
    client.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=client,
        request=request,
        details={
            "api_client": "registered",
            "purpose": client.purpose,
            "recipient_kind": client.recipient_kind,
            "scopes": client.scopes,
            "keys": len(client.jwks["keys"]),
        },
    )
    return client


@transaction.atomic
def api_client_revoke(*, actor, client: ApiClient, request=None) -> ApiClient:
    """Revoke a client at once: no token is issued to it again, and its
    tokens still in force stop working with the next request
    (interop.tokens.token_client refuses a revoked client's tokens; they
    are also marked expired now, so the pages say so)."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        return client
    now = timezone.now()
    client.revoked_at, client.revoked_by = now, actor
    client.save(update_fields=["revoked_at", "revoked_by"])
    ended = AccessToken.objects.filter(client=client, expires_at__gt=now).update(expires_at=now)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=client,
        request=request,
        details={"api_client": "revoked", "fields": ["revoked_at"], "tokens_ended": ended},
    )
    return client
