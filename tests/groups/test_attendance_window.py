"""Attendance opens half an hour before a group starts, so members can be
marked as they arrive; the group note and participation lines (and signing)
only once it has started. My day says so, and links an individual session to
its note."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.models import Attendance
from groups.services.sessions import Line, session_lines_save, session_sign
from iop.clients.models import Appointment
from iop.clients.services import appointment_schedule
from iop.clients.services.sessions import session_document, session_note_sign
from tests.groups.factories import GroupSessionFactory, RecurringGroupFactory, enroll

pytestmark = pytest.mark.django_db

MY_DAY = reverse("dashboard:my-day")


def _today_in(minutes: int) -> datetime.datetime:
    moment = timezone.now() + datetime.timedelta(minutes=minutes)
    if timezone.localtime(moment).date() != timezone.localdate():
        pytest.skip("too close to midnight for a session later today")
    return moment


@pytest.fixture
def group(counselor1):
    return RecurringGroupFactory(facilitator=counselor1, name="Evening RP")


@pytest.fixture
def members(group):
    return [enrollment.episode.client for enrollment in enroll(group, 2)]


def _session(group, minutes):
    return GroupSessionFactory(group=group, starts_at=_today_in(minutes))


def _mark(session, client, status="present", **line):
    return session_lines_save(
        actor=session.group.facilitator,
        session=session,
        summary=None,
        lines={client.pk: Line(status=status, **line)},
    )


# --- services ---------------------------------------------------------------------------


def test_attendance_can_be_marked_29_minutes_before_the_start(group, members):
    session = _session(group, 29)

    _mark(session, members[0], "late")

    assert Attendance.objects.get(session=session).status == "late"


def test_attendance_is_refused_31_minutes_before_the_start(group, members):
    session = _session(group, 31)

    with pytest.raises(ValidationError, match="Attendance opens 30 minutes before"):
        _mark(session, members[0])

    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "line",
    [
        {"participation": "active"},
        {"remark": "Arrived early and helped set up."},
        {"minutes": 30},
    ],
)
def test_before_the_start_a_participation_line_is_refused(group, members, line):
    session = _session(group, 10)

    with pytest.raises(ValidationError, match="once the session has started"):
        _mark(session, members[0], **line)

    assert not Attendance.objects.exists()


def test_before_the_start_the_group_note_is_refused(group, members):
    session = _session(group, 10)

    with pytest.raises(ValidationError, match="once the session has started"):
        session_lines_save(
            actor=group.facilitator, session=session, summary="Early note.", lines={}
        )


def test_before_the_start_signing_is_refused(group, members):
    session = _session(group, 10)
    for client in members:
        _mark(session, client)

    with pytest.raises(ValidationError, match="once the session has started"):
        session_sign(actor=group.facilitator, session=session)

    session.refresh_from_db()
    assert not session.is_signed


# --- the session page -------------------------------------------------------------------


def _toggle(browser, session, client, status, **extra):
    data = {"client": str(client.pk), "status": status, **extra}
    url = reverse("groups:attendance-toggle", args=[session.public_id])
    return browser.post(url, data, HTTP_HX_REQUEST="true")


def test_toggle_29_minutes_before_saves_the_attendance_only(login, counselor1, group, members):
    session = _session(group, 29)
    client = members[0]

    response = _toggle(
        login(counselor1),
        session,
        client,
        "present",
        **{f"participation_{client.pk}": "active", f"remark_{client.pk}": "Too early."},
    )

    assert response.status_code == 200
    row = Attendance.objects.get(session=session, client=client)
    assert (row.status, row.participation, row.remark) == ("present", "", "")
    assert f'id="participation-{client.pk}" name="participation_{client.pk}"' in (
        response.content.decode()
    )


def test_toggle_31_minutes_before_is_400(login, counselor1, group, members):
    session = _session(group, 31)

    response = _toggle(login(counselor1), session, members[0], "present")

    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_session_page_before_the_start_opens_attendance_but_not_notes(
    login, counselor1, group, members
):
    session = _session(group, 20)

    content = (
        login(counselor1)
        .get(reverse("groups:session-detail", args=[session.public_id]))
        .content.decode()
    )

    assert 'data-testid="attendance-open"' in content
    assert "<fieldset >" in content or "<fieldset>" in content
    assert 'value="sign"' not in content
    assert (
        f'id="remark-{members[0].pk}" name="remark_{members[0].pk}" maxlength="500" disabled'
        in (content)
    )


def test_session_page_more_than_30_minutes_before_marks_nothing(login, counselor1, group, members):
    session = _session(group, 45)

    content = (
        login(counselor1)
        .get(reverse("groups:session-detail", args=[session.public_id]))
        .content.decode()
    )

    assert "Attendance opens 30 minutes before the session starts" in content
    assert "<fieldset disabled>" in content


# --- My day -----------------------------------------------------------------------------


def test_my_day_shows_a_group_open_for_attendance_within_30_minutes(
    login, counselor1, group, members
):
    _session(group, 20)

    content = login(counselor1).get(MY_DAY).content.decode()

    assert 'data-testid="attendance-open"' in content


def test_my_day_shows_when_attendance_opens_for_a_later_group(login, counselor1, group, members):
    _session(group, 90)

    content = login(counselor1).get(MY_DAY).content.decode()

    assert 'data-testid="attendance-open"' not in content
    assert "attendance opens 30 minutes before" in content


def _appointment(counselor, client, minutes):
    return appointment_schedule(
        actor=counselor,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=_today_in(minutes),
        counselor=counselor,
    )


def test_my_day_links_an_individual_session_to_its_note(login, counselor1, client_of_counselor1):
    later = _appointment(counselor1, client_of_counselor1, 60)

    content = login(counselor1).get(MY_DAY).content.decode()

    url = reverse(
        "clients:session-document",
        kwargs={"client_id": client_of_counselor1.public_id, "appointment_id": later.public_id},
    )
    assert f'href="{url}" data-testid="note-link">Document' in content


def test_my_day_links_a_signed_note_as_signed(login, counselor1, client_of_counselor1):
    now = timezone.localtime()
    if now.hour == 0 and now.minute < 2:
        pytest.skip("too close to midnight for a session earlier today")
    earlier = appointment_schedule(
        actor=counselor1,
        episode=client_of_counselor1.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - datetime.timedelta(minutes=1),
        counselor=counselor1,
    )
    note = session_document(
        actor=counselor1,
        appointment=earlier,
        status=Appointment.Status.ATTENDED,
        data="Reports a calm week.",
        assessment="Stable.",
        plan="Next week.",
        service_code="H0004",
        minutes=50,
    )
    session_note_sign(actor=counselor1, note=note)

    content = login(counselor1).get(MY_DAY).content.decode()

    assert 'data-testid="note-link">Signed note' in content
