"""A registered FHIR API client on the load database, for the API benchmark.

    python -m tests.perf.fhir OUT.json

Run by tests/perf/test_fhir_search.py in the application's environment
(server.app_env): a program-internal client with a fresh RS384 key, and the
client in the clinic with the most instrument scores (the Observation search
with the most to return); writes the client id, the private key (PEM) and
the patient's id to OUT.json, the benchmark's own file."""

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from cryptography.hazmat.primitives import serialization
    from django.db.models import Count

    from iop.accounts.models import User
    from iop.clients.models import Client
    from tests.interop.support import register_client

    patient = (
        Client.objects.annotate(scores=Count("administrations")).order_by("-scores", "pk").first()
    )
    registered = register_client(
        name="Benchmark warehouse",
        organization="Benchmark warehouse",
        created_by=User.objects.filter(is_superuser=True).first() or User.objects.first(),
    )
    pem = registered.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    Path(argv[1]).write_text(
        json.dumps(
            {
                "client_id": registered.client.client_id,
                "kid": registered.kid,
                "key": pem,
                "patient": str(patient.public_id),
                "scores": patient.scores,
            }
        ),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
