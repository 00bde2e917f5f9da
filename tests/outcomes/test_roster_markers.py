"""The group session's roster marks each client with a measure due ("BAM
due"), through iop.extensions.ROSTER_MARKERS: one query for the whole
roster, and only for the clients the page names."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.selectors import RosterEntry, roster_mark
from iop.extensions import ROSTER_MARKERS, roster_markers
from outcomes.models import DueMeasure
from screening.services import administration_record
from tests.groups.factories import GroupSessionFactory, RecurringGroupFactory, enroll
from tests.outcomes.shortcuts import bam, due_measure

pytestmark = pytest.mark.django_db

MARKER = 'data-testid="roster-marker"'
# The session page as tests/groups/test_views.py pins it (SESSION_PAGE_QUERIES):
# the signed-in layout 7; the session, the roster (enrollments, attendance),
# its plan objectives, the cloned-remark check, the roster markers (one
# query for the whole roster) and one insert of the view audit rows.
SESSION_PAGE_QUERIES = 7 + 7


@pytest.fixture
def group(counselor1):
    return RecurringGroupFactory(facilitator=counselor1)


def _session(group):
    return GroupSessionFactory(
        group=group, starts_at=timezone.now() - datetime.timedelta(minutes=10)
    )


def _page(browser, session):
    return browser.get(reverse("groups:session-detail", args=[session.public_id]))


def test_a_client_with_a_measure_due_is_marked_on_the_roster(login, counselor1, group):
    marked, plain = (enrollment.episode.client for enrollment in enroll(group, 2))
    due_measure(marked, instrument="BAM")
    due_measure(marked, instrument="PHQ-9")
    session = _session(group)

    response = _page(login(counselor1), session)

    page = response.content.decode()
    assert page.count(MARKER) == 2
    assert "BAM due" in page and "PHQ-9 due" in page
    markers = {entry.client: entry.markers for entry in response.context["roster"]}
    assert markers == {marked: ["BAM due", "PHQ-9 due"], plain: []}


def test_no_marker_once_answered_closed_or_not_yet_due(login, counselor1, group, supervisor):
    answered, closed, later = (enrollment.episode.client for enrollment in enroll(group, 3))
    today = timezone.localdate()
    due_measure(answered, instrument="BAM")
    administration_record(actor=supervisor, client=answered, code="BAM", answers=bam())
    due_measure(closed, instrument="BAM", status=DueMeasure.Status.MISSED)
    due_measure(later, instrument="BAM", due_on=today + datetime.timedelta(days=2))

    page = _page(login(counselor1), _session(group)).content.decode()

    assert MARKER not in page


def test_the_attendance_toggle_keeps_the_marker_on_its_row(login, counselor1, group):
    (client,) = (enrollment.episode.client for enrollment in enroll(group, 1))
    due_measure(client, instrument="BAM")
    session = _session(group)

    response = login(counselor1).post(
        reverse("groups:attendance-toggle", args=[session.public_id]),
        {"client": str(client.pk), "status": "present"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "BAM due" in response.content.decode()


def test_a_client_the_page_does_not_name_gets_no_marker(counselor1, group):
    (client,) = (enrollment.episode.client for enrollment in enroll(group, 1))
    due_measure(client, instrument="BAM")
    entry = RosterEntry(client=client, episode_id=0, attendance=None, enrolled=False, named=False)

    roster_mark([entry], timezone.localdate())

    assert entry.markers == []


def test_roster_markers_make_no_query_for_an_empty_roster(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert roster_markers([], timezone.localdate()) == {}


def test_markers_of_several_apps_follow_their_order(group):
    (client,) = (enrollment.episode.client for enrollment in enroll(group, 1))
    due_measure(client, instrument="GAD-7")
    with ROSTER_MARKERS.isolated(keep=["due-measures"]):
        ROSTER_MARKERS.register("first", lambda ids, day: {client.pk: ["first"]}, order=0)
        assert roster_markers([client.pk], timezone.localdate()) == {
            client.pk: ["first", "GAD-7 due"]
        }


def test_the_session_page_query_count_does_not_grow_with_marked_clients(
    login, counselor1, group, django_assert_num_queries
):
    browser = login(counselor1)
    session = _session(group)
    clients = [enrollment.episode.client for enrollment in enroll(group, 2)]
    for client in clients:
        due_measure(client, instrument="BAM")
    with django_assert_num_queries(SESSION_PAGE_QUERIES):
        response = _page(browser, session)
    assert response.content.decode().count(MARKER) == 2

    more = [enrollment.episode.client for enrollment in enroll(group, 18)]
    for client in more:
        due_measure(client, instrument="BAM")
        due_measure(client, instrument="PHQ-9")
    with django_assert_num_queries(SESSION_PAGE_QUERIES):
        response = _page(browser, session)
    assert response.content.decode().count(MARKER) == 2 + 36
