"""Demo FHIR API clients, run by `manage.py seed_demo` (its EXTRA_SEEDERS).

Two systems, registered by the administrator through the service: the
program's own "Clinic data warehouse" (program-internal, reads everything,
audited) and "Lakeside EHR" of Lakeside Primary Care (treatment), with a
treatment, payment and health care operations consent to Lakeside on file
for a few clients in treatment. Each gets a key pair generated here: the
private key (PEM) and the client id are written to var/demo-fhir/ (or
DEMO_FHIR_DIR), which scripts/fhir_token.py reads to sign an assertion, so
the README's curl example runs against the quick start.

A few weeks of use, for the administrator's pages: tokens, requests, and
for Lakeside reads decided and written to the ledger by the API's own gate
(interop.api.gate), as a request would. Idempotent: a client that exists
keeps its rows; only a key file that went missing is replaced (with a new
key registered in its place, as the recipient would rotate it).
"""

import json
import os
import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from family.models import Consent
from family.services import consent_record
from interop import scopes as scope_rules
from interop.api.gate import Gate
from interop.api.registry import REGISTRY
from interop.models import AccessToken, ApiClient, ApiRequest
from interop.services import api_client_register
from interop.tokens import TOKEN_LIFETIME, digest, token_url
from iop.clients.models import Client, Episode

LAKESIDE = "Lakeside Primary Care"
LAKESIDE_CLINICIAN = "Dr. Alan Brooks"
# Clients in treatment who signed a TPO consent naming Lakeside.
CONSENTING = 3


@dataclass(frozen=True)
class DemoClient:
    slug: str  # the file names under var/demo-fhir/
    name: str
    organization: str
    recipient_kind: str
    purpose: str
    scopes: tuple[str, ...]
    alg: str
    contact: str


def _program() -> str:
    return settings.BILLING_PROVIDER_NAME


DEMO_CLIENTS = (
    DemoClient(
        slug="warehouse",
        name="Clinic data warehouse",
        organization="",  # the program itself (_program())
        recipient_kind=Consent.RecipientKind.OTHER,
        purpose=ApiClient.Purpose.INTERNAL,
        scopes=("system/*.rs",),
        alg="ES384",
        contact="Data team, data@openiop.example",
    ),
    DemoClient(
        slug="lakeside",
        name="Lakeside EHR",
        organization=LAKESIDE,
        recipient_kind=Consent.RecipientKind.PRESCRIBER,
        purpose=ApiClient.Purpose.TREATMENT,
        # Filtered by what this server serves (scopes are checked on registration).
        scopes=(
            "system/Patient.rs",
            "system/Condition.rs",
            "system/Observation.rs",
            "system/MedicationStatement.rs",
            "system/Encounter.rs",
        ),
        alg="RS384",
        contact="Lakeside IT help desk, +1 512 555 0190",
    ),
)


def demo_dir() -> Path:
    return Path(os.environ.get("DEMO_FHIR_DIR") or settings.BASE_DIR / "var" / "demo-fhir")


def seed_interop(*, users, rng: random.Random, today: date) -> str:
    """Seed the two demo API clients, Lakeside's consents and their use."""
    admin = users["admin"]
    made = 0
    for spec in DEMO_CLIENTS:
        with transaction.atomic():
            client = ApiClient.objects.filter(name=spec.name).first()
            if client is None:
                client = _register(spec, admin)
                made += 1
            elif not _key_file_matches(spec, client):
                _rotate(spec, client)
    lakeside = ApiClient.objects.get(name="Lakeside EHR")
    consenting = _consents(rng, users, today)
    warehouse = ApiClient.objects.get(name="Clinic data warehouse")
    _traffic(rng, warehouse, Client.objects.order_by("pk")[:25])
    _traffic(rng, lakeside, consenting)
    return (
        f"API clients: {len(DEMO_CLIENTS)} ({made} new), keys in {demo_dir()}; "
        f"{len(consenting)} clients consented to {LAKESIDE}"
    )


# --- the clients and their keys --------------------------------------------------------


def _new_key(alg: str):
    if alg == "ES384":
        return ec.generate_private_key(ec.SECP384R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwks(key, alg: str, kid: str) -> dict:
    jwk = json.loads(jwt.algorithms.get_default_algorithms()[alg].to_jwk(key.public_key()))
    return {"keys": [{**jwk, "kid": kid, "alg": alg, "use": "sig"}]}


def _kid(spec: DemoClient) -> str:
    return f"{spec.slug}-{secrets.token_hex(4)}"


def _register(spec: DemoClient, admin) -> ApiClient:
    key, kid = _new_key(spec.alg), _kid(spec)
    served = [s for s in spec.scopes if scope_rules.valid(s, REGISTRY)] or ["system/*.rs"]
    client = api_client_register(
        actor=admin,
        data={
            "name": spec.name,
            "organization": spec.organization or _program(),
            "recipient_kind": spec.recipient_kind,
            "purpose": spec.purpose,
            "scopes": served,
            "jwks": _jwks(key, spec.alg, kid),
            "contact": spec.contact,
        },
    )
    _write(spec, client, key, kid)
    return client


def _rotate(spec: DemoClient, client: ApiClient) -> None:
    """The key file went missing (var/ cleaned, the database kept): a new
    key pair, registered in place of the old one."""
    key, kid = _new_key(spec.alg), _kid(spec)
    ApiClient.objects.filter(pk=client.pk).update(jwks=_jwks(key, spec.alg, kid))
    _write(spec, client, key, kid)


def _key_file_matches(spec: DemoClient, client: ApiClient) -> bool:
    folder = demo_dir()
    try:
        written = json.loads((folder / f"{spec.slug}.json").read_text())
    except (OSError, ValueError):
        return False
    kids = {key.get("kid") for key in client.jwks.get("keys", [])}
    return (
        written.get("client_id") == client.client_id
        and written.get("kid") in kids
        and (folder / f"{spec.slug}.pem").exists()
    )


def _write(spec: DemoClient, client: ApiClient, key, kid: str) -> None:
    folder = demo_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key_path = folder / f"{spec.slug}.pem"
    # The private key: readable by its owner only, like a real one.
    key_path.touch(mode=0o600, exist_ok=True)
    key_path.chmod(0o600)
    key_path.write_bytes(pem)
    about = {
        "client_id": client.client_id,
        "kid": kid,
        "alg": spec.alg,
        "name": spec.name,
        "token_url": token_url(),
        "fhir_base": settings.SITE_URL + reverse("interop:metadata").rsplit("/", 1)[0],
        "private_key": key_path.name,
    }
    (folder / f"{spec.slug}.json").write_text(json.dumps(about, indent=2) + "\n")


# --- Lakeside's consents ---------------------------------------------------------------


def _consents(rng: random.Random, users, today: date) -> list[Client]:
    """A TPO consent naming Lakeside for a few clients in the intensive phase
    (their primary-care clinic); the same clients on every run."""
    on_file = list(
        Client.objects.filter(
            consents__recipient_organization=LAKESIDE, consents__revoked_at__isnull=True
        )
        .distinct()
        .order_by("pk")
    )
    if on_file:
        return on_file
    candidates = list(
        Client.objects.filter(episodes__phase=Episode.Phase.INTENSIVE).distinct().order_by("pk")
    )
    chosen = rng.sample(candidates, min(CONSENTING, len(candidates)))
    for client in chosen:
        episode = client.episodes.filter(phase=Episode.Phase.INTENSIVE).first()
        actor = episode.primary_counselor or users["supervisor"]
        consent_record(
            actor=actor,
            client=client,
            data={
                "recipient_kind": Consent.RecipientKind.PRESCRIBER,
                "recipient_member": None,
                "recipient_name": LAKESIDE_CLINICIAN,
                "recipient_organization": LAKESIDE,
                "recipient_contact": "1200 Lakeside Drive, Austin, TX",
                "discloser": "OpenIOP (the program's clinical staff)",
                "categories": [
                    "attendance",
                    "progress",
                    "screening",
                    "drug_tests",
                    "medications",
                    "treatment_plan",
                ],
                "description": "The treatment record the primary-care clinic needs to "
                "coordinate care: attendance, progress, screening results, drug tests, "
                "medications and the treatment plan.",
                "purpose": "Treatment, payment and health care operations with the "
                "client's primary-care clinic.",
                "scope": Consent.Scope.TPO,
                "revocation_instructions": "The client may revoke this consent at any time, "
                "orally or in writing, by telling any program staff member.",
                "expires_on": today + timedelta(days=365),
                "expiry_event": "",
                "signed_on": max(episode.admission_date or today, today - timedelta(days=20)),
                "signature_name": client.legal_name,
                "signature_method": Consent.SignatureMethod.CONFIRMED,
                "signature_drawing": "",
                "signature_confirmed": True,
            },
        )
    return sorted(chosen, key=lambda c: c.pk)


# --- their use -------------------------------------------------------------------------


def _traffic(rng: random.Random, client: ApiClient, patients) -> None:
    """Some days of tokens and searches (skipped when the client has requests).
    Older days are rows only; today's reads go through the gate, which
    decides each client record and writes the ledger and the audit trail."""
    if ApiRequest.objects.filter(client=client).exists():
        return
    patients = list(patients)
    now = timezone.now()
    source = REGISTRY["Patient"].sources[0]
    tokens, requests = [], []
    for days_ago in sorted(rng.sample(range(1, 28), 6), reverse=True):
        at = now - timedelta(days=days_ago, minutes=rng.randint(0, 600))
        tokens.append(_token(client, at))
        requests.append(_request(client, at, "POST", "/fhir/auth/token", 200))
        for _ in range(rng.randint(1, 3)):
            found = rng.sample(patients, min(len(patients), rng.randint(1, 5)))
            requests.append(
                _request(
                    client,
                    at + timedelta(seconds=rng.randint(1, 240)),
                    "GET",
                    "/fhir/Patient",
                    200,
                    returned=[f"Patient/{p.public_id}" for p in found],
                )
            )
    # A refusal the administrator sees: a read of a record it may not have.
    missing = f"/fhir/Patient/{uuid.uuid4()}"
    requests.append(_request(client, now - timedelta(hours=3), "GET", missing, 404))
    tokens.append(_token(client, now))
    AccessToken.objects.bulk_create(tokens)
    ApiRequest.objects.bulk_create(requests)
    with transaction.atomic():
        gate = Gate(client)
        gate.admit(patients, source, [p.pk for p in patients])
        today_read = ApiRequest.objects.create(
            client=client,
            method="GET",
            path="/fhir/Patient",
            scope=client.scopes[0],
            status=200,
            returned=[f"Patient/{p.public_id}" for p in patients],
        )
        gate.record(
            request=None,
            reference=str(today_read.public_id),
            description="FHIR API GET /fhir/Patient",
        )
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=today_read.at)


def _token(client: ApiClient, at) -> AccessToken:
    # A digest of a token drawn and forgotten: none of them can be used.
    return AccessToken(
        client=client,
        digest=digest(secrets.token_urlsafe(32)),
        scopes=list(client.scopes),
        issued_at=at,
        expires_at=at + TOKEN_LIFETIME,
    )


def _request(client, at, method, path, status, returned=()) -> ApiRequest:
    return ApiRequest(
        client=client,
        at=at,
        method=method,
        path=path,
        scope=client.scopes[0] if status < 400 else "",
        status=status,
        outcome="Patient not found." if status == 404 else "",
        returned=list(returned),
        ip_address="10.20.0.15",
    )
