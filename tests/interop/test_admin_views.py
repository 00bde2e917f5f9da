"""The administrator's API client pages: who may open them, what they show
(use, tokens, the disclosures caused), their query counts at two sizes, and
registering and revoking through them."""

import json
from datetime import timedelta

import jwt
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from family.models import Consent, Disclosure
from interop.models import AccessToken, ApiClient, ApiRequest
from iop.audit.models import AuditEvent
from tests.factories import EpisodeFactory
from tests.family.factories import consent_for
from tests.interop.support import bearer, ec_key, fhir_get, jwks_of, register_client

LIST_URL = reverse("interop:client-list")
REGISTER_URL = reverse("interop:client-register")
LAKESIDE = "Lakeside Primary Care"


def _detail(client: ApiClient) -> str:
    return reverse("interop:client-detail", args=[client.public_id])


def _revoke(client: ApiClient) -> str:
    return reverse("interop:client-revoke", args=[client.public_id])


def _treatment_client(**fields):
    return register_client(
        purpose=ApiClient.Purpose.TREATMENT,
        organization=LAKESIDE,
        recipient_kind=Consent.RecipientKind.PRESCRIBER,
        **fields,
    )


def _patients_with_consent(count: int, actor) -> list:
    """Clients in treatment with a TPO consent naming Lakeside."""
    patients = [EpisodeFactory().client for _ in range(count)]
    for patient in patients:
        consent_for(
            patient,
            actor=actor,
            recipient_kind=Consent.RecipientKind.PRESCRIBER,
            recipient_name="Dr. Priya Raman",
            recipient_organization=LAKESIDE,
            scope=Consent.Scope.TPO,
            recorded_at=timezone.now() - timedelta(minutes=1),
        )
    return patients


def _use(http, registered, reads: int = 1) -> None:
    """A token and `reads` Patient searches, through the API itself."""
    headers = bearer(http, registered)
    for _ in range(reads):
        assert fhir_get(http, "Patient", headers)[1].status_code == 200


def _traffic(client: ApiClient, requests: int) -> None:
    """Older rows, as weeks of use leave them."""
    now = timezone.now()
    AccessToken.objects.bulk_create(
        AccessToken(
            client=client,
            digest=f"{client.pk:08d}{n:056d}",
            scopes=["system/*.rs"],
            issued_at=now - timedelta(hours=n + 1),
            expires_at=now - timedelta(hours=n + 1) + timedelta(minutes=5),
        )
        for n in range(requests)
    )
    ApiRequest.objects.bulk_create(
        ApiRequest(
            client=client,
            at=now - timedelta(days=n),
            method="GET",
            path="/fhir/Patient",
            scope="system/*.rs",
            status=200,
            returned=[f"Patient/{n}"] * 3,
        )
        for n in range(requests)
    )


# --- who may open them ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["counselor1", "supervisor", "billing_user", "intake"])
def test_other_roles_get_403_on_every_page(request, db, login, role):
    registered = register_client()
    browser = login(request.getfixturevalue(role))

    assert browser.get(LIST_URL).status_code == 403
    assert browser.get(REGISTER_URL).status_code == 403
    assert browser.post(REGISTER_URL, {}).status_code == 403
    assert browser.get(_detail(registered.client)).status_code == 403
    assert browser.post(_revoke(registered.client), {"confirm": "yes"}).status_code == 403
    registered.client.refresh_from_db()
    assert registered.client.is_active


def test_anonymous_is_sent_to_sign_in(client, db):
    registered = register_client()

    for url in (LIST_URL, REGISTER_URL, _detail(registered.client)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")


def test_revoke_takes_only_a_post(login, administrator):
    registered = register_client()

    assert login(administrator).get(_revoke(registered.client)).status_code == 405


def test_an_unknown_client_is_404(login, administrator):
    missing = ApiClient(name="x")

    assert login(administrator).get(_detail(missing)).status_code == 404


# --- the list ------------------------------------------------------------------------


def test_list_shows_each_client_with_its_use_and_disclosures(client, login, administrator):
    patients = _patients_with_consent(2, administrator)
    lakeside = _treatment_client(name="Lakeside EHR")
    _use(client, lakeside, reads=2)
    warehouse = register_client(name="Clinic data warehouse")
    _use(client, warehouse)
    revoked = register_client(name="Old warehouse", revoked_at=timezone.now())

    response = login(administrator).get(LIST_URL)

    assert response.status_code == 200
    rows = {row.name: row for row in response.context["clients"]}
    assert rows["Lakeside EHR"].tokens_issued == 1
    assert rows["Lakeside EHR"].requests_recent == 3  # the token request and two searches
    assert rows["Lakeside EHR"].disclosures == 2 * len(patients)
    assert rows["Lakeside EHR"].last_token_at is not None
    assert rows["Clinic data warehouse"].disclosures == 0
    assert [row.name for row in response.context["clients"]][-1] == "Old warehouse"
    page = response.content.decode()
    assert "internal use" in page and "revoked" in page
    assert LAKESIDE in page and "system/*.rs" in page
    assert revoked.client.name in page and warehouse.client.name in page


def test_disclosures_made_by_a_bulk_export_count_for_its_client(client, login, administrator):
    """The export's ledger rows name the export job: counted for its client too."""
    from family.consents import Entry, Recipient, disclosures_record
    from interop.models import ExportJob

    [patient] = _patients_with_consent(1, administrator)
    lakeside = _treatment_client(name="Lakeside EHR")
    job = ExportJob.objects.create(
        client=lakeside.client,
        kind=ExportJob.Kind.SYSTEM,
        types=["Patient"],
        request_url="x",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    disclosures_record(
        entries=[
            Entry(
                client=patient,
                recipient=Recipient.entity(Consent.RecipientKind.PRESCRIBER, LAKESIDE),
                categories=[],
                identity=True,
                description="FHIR bulk export",
                reference=f"{job.public_id}:{patient.pk}",
                use="treatment",
            )
        ],
        path=Disclosure.Path.API,
    )
    response = login(administrator).get(LIST_URL)
    rows = {row.name: row for row in response.context["clients"]}
    assert rows["Lakeside EHR"].disclosures == 1


def test_list_query_count_does_not_grow_with_clients_and_traffic(
    client, login, administrator, django_assert_num_queries
):
    _patients_with_consent(1, administrator)
    _use(client, _treatment_client())
    browser = login(administrator)
    browser.get(LIST_URL)  # the session and the content types, once
    with django_assert_num_queries(LIST_QUERIES) as small:
        browser.get(LIST_URL)

    _patients_with_consent(9, administrator)
    for n in range(9):
        registered = _treatment_client(name=f"EHR {n}")
        _use(client, registered, reads=2)
        _traffic(registered.client, 10)
    with django_assert_num_queries(LIST_QUERIES) as large:
        response = browser.get(LIST_URL)

    assert len(response.context["clients"]) == 10
    assert len(small.captured_queries) == len(large.captured_queries)


# The session, its user and roles, the clients with their use (one query),
# the disclosures' join, the unread notifications, the session's save (3).
LIST_QUERIES = 9


# --- the detail page -------------------------------------------------------------------


def test_detail_shows_how_to_connect_and_the_recent_use(client, login, administrator, settings):
    patients = _patients_with_consent(2, administrator)
    lakeside = _treatment_client(name="Lakeside EHR")
    _use(client, lakeside)

    response = login(administrator).get(_detail(lakeside.client))

    assert response.status_code == 200
    page = response.content.decode()
    assert lakeside.client.client_id in page
    assert f"{settings.SITE_URL}/fhir/auth/token" in page
    assert f"{settings.SITE_URL}/fhir</code>" in page
    [search, token] = response.context["requests"]
    assert (search.path, search.status, search.returned_count) == ("/fhir/Patient", 200, 2)
    assert token.path == "/fhir/auth/token"
    assert len(response.context["tokens"]) == 1
    disclosed = {d.client for d in response.context["disclosures"]}
    assert disclosed == set(patients)
    for patient in patients:
        assert patient.display_name in page
    assert lakeside.kid in page


def test_detail_never_shows_a_token_or_its_digest(client, login, administrator):
    lakeside = _treatment_client()
    headers = bearer(client, lakeside)
    token = headers["HTTP_AUTHORIZATION"].split()[1]

    page = login(administrator).get(_detail(lakeside.client)).content.decode()

    assert token not in page
    assert AccessToken.objects.get().digest not in page


def test_detail_records_a_view_of_each_client_it_names(client, login, administrator):
    patients = _patients_with_consent(2, administrator)
    lakeside = _treatment_client()
    _use(client, lakeside)

    login(administrator).get(_detail(lakeside.client))

    views = AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, actor=administrator, details__list="api_client"
    )
    assert {event.client for event in views} == set(patients)


def test_detail_of_an_internal_client_shows_no_ledger(client, login, administrator):
    EpisodeFactory()
    warehouse = register_client()
    _use(client, warehouse)

    response = login(administrator).get(_detail(warehouse.client))

    assert response.context["disclosures"] == []
    assert "a use within the program" in response.content.decode()


def test_detail_query_count_does_not_grow_with_traffic(
    client, login, administrator, django_assert_num_queries
):
    _patients_with_consent(1, administrator)
    lakeside = _treatment_client()
    _use(client, lakeside)
    browser = login(administrator)
    browser.get(_detail(lakeside.client))
    with django_assert_num_queries(DETAIL_QUERIES):
        browser.get(_detail(lakeside.client))

    _patients_with_consent(9, administrator)
    _use(client, lakeside, reads=5)
    _traffic(lakeside.client, 40)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = browser.get(_detail(lakeside.client))

    assert len(response.context["disclosures"]) == 20
    assert len(response.context["requests"]) == 20


# The session, its user and roles, the client with its use, the disclosures'
# count, the recent disclosures with their clients and consents, the view
# events (one insert), the requests, the tokens, the unread notifications,
# the session's save.
DETAIL_QUERIES = 13


# --- registering ----------------------------------------------------------------------


def _form(**overrides) -> dict:
    data = {
        "name": "Lakeside EHR",
        "organization": LAKESIDE,
        "recipient_kind": "prescriber",
        "purpose": "treatment",
        "scopes": ["system/Patient.rs"],
        "jwks": json.dumps(jwks_of(ec_key(), "lakeside-1", "ES384")),
        "contact": "it@lakeside.example.org",
    }
    data.update(overrides)
    return data


def test_register_page_offers_every_scope_and_no_family_kind(login, administrator):
    response = login(administrator).get(REGISTER_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="system/*.rs"' in page and 'value="system/Patient.rs"' in page
    assert 'value="family"' not in page


def test_register_creates_the_client_and_shows_its_client_id(login, administrator):
    browser = login(administrator)

    response = browser.post(REGISTER_URL, _form())

    registered = ApiClient.objects.get()
    assert response.status_code == 302 and response.url == _detail(registered)
    page = browser.get(response.url).content.decode()
    assert registered.client_id in page
    assert "API client registered" in page
    assert registered.scopes == ["system/Patient.rs"] and registered.created_by == administrator


def test_register_with_a_private_key_shows_the_form_again_and_saves_nothing(login, administrator):
    key = ec_key()
    jwk = json.loads(jwt.algorithms.get_default_algorithms()["ES384"].to_jwk(key))
    private = {"keys": [{**jwk, "kid": "oops"}]}

    response = login(administrator).post(REGISTER_URL, _form(jwks=json.dumps(private)))

    assert response.status_code == 400
    assert "private key" in response.content.decode()
    assert not ApiClient.objects.exists()


def test_a_nul_in_the_form_is_the_plain_400_page_not_an_api_request(login, administrator):
    response = login(administrator).post(REGISTER_URL, _form(name="Lake\x00side"))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert not ApiRequest.objects.exists() and not ApiClient.objects.exists()


def test_register_with_missing_fields_is_a_400(login, administrator):
    response = login(administrator).post(REGISTER_URL, {"name": "x"})

    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"organization", "scopes", "jwks"}


# --- revoking -------------------------------------------------------------------------


def test_revoke_with_confirmation_ends_access_at_once(client, login, administrator):
    EpisodeFactory()
    lakeside = register_client()
    headers = bearer(client, lakeside)
    browser = login(administrator)

    response = browser.post(_revoke(lakeside.client), {"confirm": "yes"})

    assert response.status_code == 302 and response.url == _detail(lakeside.client)
    lakeside.client.refresh_from_db()
    assert lakeside.client.revoked_by == administrator
    assert fhir_get(client, "Patient", headers)[1].status_code == 401


def test_revoke_without_confirmation_changes_nothing(login, administrator):
    lakeside = register_client()
    browser = login(administrator)

    response = browser.post(_revoke(lakeside.client), {})

    lakeside.client.refresh_from_db()
    assert lakeside.client.is_active
    assert [str(m) for m in get_messages(response.wsgi_request)][0].startswith("Confirm revoking")


def test_a_revoked_client_offers_no_revoke_button(login, administrator):
    lakeside = register_client(revoked_at=timezone.now())

    page = login(administrator).get(_detail(lakeside.client)).content.decode()

    assert _revoke(lakeside.client) not in page
    assert Disclosure.objects.count() == 0
