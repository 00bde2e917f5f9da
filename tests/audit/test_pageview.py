"""A page and the fragments it loads count as one view (DESIGN.md): the
chart writes one view event and hands its fragments a signed token; the
timeline fragment sent with it is not audited again. Any token that is not
the page's own (forged, expired, another client's or user's) is ignored:
the fragment is audited as usual and still answers."""

import html
import json
import time
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.urls import reverse

from iop.audit.emergency import emergency_accesses_for_review
from iop.audit.models import AuditEvent, EmergencyAccess
from iop.audit.pageview import HEADER, MAX_AGE, SALT
from iop.audit.services import emergency_access_grant
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db

HTTP_HEADER = "HTTP_" + HEADER.upper().replace("-", "_")


def _chart(client):
    return reverse("clients:client-detail", args=[client.public_id])


def _fragment(client):
    return _section(client, "timeline")


def _section(client, section):
    return reverse("clients:client-section", args=[client.public_id, section])


def _token(response) -> str:
    """The token the chart's htmx requests send, read from its hx-headers."""
    return json.loads(response.context["page_view_headers"])[HEADER]


def _views(user, client):
    return AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, actor=user, client=client)


def test_opening_the_chart_and_its_timeline_writes_one_view_event(
    login, counselor1, client_of_counselor1
):
    browser = login(counselor1)
    chart = browser.get(_chart(client_of_counselor1))

    fragment = browser.get(_fragment(client_of_counselor1), **{HTTP_HEADER: _token(chart)})

    assert fragment.status_code == 200
    assert 'data-testid="timeline-section"' in fragment.content.decode()
    (event,) = _views(counselor1, client_of_counselor1)
    assert event.path == _chart(client_of_counselor1)


def test_the_chart_hands_its_token_to_the_fragments_it_loads_without_a_script(
    login, counselor1, client_of_counselor1
):
    response = login(counselor1).get(_chart(client_of_counselor1))

    page = response.content.decode()
    headers = f'hx-headers="{html.escape(response.context["page_view_headers"])}"'
    # On an element around the sections loaded when opened: htmx sends an
    # ancestor's hx-headers with the requests of the elements inside it.
    assert page.index(headers) < page.index('hx-get="' + _section(client_of_counselor1, "timeline"))
    data = signing.loads(_token(response), salt=SALT)
    event = _views(counselor1, client_of_counselor1).get()
    assert data == {
        "user": counselor1.pk,
        "client": str(client_of_counselor1.public_id),
        "event": event.pk,
    }


def _signed(data, *, salt=SALT, at=None):
    if at is None:
        return signing.dumps(data, salt=salt)
    with mock.patch("django.core.signing.time.time", return_value=at):
        return signing.dumps(data, salt=salt)


def _forged(token):
    return token[:-2] + ("AA" if not token.endswith("AA") else "BB")


@pytest.mark.parametrize(
    "make_token",
    [
        lambda token, data, other: "",
        lambda token, data, other: _forged(token),
        lambda token, data, other: "not a token at all",
        lambda token, data, other: _signed(data, salt="another.salt"),
        lambda token, data, other: _signed({**data, "client": str(other.public_id)}),
        lambda token, data, other: _signed({**data, "user": data["user"] + 1000}),
        lambda token, data, other: _signed(data, at=time.time() - MAX_AGE.total_seconds() - 60),
        lambda token, data, other: "x" * 5000,
    ],
    ids=[
        "missing",
        "forged",
        "garbage",
        "other salt",
        "other client",
        "other user",
        "expired",
        "oversized",
    ],
)
def test_a_fragment_without_its_pages_own_token_is_audited_and_still_answers(
    login, counselor1, client_of_counselor1, make_token
):
    other = EpisodeFactory(primary_counselor=counselor1).client
    browser = login(counselor1)
    token = _token(browser.get(_chart(client_of_counselor1)))
    data = signing.loads(token, salt=SALT)

    response = browser.get(
        _fragment(client_of_counselor1), **{HTTP_HEADER: make_token(token, data, other)}
    )

    assert response.status_code == 200
    paths = list(_views(counselor1, client_of_counselor1).values_list("path", flat=True))
    assert sorted(paths) == sorted([_chart(client_of_counselor1), _fragment(client_of_counselor1)])


def test_another_clients_fragment_with_this_charts_token_is_audited(
    login, counselor1, client_of_counselor1
):
    other = EpisodeFactory(primary_counselor=counselor1).client
    browser = login(counselor1)
    token = _token(browser.get(_chart(client_of_counselor1)))

    browser.get(_fragment(other), **{HTTP_HEADER: token})

    assert _views(counselor1, other).count() == 1


def test_a_token_does_not_spare_the_audit_of_a_page_that_is_not_a_fragment(
    login, counselor1, client_of_counselor1
):
    browser = login(counselor1)
    token = _token(browser.get(_chart(client_of_counselor1)))

    timeline = reverse("clients:client-timeline", args=[client_of_counselor1.public_id])
    browser.get(timeline, **{HTTP_HEADER: token})

    assert _views(counselor1, client_of_counselor1).filter(path=timeline).count() == 1


def test_the_printed_chart_is_its_own_page_view(login, counselor1, client_of_counselor1):
    login(counselor1).get(reverse("clients:client-print", args=[client_of_counselor1.public_id]))

    assert _views(counselor1, client_of_counselor1).count() == 1


def test_emergency_review_counts_a_chart_and_its_timeline_as_one_page(
    login, counselor2, client_of_counselor1
):
    counselor2.user_permissions.add(
        Permission.objects.get(codename="break_glass", content_type__app_label="audit")
    )
    glass_breaker = type(counselor2).objects.get(pk=counselor2.pk)
    emergency_access_grant(
        actor=glass_breaker,
        mrn=client_of_counselor1.mrn,
        date_of_birth=client_of_counselor1.date_of_birth,
        category=EmergencyAccess.Category.COVERING,
        reason="Client called in crisis; the primary counselor is away.",
    )
    browser = login(glass_breaker)

    chart = browser.get(_chart(client_of_counselor1))
    browser.get(_fragment(client_of_counselor1), **{HTTP_HEADER: _token(chart)})

    (grant,) = emergency_accesses_for_review()
    assert grant.views == 1
