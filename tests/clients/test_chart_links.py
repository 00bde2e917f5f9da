"""The chart and its timeline link only where the viewer may go: a group
session only if the viewer runs its group (read in the source's own query,
whatever the number of entries), a page of the record only for the roles
its view admits; anything else shows as text. The whole crawl of every
role's links is tests/security/test_links.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from iop.clients.chart import chart_timeline
from iop.clients.models import Appointment, TreatmentPlan
from iop.clients.services import appointment_schedule
from iop.clients.services.sessions import session_document, session_note_sign
from tests.clients.test_chart_timeline import TIMELINE_QUERIES
from tests.clients.test_clinical_chart import _history
from tests.factories import EpisodeFactory
from tests.groups.factories import AttendanceFactory, GroupSessionFactory, RecurringGroupFactory

pytestmark = pytest.mark.django_db


def _url(name, client):
    return reverse(f"clients:{name}", args=[client.public_id])


def _section(client, section):
    return reverse("clients:client-section", args=[client.public_id, section])


def _session_url(session):
    return reverse("groups:session-detail", args=[session.public_id])


def _attended(client, group, count, *, days_ago=1):
    sessions = []
    for n in range(count):
        session = GroupSessionFactory(
            group=group, starts_at=timezone.now() - datetime.timedelta(days=days_ago + n)
        )
        AttendanceFactory(session=session, episode=client.episodes.get())
        sessions.append(session)
    return sessions


def test_timeline_links_only_the_group_sessions_the_counselor_runs(
    login, counselor1, counselor2, client_of_counselor1
):
    (own,) = _attended(client_of_counselor1, RecurringGroupFactory(facilitator=counselor1), 1)
    (other,) = _attended(
        client_of_counselor1, RecurringGroupFactory(facilitator=counselor2, name="Evening RP"), 1
    )

    page = login(counselor1).get(_section(client_of_counselor1, "timeline"))

    content = page.content.decode()
    assert _session_url(own) in content
    assert _session_url(other) not in content
    # The session of the group counselor 1 does not run is there, as text.
    assert "Evening RP" in content


def test_a_supervisor_gets_every_group_session_linked(supervisor, counselor2, client_of_counselor1):
    sessions = _attended(client_of_counselor1, RecurringGroupFactory(facilitator=counselor2), 2)

    entries = chart_timeline(client_of_counselor1, viewer=supervisor)

    assert {entry.url for entry in entries} == {_session_url(session) for session in sessions}


def test_group_session_links_cost_no_query_per_entry(
    login, counselor1, counselor2, django_assert_num_queries
):
    small = EpisodeFactory(primary_counselor=counselor1).client
    large = EpisodeFactory(primary_counselor=counselor1).client
    mine = RecurringGroupFactory(facilitator=counselor1)
    theirs = RecurringGroupFactory(facilitator=counselor2)
    for client, count in ((small, 2), (large, 20)):
        _history(client, counselor1, 3)
        _attended(client, mine, count)
        _attended(client, theirs, count, days_ago=40)
    browser = login(counselor1)

    # The same count as without group sessions (test_chart_timeline.py): the
    # links are read in the group source's own query.
    with django_assert_num_queries(TIMELINE_QUERIES):
        browser.get(_section(small, "timeline"))
    with django_assert_num_queries(TIMELINE_QUERIES):
        response = browser.get(_section(large, "timeline"))
    assert response.content.decode().count("/groups/sessions/") == 20


def test_intake_is_not_offered_the_plan_page(login, intake, screening_client):
    response = login(intake).get(_section(screening_client, "plan"))

    content = response.content.decode()
    assert "No active treatment plan." in content
    assert _url("plan-detail", screening_client) not in content


def test_a_counselor_is_offered_the_plan_page(login, counselor1, client_of_counselor1):
    response = login(counselor1).get(_section(client_of_counselor1, "plan"))

    assert _url("plan-detail", client_of_counselor1) in response.content.decode()


def _signed_note_and_plan(counselor, client):
    appointment = appointment_schedule(
        actor=counselor,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        counselor=counselor,
    )
    note = session_document(
        actor=counselor,
        appointment=appointment,
        status=Appointment.Status.ATTENDED,
        minutes=50,
        data="d",
        assessment="a",
        plan="p",
    )
    session_note_sign(actor=counselor, note=note)
    TreatmentPlan.objects.create(
        client=client,
        episode=client.episodes.get(),
        author=counselor,
        status=TreatmentPlan.Status.ACTIVE,
        signed_by=counselor,
        signed_at=timezone.now() - datetime.timedelta(days=2),
    )
    return appointment


def test_administrators_see_notes_and_plans_on_the_chart_as_text(
    login, administrator, counselor1, client_of_counselor1
):
    # Notes and plans are clinicians' pages (an administrator gets a 403 there).
    appointment = _signed_note_and_plan(counselor1, client_of_counselor1)
    note_page = reverse(
        "clients:session-document", args=[client_of_counselor1.public_id, appointment.public_id]
    )
    browser = login(administrator)

    chart = "".join(
        browser.get(url).content.decode()
        for url in (
            _url("client-detail", client_of_counselor1),
            _section(client_of_counselor1, "sessions"),
            _section(client_of_counselor1, "plan"),
        )
    )
    entries = chart_timeline(client_of_counselor1, viewer=administrator)

    assert note_page not in chart
    assert _url("plan-detail", client_of_counselor1) not in chart
    assert {entry.kind for entry in entries} == {"session", "plan"}
    assert all(entry.url == "" for entry in entries)
    assert browser.get(note_page).status_code == 403


def test_clinicians_get_notes_and_plans_linked_on_the_timeline(counselor1, client_of_counselor1):
    appointment = _signed_note_and_plan(counselor1, client_of_counselor1)

    entries = {
        entry.kind: entry for entry in chart_timeline(client_of_counselor1, viewer=counselor1)
    }

    assert entries["session"].url == reverse(
        "clients:session-document", args=[client_of_counselor1.public_id, appointment.public_id]
    )
    assert entries["plan"].url == _url("plan-detail", client_of_counselor1)
