"""The FHIR API part of manage.py seed_demo: the two demo clients with their
keys written where scripts/fhir_token.py reads them (the README's curl
example, run here through the test client), Lakeside's consents, their use
as the administrator's pages show it; safe to run again."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from devdata.demo.interop import demo_dir
from family.models import Consent, Disclosure
from interop import selectors
from interop.models import AccessToken, ApiClient, ApiRequest
from interop.tokens import ASSERTION_TYPE
from tests.devdata.demo.seeding import seed

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "fhir_token.py"


def _script(*args) -> str:
    done = subprocess.run(  # noqa: S603 -- our own script, fixed arguments
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _token(http, slug: str, scope: str) -> str:
    response = http.post(
        reverse("interop:token"),
        {
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": _script(slug),
            "scope": scope,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def _counts() -> dict:
    models = (ApiClient, AccessToken, ApiRequest, Consent, Disclosure)
    return {model.__name__: model.objects.count() for model in models}


def test_seeding_registers_the_two_clients_and_is_idempotent(seeded):
    first = _counts()

    seed()

    assert _counts() == first
    warehouse = ApiClient.objects.get(name="Clinic data warehouse")
    lakeside = ApiClient.objects.get(name="Lakeside EHR")
    assert warehouse.is_internal and warehouse.is_active
    assert (lakeside.purpose, lakeside.recipient_kind) == ("treatment", "prescriber")
    assert lakeside.organization == "Lakeside Primary Care"
    assert "API clients: 2" in seeded


def test_lakeside_has_tpo_consents_and_caused_disclosures(seeded):
    lakeside = ApiClient.objects.get(name="Lakeside EHR")
    consents = Consent.objects.filter(recipient_organization="Lakeside Primary Care")

    assert consents.count() >= 2
    assert set(consents.values_list("scope", flat=True)) == {Consent.Scope.TPO}
    counts = selectors.disclosure_counts([lakeside.pk])
    assert counts[lakeside.pk] == consents.count()
    consenting = set(consents.values_list("client_id", flat=True))
    assert {d.client_id for d in selectors.recent_disclosures(lakeside)} == consenting


def test_both_clients_show_weeks_of_use(seeded):
    clients = {c.name: c for c in selectors.api_clients_with_use()}

    for client in clients.values():
        assert client.tokens_issued >= 7
        assert client.requests_recent >= 8
        assert client.last_used_at is not None
        assert ApiRequest.objects.filter(client=client, status=404).exists()


def test_the_key_files_are_private_and_name_the_registered_clients(seeded):
    folder = demo_dir()
    for slug, name in (("warehouse", "Clinic data warehouse"), ("lakeside", "Lakeside EHR")):
        assert (folder / f"{slug}.pem").stat().st_mode & 0o077 == 0
        assert _script(slug, "--show", "client-id") == ApiClient.objects.get(name=name).client_id
    assert _script("lakeside", "--show", "token-url") == settings.SITE_URL + "/fhir/auth/token"


def test_the_readme_example_reads_only_the_consenting_clients(seeded, client):
    token = _token(client, "lakeside", "system/Patient.rs")

    response = client.get("/fhir/Patient", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    found = {e["resource"]["id"] for e in response.json().get("entry", [])}
    consenting = Consent.objects.filter(recipient_organization="Lakeside Primary Care")
    assert found == {str(c.client.public_id) for c in consenting.select_related("client")}


def test_the_warehouse_reads_the_whole_program(seeded, client):
    token = _token(client, "warehouse", "system/*.rs")

    response = client.get("/fhir/Patient", {"_count": 5}, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert len(response.json()["entry"]) == 5


def test_a_missing_key_file_is_replaced_by_a_new_registered_key(seeded, client):
    (demo_dir() / "lakeside.pem").unlink()

    seed()

    assert _token(client, "lakeside", "system/Patient.rs")
    assert ApiClient.objects.filter(name="Lakeside EHR").count() == 1
