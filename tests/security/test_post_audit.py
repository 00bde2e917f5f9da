"""Every POST that changes a client's record leaves an audit event naming
that client (DOMAIN.md section 10: audit every change).

Each route that takes a POST is declared in post_payloads.py: in POSTS with
a valid payload, the member of the cast who posts it (a role the route
allows, as ACCESS in test_route_access.py says) and whose record it changes;
or in EXEMPT, with the reason it changes no client record. A route that answers a POST with
anything but 405 and is declared in neither fails
test_every_route_that_takes_a_post_is_declared, so a POST route added later
is checked once someone states what it changes.

Each declared POST runs in its own savepoint over the module's populated
program (tests/security/conftest.py), must succeed (a redirect or a 2xx
without an error message) and must have written, in that request, an event
other than a view that names the client it changed. A change that bypasses
its service (as the group note's addendum once did) writes none and fails.
"""

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages

from iop.audit.models import AuditEvent
from tests.security.post_payloads import EXEMPT, POSTS, TWILIO_TOKEN
from tests.security.test_route_access import ACCESS, PUBLIC, ROLE_OF, _subject, _url
from tests.test_routes import ROUTES

pytestmark = pytest.mark.django_db

ROUTES_BY_NAME = {route.name: route for route in ROUTES}


def _post_url(world, route, overrides) -> str:
    values = {name: value for name, value in world.values.items() if name in route.kwargs}
    values.update(world.route_values.get(route.name, {}))
    if "client_id" in values:
        values["client_id"] = _subject(world, route).public_id
    values.update(overrides)
    return route.url(**values)


# Who probes an undeclared route: a member of the cast the route lets in,
# the one who sees most first.
PROBE_ORDER = ("supervisor", "counselor_a", "administrator", "intake")


def _prober(world, name):
    access = ACCESS.get(name)
    if access is None:
        return None
    return next(world.users[user] for user in PROBE_ORDER if ROLE_OF[user] in access.roles)


def test_every_route_that_takes_a_post_is_declared(world, client):
    undeclared = []
    for route in ROUTES:
        if route.is_admin or route.name in POSTS or route.name in EXEMPT:
            continue
        client.logout()
        user = _prober(world, route.name)
        if user is not None:
            client.force_login(user)
        response = client.post(_url(world, route), {})
        if response.status_code != 405:
            undeclared.append(f"{route.name}: a POST answered {response.status_code}")

    assert not undeclared, "\n".join(
        f"{line}; declare it in POSTS or EXEMPT (tests/security/post_payloads.py)"
        for line in undeclared
    )


def test_every_declared_route_exists_once():
    names = {route.name for route in ROUTES}

    assert sorted((set(POSTS) | set(EXEMPT)) - names) == []
    assert set(POSTS) & set(EXEMPT) == set()


def test_each_post_is_made_by_a_role_the_route_allows():
    wrong = [
        f"{name}: {post.role}"
        for name, post in POSTS.items()
        if name not in PUBLIC and ROLE_OF.get(post.role) not in ACCESS[name].roles
    ]

    assert wrong == []


@pytest.mark.parametrize("name", sorted(POSTS))
def test_post_that_changes_a_record_writes_an_audit_event_naming_its_client(
    world, client, settings, name
):
    post, route = POSTS[name], ROUTES_BY_NAME[name]
    if post.role is not None:
        client.force_login(world.users[post.role])
    state = {"subject": _subject(world, route)}
    # The SMS webhook believes only requests signed with the provider's token.
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    if post.prepare is not None:
        state.update(post.prepare(world, client))
    data = post.data(world, state)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    response = client.post(
        _post_url(world, route, state.get("url", {})), data, **post.headers(data)
    )

    errors = [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level >= message_levels.ERROR
    ]
    assert response.status_code < 400 and not errors, (response.status_code, errors)
    changes = AuditEvent.objects.filter(id__gt=last).exclude(action=AuditEvent.Action.VIEW)
    if post.client is None:
        assert changes.filter(client__isnull=True).exists(), f"{name} wrote no audit event"
    else:
        named = post.client(world, state)
        assert changes.filter(client=named).exists(), (
            f"{name} changed {named}'s record without an audit event naming them"
        )
