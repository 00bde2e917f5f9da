"""A black-box check of the access policy: every route of the project, filled
with the ids of a populated program, is requested as an anonymous visitor and
as each member of the cast, and every answer is compared with what the policy
and the route's declared roles say it must be.

The roles of each route are declared here, in ACCESS, from the views' role
decorators; a route without a declaration fails with a message naming it, so
a route added later is covered once someone states who may use it.
"""

from dataclasses import dataclass, field

import pytest

from groups.selectors import groups_visible_to
from iop.audit.policy import clients_visible_to, holds_record
from tests.security.conftest import ROLES
from tests.test_routes import ADMIN_LOGIN_PATH, BEARER_ROUTES, LOGIN_PATH, PUBLIC_ROUTES, ROUTES

# Every test here needs the test database, even one that reads only the world.
pytestmark = pytest.mark.django_db

INTAKE, COUNSELOR, SUPERVISOR, ADMINISTRATOR = "intake", "counselor", "supervisor", "admin"
BILLING = "billing"
EVERYONE = (INTAKE, COUNSELOR, SUPERVISOR, ADMINISTRATOR, BILLING)
# Every role that reads the clinical record: all but billing (minimum necessary).
RECORD = (INTAKE, COUNSELOR, SUPERVISOR, ADMINISTRATOR)
BILLING_STAFF = (BILLING, ADMINISTRATOR)
CLINICIANS = (COUNSELOR, SUPERVISOR)
SCREENERS = (INTAKE, SUPERVISOR)
CLINICAL = (INTAKE, COUNSELOR, SUPERVISOR)
PROGRAM = (SUPERVISOR, ADMINISTRATOR)
# Billing staff (not in the cast): the roles a billing view declares.
BILLING = "billing"
BILLING_STAFF = (BILLING, ADMINISTRATOR)


# The cast's role, as ACCESS names it.
ROLE_OF = {
    "intake": INTAKE,
    "counselor_a": COUNSELOR,
    "counselor_b": COUNSELOR,
    "supervisor": SUPERVISOR,
    "administrator": ADMINISTRATOR,
    "billing": BILLING,
}

PAGE, POST_ONLY = 200, 405


@dataclass(frozen=True)
class Access:
    """Who may use a route and what a GET answers them.

    roles: the roles let in (the view's role decorator);
    get: the status of a GET by a role let in (405 for POST-only endpoints);
    scope: "client" where the route names a client (the policy decides first:
    outside it, 404 before any role check), "group" where it names a group
    or group session (roles first, then the groups the user runs, else 404);
    allowed_get: exceptions to `get` for one role, with the reason beside them;
    empty_post: what an empty POST by a role let in answers, where it is not
    a form error or a redirect (the POST must name a record that it lacks);
    role_decorator: False for a view that asks only for a signed-in user.
    """

    roles: tuple[str, ...]
    get: int = PAGE
    scope: str | None = None
    allowed_get: dict = field(default_factory=dict)
    empty_post: int | None = None
    # False where the view asks only for a signed-in user (login_required):
    # pages about one's own account, open to every role.
    role_decorator: bool = True
    # The parts of the record for those who hold it (policy.holds_record):
    # others who see the client get a 403 (client_view(whole_record=True)).
    whole_record: bool = False


def client_route(roles, get=PAGE, **kwargs):
    return Access(roles, get, scope="client", **kwargs)


def own_account(get=PAGE):
    return Access(EVERYONE, get, role_decorator=False)


def family_route(roles, get=PAGE):
    return Access(roles, get, scope="client", whole_record=True)


def group_route(roles, get=PAGE):
    return Access(roles, get, scope="group")


ACCESS = {
    # accounts: one's own account, and the administrator's lockouts
    # Nothing to verify without a second factor pending: back to the home page.
    "accounts:mfa-verify": own_account(302),
    "accounts:mfa-enroll": own_account(),
    "accounts:account": own_account(),
    "accounts:email-change": own_account(),
    # Without an authenticator there are no codes to show or device to remove.
    "accounts:mfa-recovery-codes": own_account(302),
    "accounts:mfa-remove": own_account(302),
    "accounts:reauth": own_account(),
    "accounts:session-status": own_account(),
    "accounts:session-keepalive": own_account(POST_ONLY),
    "accounts:lockout-list": Access((ADMINISTRATOR,)),
    "accounts:lockout-unlock": Access((ADMINISTRATOR,), POST_ONLY),
    # dashboard
    # Billing has a home of its own (billing:home): sent there.
    "dashboard:home": Access(EVERYONE, allowed_get={BILLING: 302}),
    "dashboard:system-status": Access((ADMINISTRATOR,)),
    "dashboard:my-day": Access(CLINICIANS),
    "dashboard:worklists": Access(CLINICIANS),
    "dashboard:cosign-queue": Access((SUPERVISOR,)),
    "dashboard:cosign-bulk": Access((SUPERVISOR,), POST_ONLY),
    # The world's signed note needs no co-signature: it is not in the queue.
    "dashboard:cosign-read": Access((SUPERVISOR,), allowed_get={SUPERVISOR: 404}),
    "dashboard:program": Access(PROGRAM),
    "dashboard:program-clients": Access(PROGRAM),
    # A counselor sees the outcomes of their own caseload's admissions.
    "dashboard:outcomes": Access((COUNSELOR, SUPERVISOR, ADMINISTRATOR)),
    "dashboard:outcome-clients": Access((COUNSELOR, SUPERVISOR, ADMINISTRATOR)),
    # clients
    "clients:client-list": Access(EVERYONE),
    "clients:client-create": Access(SCREENERS),
    "clients:client-detail": client_route(RECORD),
    "clients:client-update": client_route(SCREENERS),
    "clients:client-print": client_route(RECORD),
    "clients:client-timeline": client_route(RECORD),
    "clients:client-section": client_route(RECORD),
    "clients:demographics-edit": client_route(CLINICAL),
    "clients:episode-assign": client_route((SUPERVISOR,)),
    "clients:appointment-new": client_route(CLINICIANS),
    "clients:session-document": client_route(CLINICIANS),
    "clients:appointment-cancel": client_route(CLINICIANS, POST_ONLY),
    "clients:note-cosign": client_route((SUPERVISOR,), POST_ONLY),
    "clients:note-addendum": client_route(CLINICIANS, POST_ONLY),
    "clients:plan-detail": client_route(CLINICIANS),
    "clients:plan-start": client_route(CLINICIANS, POST_ONLY),
    "clients:plan-add": client_route(CLINICIANS, POST_ONLY),
    # The objective is named in the POST: none named is a missing record.
    "clients:plan-objective-status": client_route(CLINICIANS, POST_ONLY, empty_post=404),
    "clients:plan-sign": client_route(CLINICIANS, POST_ONLY),
    # A review is of the active plan; the world's client has a draft only.
    "clients:plan-review": client_route(CLINICIANS, POST_ONLY, empty_post=404),
    "clients:drug-test-new": client_route(CLINICIANS),
    "clients:medication-new": client_route(CLINICIANS),
    "clients:medication-stop": client_route(CLINICIANS, POST_ONLY),
    "clients:meeting-new": client_route(CLINICIANS),
    "clients:diagnoses": client_route(RECORD),
    "clients:diagnosis-add-sud": client_route(CLINICAL, POST_ONLY),
    "clients:diagnosis-add-code": client_route(CLINICAL, POST_ONLY),
    "clients:diagnosis-confirm": client_route(CLINICIANS, POST_ONLY),
    "clients:diagnosis-primary": client_route(CLINICIANS, POST_ONLY),
    "clients:diagnosis-resolve": client_route(CLINICIANS, POST_ONLY),
    # The diagnosis at discharge is of a discharged episode; the world's is open.
    "clients:discharge-diagnosis": client_route(CLINICIANS, POST_ONLY, empty_post=404),
    "clients:diagnoses-proposed": Access(CLINICIANS),
    "clients:icd10-search": Access(CLINICAL),
    # outcomes: a self-report link sent now, from the chart
    "outcomes:link-send": client_route(CLINICIANS, POST_ONLY),
    # audit
    "audit:event-list": Access((ADMINISTRATOR,)),
    # Every role that reads the record, for holders of the break-glass
    # permission (the whole cast here, billing included: refused all the same).
    "audit:emergency-access": Access(RECORD),
    # screening
    "screening:worklist": Access(SCREENERS),
    "screening:referral-create": Access(SCREENERS),
    "screening:screening-start": client_route(SCREENERS, POST_ONLY),
    "screening:screening-detail": client_route(CLINICAL),
    "screening:screening-dimensions": client_route(SCREENERS, POST_ONLY),
    "screening:screening-complete": client_route(SCREENERS, POST_ONLY),
    "screening:screening-addendum": client_route(SCREENERS, POST_ONLY),
    "screening:screening-cosign": client_route((SUPERVISOR,), POST_ONLY),
    # A referral letter exists only for a completed screening that referred
    # the client elsewhere; the world's screening is in progress.
    "screening:referral-letter": client_route(SCREENERS, 404),
    # Counselors administer instruments, but not within someone's screening visit.
    "screening:screening-administer": client_route(CLINICAL, allowed_get={COUNSELOR: 404}),
    "screening:administer": client_route(CLINICAL),
    "screening:flag-address": client_route(CLINICAL),
    # reminders
    "reminders:notification-list": Access(EVERYONE),
    "reminders:notification-mark-read": Access(EVERYONE, POST_ONLY),
    # groups
    "groups:group-list": Access(CLINICIANS),
    "groups:group-detail": group_route(CLINICIANS),
    "groups:session-add": group_route(CLINICIANS, POST_ONLY),
    "groups:session-detail": group_route(CLINICIANS),
    "groups:session-drop-in-picker": group_route(CLINICIANS),
    "groups:session-drop-in-search": group_route(CLINICIANS),
    "groups:attendance-toggle": group_route(CLINICIANS, POST_ONLY),
    "groups:session-drop-in": group_route(CLINICIANS, POST_ONLY),
    "groups:session-remove": group_route(CLINICIANS, POST_ONLY),
    "groups:session-move": group_route(CLINICIANS, POST_ONLY),
    "groups:session-cancel": group_route(CLINICIANS, POST_ONLY),
    "groups:session-addendum": group_route(CLINICIANS, POST_ONLY),
    "groups:session-cosign": group_route((SUPERVISOR,), POST_ONLY),
    "groups:client-groups": client_route((SUPERVISOR,)),
    # family
    "family:member-new": family_route(CLINICIANS),
    "family:member-link": family_route(CLINICIANS, POST_ONLY),
    "family:member-edit": family_route(CLINICIANS),
    "family:consent-new": family_route(CLINICIANS),
    "family:consent-detail": family_route((COUNSELOR, SUPERVISOR, ADMINISTRATOR)),
    "family:consent-revoke": family_route(CLINICIANS, POST_ONLY),
    "family:consent-event": family_route(CLINICIANS, POST_ONLY),
    "family:release-export": family_route(CLINICIANS, POST_ONLY),
    "family:accounting-export": family_route((ADMINISTRATOR,)),
    "family:conjoint-attendees": client_route(CLINICIANS, POST_ONLY),
    "family:education-attendance": group_route(CLINICIANS, POST_ONLY),
    "family:ledger-export": Access((ADMINISTRATOR,)),
    # aftercare
    "aftercare:worklist": Access(CLINICIANS),
    "aftercare:step-down": client_route(CLINICIANS),
    "aftercare:check-in": client_route(CLINICIANS),
    "aftercare:outreach-attempt": client_route(CLINICIANS, POST_ONLY),
    "aftercare:discharge": client_route(CLINICIANS),
    "aftercare:readmit": client_route((SUPERVISOR,), POST_ONLY),
    # The summary is named in the URL; the world has none to name.
    "aftercare:summary-addendum": client_route(CLINICIANS, POST_ONLY, empty_post=404),
    # outcomes: the not-on-track rules
    "outcomes:rules": Access((ADMINISTRATOR,)),
    # billing: charges (a charge is named in the URL; the world has none to name)
    "billing:dashboard": Access(BILLING_STAFF),
    "billing:charges": Access(BILLING_STAFF),
    "billing:charges-export": Access(BILLING_STAFF),
    "billing:charges-mark-exported": Access(BILLING_STAFF, POST_ONLY),
    "billing:charge-detail": Access(BILLING_STAFF, 404),
    "billing:charge-hold": Access(BILLING_STAFF, POST_ONLY, empty_post=404),
    "billing:charge-release": Access(BILLING_STAFF, POST_ONLY, empty_post=404),
    "billing:charge-void": Access(BILLING_STAFF, POST_ONLY, empty_post=404),
    # billing: claims and batches (named in the URL; the world has none to name)
    "billing:claims": Access(BILLING_STAFF),
    "billing:claim-detail": Access(BILLING_STAFF, 404),
    "billing:claim-replace": Access(BILLING_STAFF, POST_ONLY, empty_post=404),
    "billing:claim-void": Access(BILLING_STAFF, POST_ONLY, empty_post=404),
    "billing:batches": Access(BILLING_STAFF),
    "billing:batch-build": Access(BILLING_STAFF),
    "billing:batch-detail": Access(BILLING_STAFF, 404),
    "billing:batch-download": Access(BILLING_STAFF, 404),
    "billing:batch-send": Access(BILLING_STAFF, POST_ONLY, empty_post=404),
    "billing:batch-discard": Access(BILLING_STAFF, POST_ONLY, empty_post=404),
    "billing:superbill": client_route(BILLING_STAFF),
    # billing: authorizations and utilization review
    "billing:authorizations": Access(BILLING_STAFF),
    "billing:client-authorizations": client_route(BILLING_STAFF),
    "billing:authorization-review": client_route(BILLING_STAFF),
    # billing
    "billing:home": Access(BILLING_STAFF),
    "billing:client": client_route(BILLING_STAFF),
    "billing:coverage-add": client_route(BILLING_STAFF),
    "billing:coverage-end": client_route(BILLING_STAFF, POST_ONLY),
    "billing:verification-add": client_route(BILLING_STAFF, POST_ONLY),
    # The world's coverage has no card image to show.
    "billing:coverage-card": client_route(BILLING_STAFF, 404),
    "billing:payer-list": Access(BILLING_STAFF),
    "billing:payer-create": Access((ADMINISTRATOR,)),
    "billing:payer-edit": Access((ADMINISTRATOR,)),
    "billing:fee-list": Access(BILLING_STAFF),
    "billing:fee-add": Access((ADMINISTRATOR,)),
    # billing: accounts receivable and statements (a drill-down names its
    # aging cell in the query string: without one, a plain 400)
    "billing:receivables": Access(BILLING_STAFF),
    "billing:receivables-charges": Access(BILLING_STAFF, 400),
    "billing:receivables-export": Access(BILLING_STAFF),
    "billing:client-statement": client_route(BILLING_STAFF),
    "billing:client-payment-add": client_route(BILLING_STAFF, POST_ONLY),
    "billing:client-payment-reverse": client_route(BILLING_STAFF, POST_ONLY),
    # billing: files received, remittances and denials (a file, remittance,
    # held payment or denial is named in the URL; the world has none to name)
    "billing:inbound-files": Access(BILLING_STAFF),
    "billing:inbound-upload": Access(BILLING_STAFF),
    "billing:inbound-file-detail": Access(BILLING_STAFF, 404),
    "billing:remittance-detail": Access(BILLING_STAFF, 404),
    "billing:unmatched-payments": Access(BILLING_STAFF),
    "billing:claim-payment-match": Access(BILLING_STAFF, 404),
    "billing:denials": Access(BILLING_STAFF),
    "billing:denial-resolve": Access(BILLING_STAFF, POST_ONLY, empty_post=404),
    # outcomes: the measurement plan (program data), measures on the chart
    "outcomes:plan": Access((ADMINISTRATOR,)),
    "outcomes:plan-add": Access((ADMINISTRATOR,)),
    "outcomes:plan-edit": Access((ADMINISTRATOR,)),
    "outcomes:plan-deactivate": Access((ADMINISTRATOR,), POST_ONLY),
    "outcomes:measure-request": client_route(CLINICIANS, POST_ONLY),
    "outcomes:kiosk-start": client_route(CLINICIANS, POST_ONLY),
    # interop: the administrator's pages of the FHIR API (program data; the
    # detail page names the clients the API disclosed, audited as a list)
    "interop:client-list": Access((ADMINISTRATOR,)),
    "interop:client-register": Access((ADMINISTRATOR,)),
    "interop:client-detail": Access((ADMINISTRATOR,)),
    "interop:client-revoke": Access((ADMINISTRATOR,), POST_ONLY),
}

# Public routes: what every visitor gets, signed in or not (by role, where it differs).
PUBLIC = {
    # The sign-in page sends a signed-in user on to the home page.
    "accounts:login": {None: 200, **dict.fromkeys(EVERYONE, 302)},
    "accounts:logout": dict.fromkeys((None, *EVERYONE), 405),
    "health": dict.fromkeys((None, *EVERYONE), 200),
    # A redirect to the static file, as public as the file.
    "favicon": dict.fromkeys((None, *EVERYONE), 302),
    "reminders:sms-inbound": dict.fromkeys((None, *EVERYONE), 405),
    # A client's self-report link (the world's main client has a live one):
    # the date-of-birth question for whoever holds the link, signed in or
    # not; the form and the thank-you page only after the date of birth
    # and a submission, else the same neutral page as an unknown link.
    "selfreport:open": dict.fromkeys((None, *EVERYONE), 200),
    "selfreport:form": dict.fromkeys((None, *EVERYONE), 404),
    "selfreport:done": dict.fromkeys((None, *EVERYONE), 404),
    # The clinic tablet's questionnaire: reachable only from a kiosk session
    # a counselor started on that device; anyone else gets the lock screen
    # (the sign-in page, which sends a signed-in user on to the home page).
    "outcomes:kiosk": dict.fromkeys((None, *EVERYONE), 302),
    # The FHIR API's CapabilityStatement and SMART configuration, public as
    # FHIR servers publish them; its token endpoint takes only a POST (a
    # signed client assertion, whoever the browser is signed in as).
    "interop:metadata": dict.fromkeys((None, *EVERYONE), 200),
    "interop:smart-configuration": dict.fromkeys((None, *EVERYONE), 200),
    "interop:token": dict.fromkeys((None, *EVERYONE), 405),
    # The admin's own sign-in and sign-out pages.
    "admin:login": {
        None: 200,
        INTAKE: 200,
        COUNSELOR: 200,
        SUPERVISOR: 200,
        ADMINISTRATOR: 302,
        BILLING: 200,
    },
    "admin:logout": {
        None: 302,
        INTAKE: 302,
        COUNSELOR: 302,
        SUPERVISOR: 302,
        ADMINISTRATOR: 405,
        BILLING: 302,
    },
}


def _subject(world, route):
    """The client whose records fill the route: screening and aftercare pages
    need a client in that phase; everything else addresses the main client."""
    if route.name.startswith("screening:"):
        return world.in_screening
    if route.name.startswith("aftercare:") and route.name != "aftercare:step-down":
        return world.in_aftercare
    return world.main


def _url(world, route):
    values = {name: value for name, value in world.values.items() if name in route.kwargs}
    values.update(world.route_values.get(route.name, {}))
    if "client_id" in values:
        values["client_id"] = _subject(world, route).public_id
    return route.url(**values)


def _runs_the_group(world, user) -> bool:
    visible = groups_visible_to(world.users[user])
    return visible.filter(public_id=world.values["group_id"]).exists()


def _expected(world, route, user) -> int:
    """The status the policy and ACCESS demand for a GET of `route` by `user`."""
    access = ACCESS[route.name]
    role = ROLE_OF[user]
    person = world.users[user]
    allowed = role in access.roles
    if access.scope == "client":
        subject = _subject(world, route)
        if not clients_visible_to(person).filter(pk=subject.pk).exists():
            return 404
        if access.whole_record and not holds_record(person, subject):
            return 403
        return access.allowed_get.get(role, access.get) if allowed else 403
    if not allowed:
        return 403
    if access.scope == "group" and access.get != POST_ONLY and not _runs_the_group(world, user):
        return 404
    return access.allowed_get.get(role, access.get)


APP_ROUTES = [
    route
    for route in ROUTES
    if not route.is_admin and route.name not in PUBLIC and route.name not in BEARER_ROUTES
]
API_ROUTES = [route for route in ROUTES if route.name in BEARER_ROUTES]
ADMIN_ROUTES = [route for route in ROUTES if route.is_admin and route.name not in PUBLIC]


def test_every_route_declares_who_may_use_it():
    undeclared = [route.name or route.route for route in APP_ROUTES if route.name not in ACCESS]
    assert not undeclared, "\n".join(
        f"declare which roles may use {name} in ACCESS (tests/security/test_route_access.py)"
        for name in undeclared
    )


def test_the_public_routes_are_those_the_route_guards_know():
    assert set(PUBLIC) == PUBLIC_ROUTES, "declare what a public route answers in PUBLIC"


def test_every_declared_route_still_exists():
    names = {route.name for route in ROUTES}
    assert sorted(set(ACCESS) - names) == []


def test_declared_roles_match_the_views_role_decorators():
    """ACCESS is written by hand on purpose; it must agree with what each view
    declares through role_required / client_view."""
    from django.urls import resolve

    from iop.accounts import roles

    names = {
        roles.INTAKE: INTAKE,
        roles.COUNSELOR: COUNSELOR,
        roles.SUPERVISOR: SUPERVISOR,
        roles.ADMINISTRATOR: ADMINISTRATOR,
        roles.BILLING: BILLING,
    }
    mismatched = []
    for route in APP_ROUTES:
        if route.name not in ACCESS or not ACCESS[route.name].role_decorator:
            continue
        declared = getattr(resolve(route.url()).func, "required_roles", None)
        if declared is None:
            mismatched.append(f"{route.name}: the view declares no roles")
        elif {names[name] for name in declared} != set(ACCESS[route.name].roles):
            mismatched.append(f"{route.name}: view {sorted(declared)}")
        whole_record = getattr(resolve(route.url()).func, "whole_record", False)
        if whole_record != ACCESS[route.name].whole_record:
            mismatched.append(f"{route.name}: view whole_record={whole_record}")
    assert mismatched == []


@pytest.mark.parametrize("route", APP_ROUTES, ids=lambda route: route.name)
def test_anonymous_get_is_sent_to_sign_in(world, client, db, route):
    response = client.get(_url(world, route))

    assert response.status_code == 302
    assert response.url.startswith(f"{LOGIN_PATH}?next=")


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_policy_says(world, client, db, role):
    client.force_login(world.users[role])
    wrong = []

    # Undeclared routes fail test_every_route_declares_who_may_use_it.
    for route in APP_ROUTES:
        if route.name not in ACCESS:
            continue
        url = _url(world, route)
        response = client.get(url)
        expected = _expected(world, route, role)
        if response.status_code != expected:
            wrong.append(f"{route.name} {url}: {response.status_code}, expected {expected}")

    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_post_only_routes_refuse_outsiders_before_reading_the_post(world, client, db, role):
    """An empty POST meets the same policy as a GET: outside it 404, wrong role
    403; a user let in gets no 403, 404 or 500 (a form error or a redirect)."""
    client.force_login(world.users[role])
    wrong = []

    for route in APP_ROUTES:
        access = ACCESS.get(route.name)
        if access is None or access.get != POST_ONLY:
            continue
        url = _url(world, route)
        response = client.post(url, {})
        get_expected = _expected(world, route, role)
        if get_expected in (403, 404):
            expected_ok = response.status_code == get_expected
        elif access.scope == "group" and not _runs_the_group(world, role):
            expected_ok = response.status_code == 404
        elif access.empty_post:
            expected_ok = response.status_code == access.empty_post
        else:
            expected_ok = response.status_code in (200, 302, 400)
        if not expected_ok:
            wrong.append(f"{route.name} {url}: {response.status_code} (GET {get_expected})")

    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda route: route.name)
def test_admin_site_is_for_administrators_only(world, client, db, route):
    url = _url(world, route)
    for role in ROLES:
        client.force_login(world.users[role])
        response = client.get(url)
        if role == "administrator":
            # Staff: let in; a page for a model the role holds no permission on is a 403.
            assert response.status_code in (200, 403), (role, url, response.status_code)
        else:
            assert response.status_code == 302, (role, url, response.status_code)
            assert response.url.startswith(f"{ADMIN_LOGIN_PATH}?next=")


@pytest.mark.parametrize("route", API_ROUTES, ids=lambda route: route.name)
def test_api_routes_answer_every_visitor_without_a_token_401(world, client, db, route):
    """The FHIR API reads a bearer token and nothing else: a staff session,
    whatever its role, opens none of it."""
    url = _url(world, route)
    assert client.get(url).status_code == 401
    for role in ROLES:
        client.force_login(world.users[role])
        response = client.get(url)
        assert response.status_code == 401, role
        assert response.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_routes_answer_everyone_as_declared(world, client, db, name):
    route = next(route for route in ROUTES if route.name == name)
    url = _url(world, route)
    assert client.get(url).status_code == PUBLIC[name][None]
    for role in ROLES:
        client.force_login(world.users[role])
        assert client.get(url).status_code == PUBLIC[name][ROLE_OF[role]], role
