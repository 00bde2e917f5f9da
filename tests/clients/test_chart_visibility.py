"""Which chart sections a viewer sees, and the timeline and printed chart
showing no more than the chart: the family and the consents are only for
those who hold the record (the primary counselor, supervisors and
administrators), not for a facilitator, a covering counselor or intake
(README, "The access policy and the audit trail")."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iop.clients import chart
from iop.clients.models import Appointment
from iop.extensions import CHART_SECTIONS, TIMELINE_SOURCES, ChartSection, TimelineSource
from tests.family.factories import consent_for, family_member
from tests.groups.factories import EnrollmentFactory, RecurringGroupFactory

pytestmark = pytest.mark.django_db

CONSENT_TITLE = "Consent to disclose to"
FAMILY_TITLES = ('id="section-family"', 'id="section-consents"')


def _url(name, client):
    return reverse(f"clients:{name}", args=[client.public_id])


def _facilitating(counselor, client):
    group = RecurringGroupFactory(facilitator=counselor)
    EnrollmentFactory(group=group, episode=client.episodes.get())


def _covering(counselor, client):
    Appointment.objects.create(
        client=client,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() + datetime.timedelta(hours=3),
        counselor=counselor,
    )


WAYS_IN = {"facilitating": _facilitating, "covering": _covering}


@pytest.fixture(params=sorted(WAYS_IN))
def team_member(request, counselor2, client_of_counselor1):
    """Counselor 2, part of the treatment team of counselor 1's client
    (facilitating their group or covering a session) without holding it."""
    WAYS_IN[request.param](counselor2, client_of_counselor1)
    return counselor2


@pytest.fixture
def consented(counselor1, client_of_counselor1):
    member = family_member(client_of_counselor1, actor=counselor1, first_name="Rosalind")
    return consent_for(client_of_counselor1, member, actor=counselor1)


def _whole_chart(browser, client):
    """The chart page and every section its navigation offers, as opening
    each tab loads it: (the sections' keys, the content of them all)."""
    page = browser.get(_url("client-detail", client))
    assert page.status_code == 200
    keys = [item["key"] for region in page.context["sections"].values() for item in region]
    content = [page.content.decode()]
    for tab in page.context["tabs"]:
        section = browser.get(reverse("clients:client-section", args=[client.public_id, tab.key]))
        assert section.status_code == 200
        keys += [item["key"] for item in section.context["items"]]
        content.append(section.content.decode())
    return keys, "".join(content)


def test_a_section_not_visible_is_not_rendered_and_its_context_not_computed(
    login, counselor1, client_of_counselor1
):
    def context(request, client, *, printing=False):
        raise AssertionError("the context of a hidden section was computed")

    hidden = ChartSection(
        title="A section for nobody",
        template="clients/includes/_chart_plan.html",
        context=context,
        visible=lambda user, client: False,
    )
    with CHART_SECTIONS.isolated():
        CHART_SECTIONS.register("hidden", hidden, order=0)
        browser = login(counselor1)
        keys, page = _whole_chart(browser, client_of_counselor1)
        opened = browser.get(
            reverse("clients:client-section", args=[client_of_counselor1.public_id, "hidden"])
        )

    assert "hidden" not in keys
    assert "A section for nobody" not in page
    assert opened.status_code == 404


def test_a_team_member_who_does_not_hold_the_record_sees_no_family_or_consents(
    login, team_member, client_of_counselor1, consented
):
    keys, page = _whole_chart(login(team_member), client_of_counselor1)

    assert "family" not in keys and "consents" not in keys
    assert "groups" in keys and "sessions" in keys
    assert not any(title in page for title in FAMILY_TITLES)
    assert "Rosalind" not in page


@pytest.mark.parametrize("viewer", ["counselor1", "supervisor", "administrator"])
def test_those_who_hold_the_record_see_family_and_consents(
    request, login, viewer, client_of_counselor1, consented
):
    keys, page = _whole_chart(login(request.getfixturevalue(viewer)), client_of_counselor1)

    assert "family" in keys and "consents" in keys
    assert all(title in page for title in FAMILY_TITLES)
    assert "Rosalind" in page


def test_intake_sees_no_family_or_consents_section_not_even_its_title(
    login, intake, counselor1, screening_client
):
    member = family_member(screening_client, actor=counselor1)
    consent_for(screening_client, member, actor=counselor1)

    _keys, page = _whole_chart(login(intake), screening_client)

    assert not any(title in page for title in FAMILY_TITLES)
    assert "Consents are shown" not in page and "Family details are shown" not in page


def test_hidden_sections_read_nothing_for_a_team_member(
    login, counselor1, team_member, client_of_counselor1, consented
):
    url = reverse("clients:client-section", args=[client_of_counselor1.public_id, "family"])
    browser = login(team_member)

    with CaptureQueriesContext(connection) as member:
        response = browser.get(url)

    # Not in their navigation, and not reachable by its address either.
    assert response.status_code == 404
    assert not any("family_" in query["sql"] for query in member.captured_queries)


# --- the timeline and the printed chart show no more than the chart ------------


def _timeline_pages(browser, client):
    """The chart's Timeline section, the timeline page and the printed chart."""
    pages = {name: browser.get(_url(name, client)) for name in ("client-timeline", "client-print")}
    pages["timeline section"] = browser.get(
        reverse("clients:client-section", args=[client.public_id, "timeline"])
    )
    return pages


def test_the_primary_counselor_sees_consents_on_the_timeline_and_the_printed_chart(
    login, counselor1, client_of_counselor1, consented
):
    pages = _timeline_pages(login(counselor1), client_of_counselor1)

    for name, response in pages.items():
        assert response.status_code == 200, name
        assert CONSENT_TITLE in response.content.decode(), name
        assert 'data-kind="consent"' in response.content.decode(), name


def test_a_team_member_sees_no_consent_on_the_timeline_or_the_printed_chart(
    login, team_member, client_of_counselor1, consented
):
    pages = _timeline_pages(login(team_member), client_of_counselor1)

    for name, response in pages.items():
        assert response.status_code == 200, name
        page = response.content.decode()
        assert CONSENT_TITLE not in page, name
        assert 'data-kind="consent"' not in page, name
        assert str(consented.public_id) not in page, name


def test_intake_sees_no_consent_on_the_timeline_or_the_printed_chart(
    login, intake, counselor1, screening_client
):
    member = family_member(screening_client, actor=counselor1)
    consent = consent_for(screening_client, member, actor=counselor1)

    pages = _timeline_pages(login(intake), screening_client)

    for name, response in pages.items():
        assert response.status_code == 200, name
        page = response.content.decode()
        assert CONSENT_TITLE not in page, name
        assert "Attendance, Progress" not in page, name
        assert str(consent.public_id) not in page, name


def test_a_source_of_a_section_nobody_registered_is_not_asked(counselor1, client_of_counselor1):
    def source(client, *, viewer):
        raise AssertionError("a source of an unregistered section was asked")

    with TIMELINE_SOURCES.isolated():
        TIMELINE_SOURCES.register(
            "orphan", TimelineSource(section="no-such-section", entries=source), order=0
        )

        assert chart.chart_timeline(client_of_counselor1, viewer=counselor1) == []
