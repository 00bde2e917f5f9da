"""Guards over every URL of the project, read from the resolver so that routes
added later are covered without anyone remembering to add a test:

- a client-scoped route answers an outsider exactly as it answers a missing client;
- nothing but the public pages is served to an anonymous visitor;
- every client-scoped page writes a view event to the audit trail;
- every page shown to a signed-in user says Cache-Control: no-store.
"""

import re
import uuid
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from iop.audit.models import AuditEvent

LOGIN_PATH = "/accounts/login/"
ADMIN_LOGIN_PATH = "/admin/login/"

# Reachable without signing in. The app's logout is POST-only and holds
# nothing, so an anonymous GET is refused (405) rather than redirected.
# The SMS webhook authenticates the provider by its request signature instead.
# The favicon is a redirect to a static file, as public as the file.
PUBLIC_ROUTES = {
    "accounts:login",
    "accounts:logout",
    "favicon",
    "health",
    "admin:login",
    "admin:logout",
    "reminders:sms-inbound",
    # Self-report links: a client's one-time link, no staff sign-in.
    "selfreport:open",
    "selfreport:form",
    "selfreport:done",
    # The clinic tablet's questionnaire: no staff sign-in (the device was
    # handed to a client), reachable only from the kiosk session a counselor
    # started on that device (outcomes.middleware); otherwise the lock screen.
    "outcomes:kiosk",
    # The FHIR API's discovery documents, public as FHIR servers publish
    # them (the CapabilityStatement, the SMART configuration), and its token
    # endpoint, which authenticates each caller by its signed client
    # assertion instead of a session (POST only).
    "interop:metadata",
    "interop:smart-configuration",
    "interop:token",
}

# The FHIR API's resource routes: a bearer token or nothing. A session is
# not a token: anonymous or signed in, a request without one is a 401
# OperationOutcome, never the sign-in page (a machine client cannot follow it).
BEARER_ROUTES = {
    "interop:search",
    "interop:read",
    # Bulk export (Bulk Data Access 2.0): the kick-offs, the status URL, the files.
    "interop:export",
    "interop:group-export",
    "interop:export-status",
    "interop:export-file",
}

_FILL = {"uuid": None, "int": "1", "str": "x", "slug": "x"}
_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_CSRF_TOKEN = re.compile(r"[A-Za-z0-9]{64}")
_CSP_NONCE = re.compile(r'nonce="[A-Za-z0-9+/=]+"')


@dataclass(frozen=True)
class Route:
    route: str  # the full route, e.g. "clients/<uuid:client_id>/"
    name: str  # the namespaced name, e.g. "clients:client-detail"
    params: tuple[tuple[str, str], ...]  # (kwarg, converter) in order

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def kwargs(self) -> set[str]:
        return {name for name, _ in self.params}

    def url(self, **values) -> str:
        """The path with each parameter filled from `values`, else by converter."""

        def fill(match):
            name = match["name"]
            if name in values:
                return str(values[name])
            converter = match["converter"] or "str"
            return _FILL[converter] or str(uuid.uuid4())

        return "/" + _ROUTE_PARAM.sub(fill, self.route)


def _segment(pattern) -> str | None:
    """The route text of one pattern, or None where it cannot be filled in."""
    if isinstance(pattern, RoutePattern):
        converters = {m["converter"] or "str" for m in _ROUTE_PARAM.finditer(str(pattern))}
        return str(pattern) if converters <= _FILL.keys() else None
    if isinstance(pattern, RegexPattern) and re.compile(pattern._regex).groups == 0:
        return pattern._regex.lstrip("^").rstrip("$")
    return None


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        segment = _segment(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + (segment if segment is not None else "\0"), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + (segment if segment is not None else "\0")
            params = tuple(
                (m["name"], m["converter"] or "str") for m in _ROUTE_PARAM.finditer(route)
            )
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield Route(route=route, name=name, params=params)


def _all_routes():
    routes, skipped = [], []
    for route in _walk(get_resolver()):
        (skipped if "\0" in route.route else routes).append(route)
    return routes, skipped


ROUTES, SKIPPED = _all_routes()
CLIENT_ROUTES = [route for route in ROUTES if "client_id" in route.kwargs]
PRIVATE_ROUTES = [route for route in ROUTES if route.name not in PUBLIC_ROUTES | BEARER_ROUTES]
API_ROUTES = [route for route in ROUTES if route.name in BEARER_ROUTES]


def _ids(routes):
    return [route.route or "/" for route in routes]


def _normalised(response) -> str:
    # Each response carries a freshly masked CSRF token and its own
    # Content-Security-Policy nonce; nothing else may differ.
    page = _CSRF_TOKEN.sub("<csrf>", response.content.decode())
    return _CSP_NONCE.sub('nonce="<nonce>"', page)


def test_route_enumeration_finds_client_scoped_routes():
    assert CLIENT_ROUTES, "no route takes a client_id: the guards below would test nothing"
    assert "clients:client-detail" in {route.name for route in CLIENT_ROUTES}


def test_only_admin_routes_are_skipped_for_unfillable_converters():
    """Every route of the application is checked; only the Django admin's own
    path/regex routes are left out (counted here)."""
    assert [route.route for route in SKIPPED if not route.route.startswith("admin/")] == []
    assert len(SKIPPED) < len(ROUTES)


# (a) the access policy, route by route ---------------------------------------------


@pytest.mark.parametrize("route", CLIENT_ROUTES, ids=_ids(CLIENT_ROUTES))
def test_client_route_get_is_404_for_other_caseload(login, counselor2, client_of_counselor1, route):
    response = login(counselor2).get(route.url(client_id=client_of_counselor1.public_id))

    assert response.status_code == 404


@pytest.mark.parametrize("route", CLIENT_ROUTES, ids=_ids(CLIENT_ROUTES))
def test_client_route_get_404_is_identical_to_missing_client(
    login, counselor2, client_of_counselor1, route
):
    browser = login(counselor2)
    other_ids = {name: uuid.uuid4() for name, _ in route.params if name != "client_id"}

    outsider = browser.get(route.url(client_id=client_of_counselor1.public_id, **other_ids))
    missing = browser.get(route.url(client_id=uuid.uuid4(), **other_ids))

    assert outsider.status_code == missing.status_code == 404
    assert _normalised(outsider) == _normalised(missing)


@pytest.mark.parametrize("route", CLIENT_ROUTES, ids=_ids(CLIENT_ROUTES))
def test_client_route_post_is_404_for_other_caseload(
    login, counselor2, client_of_counselor1, route
):
    browser = login(counselor2)
    other_ids = {name: uuid.uuid4() for name, _ in route.params if name != "client_id"}

    outsider = browser.post(
        route.url(client_id=client_of_counselor1.public_id, **other_ids), {}, follow=False
    )
    missing = browser.post(route.url(client_id=uuid.uuid4(), **other_ids), {}, follow=False)

    if outsider.status_code == 405:
        pytest.skip(f"{route.name} does not accept POST")
    assert outsider.status_code == missing.status_code == 404
    assert _normalised(outsider) == _normalised(missing)


@pytest.mark.parametrize("route", CLIENT_ROUTES, ids=_ids(CLIENT_ROUTES))
def test_client_route_refusal_writes_no_audit_view(login, counselor2, client_of_counselor1, route):
    login(counselor2).get(route.url(client_id=client_of_counselor1.public_id))

    assert not AuditEvent.objects.filter(client=client_of_counselor1).exists()


# (b) sign-in first ------------------------------------------------------------------


@pytest.mark.parametrize("route", PRIVATE_ROUTES, ids=_ids(PRIVATE_ROUTES))
def test_anonymous_get_redirects_to_login(client, db, route):
    url = route.url()

    response = client.get(url)

    login_path = ADMIN_LOGIN_PATH if route.is_admin else LOGIN_PATH
    assert response.status_code == 302, f"{url} answered {response.status_code}"
    assert response.url.startswith(f"{login_path}?next=")


def test_every_bearer_route_exists():
    assert sorted(BEARER_ROUTES - {route.name for route in ROUTES}) == []


@pytest.mark.parametrize("route", API_ROUTES, ids=_ids(API_ROUTES))
def test_anonymous_api_request_is_a_401_operation_outcome(client, db, route):
    response = client.get(route.url())

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["resourceType"] == "OperationOutcome"


def test_anonymous_may_open_login_page(client, db):
    assert client.get(LOGIN_PATH).status_code == 200


def test_anonymous_may_read_health(client, db):
    assert client.get("/health").status_code == 200


# (c) every client page is audited -----------------------------------------------------


def _real_values(client):
    """Values for a client route's other parameters that exist for `client`."""
    episode = client.episodes.first()
    return {"client_id": client.public_id, "episode_id": episode.public_id}


def test_every_client_page_writes_a_view_event(login, supervisor, client_of_counselor1):
    browser = login(supervisor)
    values = _real_values(client_of_counselor1)
    shown = []

    for route in CLIENT_ROUTES:
        url = route.url(**values)
        before = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count()
        response = browser.get(url)
        if response.status_code != 200:
            continue
        shown.append(url)
        views = AuditEvent.objects.filter(
            action=AuditEvent.Action.VIEW, client=client_of_counselor1, path=url
        )
        assert views.exists(), f"{url} was shown without an audit event"
        assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count() > before

    assert shown, "no client page answered 200: the audit check tested nothing"


# (d) no copies in caches ----------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["intake", "counselor1", "counselor2", "supervisor", "administrator", "billing_user"]
)
def test_every_authenticated_response_is_no_store(request, login, client_of_counselor1, role):
    browser = login(request.getfixturevalue(role))
    values = _real_values(client_of_counselor1)
    missing = []

    for route in ROUTES:
        response = browser.get(route.url(**{k: v for k, v in values.items() if k in route.kwargs}))
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        if "no-store" not in directives:
            missing.append((route.route, response.status_code))

    assert missing == []
