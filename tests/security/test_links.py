"""Links never point where the viewer cannot go (DESIGN.md: no page links
to an object the viewer may not open). For each member of the cast, and
for a counselor who is on the main client's treatment team without holding
the record (facilitating a group, covering a session), the charts they may
open (with the timeline fragment, the timeline page and the printed chart)
and the group pages are crawled one level deep: every same-site link and
htmx GET is followed, and none may answer 403 or 404.

The world gets, inside each test's savepoint: a session of another
counselor's group that the main client attended (the timeline must not
link it for counselor A), and a client discharged after attending the
world's group session (its roster must not link them)."""

import datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import RecurringGroup
from groups.selectors import groups_visible_to
from iop.accounts import roles
from iop.audit.policy import clients_visible_to
from iop.clients.models import Appointment, Episode
from tests.factories import EpisodeFactory, UserFactory
from tests.groups.factories import AttendanceFactory, GroupSessionFactory, RecurringGroupFactory
from tests.security.conftest import ROLES

pytestmark = pytest.mark.django_db

REFUSED = (403, 404)
# A chart (its sections are followed from it: hx-get), its timeline page and
# the printed chart.
CHART_PAGES = ("client-detail", "client-timeline", "client-print")
# Not pages: where a GET does something else than show one.
SKIPPED_PREFIXES = ("/static/", "/accounts/logout/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("href", "hx-get"):
            if (tag == "a" or name == "hx-get") and attributes.get(name):
                self.urls.append(attributes[name])


def _same_site_links(page_url, content) -> set[str]:
    parser = _Links()
    parser.feed(content)
    links = set()
    for raw in parser.urls:
        url = urljoin(page_url, raw)
        parts = urlsplit(url)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
            continue
        if parts.path.startswith(SKIPPED_PREFIXES):
            continue
        links.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def _enrich(world):
    """Another counselor's group session attended by the main client, and a
    discharged client on the past roster of the world's group session."""
    other_group = RecurringGroupFactory(
        facilitator=UserFactory(username="sec-other-facilitator", roles=["Counselor"])
    )
    AttendanceFactory(
        session=GroupSessionFactory(group=other_group),
        episode=world.main.episodes.get(),
    )
    discharged = EpisodeFactory(
        primary_counselor=world.users["counselor_b"],
        phase=Episode.Phase.DISCHARGED,
        referral_date=timezone.localdate() - datetime.timedelta(days=260),
        admission_date=timezone.localdate() - datetime.timedelta(days=250),
        discharge_date=timezone.localdate() - datetime.timedelta(days=200),
    )
    session = GroupSessionFactory(
        group=_world_group(world), starts_at=timezone.now() - datetime.timedelta(days=220)
    )
    AttendanceFactory(session=session, episode=discharged)


def _world_group(world):
    return RecurringGroup.objects.get(public_id=world.values["group_id"])


def _start_pages(world, user) -> list[str]:
    pages = []
    reads_record = user.has_role(*roles.RECORD_ROLES)
    for client in (world.main, world.in_screening, world.in_aftercare):
        if clients_visible_to(user).filter(pk=client.pk).exists():
            if reads_record:
                pages += [
                    reverse(f"clients:{name}", args=[client.public_id]) for name in CHART_PAGES
                ]
            if user.has_role(*roles.BILLING_STAFF):
                pages.append(reverse("billing:client", args=[client.public_id]))
    if user.has_role(*roles.BILLING_STAFF):
        pages += [reverse("billing:home"), reverse("clients:client-list")]
    if user.has_role("Counselor", "Supervisor"):
        pages.append(reverse("groups:group-list"))
        for group in groups_visible_to(user):
            pages.append(reverse("groups:group-detail", args=[group.public_id]))
            pages += [
                reverse("groups:session-detail", args=[session.public_id])
                for session in group.sessions.all()
            ]
    return pages


def _crawl(browser, pages) -> list[str]:
    """Every page's links, each followed once (the layout's repeat)."""
    answers: dict[str, int] = {}
    refused = []
    for page in pages:
        response = browser.get(page)
        assert response.status_code == 200, (page, response.status_code)
        for link in sorted(_same_site_links(page, response.content.decode())):
            if link not in answers:
                answers[link] = browser.get(link).status_code
            if answers[link] in REFUSED:
                refused.append(f"{page} links {link}: {answers[link]}")
    return refused


@pytest.mark.parametrize("role", ROLES)
def test_no_link_on_the_chart_or_group_pages_answers_403_or_404(world, client, role):
    _enrich(world)
    user = world.users[role]
    client.force_login(user)

    pages = _start_pages(world, user)

    assert pages
    assert _crawl(client, pages) == []


def _facilitating(world, counselor):
    group = _world_group(world)
    group.co_facilitator = counselor
    group.save(update_fields=["co_facilitator"])


def _covering(world, counselor):
    Appointment.objects.create(
        client=world.main,
        episode=world.main.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() + datetime.timedelta(hours=3),
        counselor=counselor,
    )


@pytest.mark.parametrize("way_in", [_facilitating, _covering], ids=["facilitating", "covering"])
def test_no_link_answers_403_or_404_to_a_team_member_who_does_not_hold_the_record(
    world, client, way_in
):
    _enrich(world)
    counselor = world.users["counselor_b"]
    way_in(world, counselor)
    client.force_login(counselor)

    pages = _start_pages(world, counselor)

    assert reverse("clients:client-detail", args=[world.main.public_id]) in pages
    assert _crawl(client, pages) == []
