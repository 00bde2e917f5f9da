"""Every groups page, and My day: happy path for the facilitator and a
supervisor, the outsider (404), wrong roles (403), wrong method (405),
invalid input (400 or nothing changed), the audit of views, and query counts."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.models import Attendance, Enrollment, GroupSession, RecurringGroup
from groups.services import enrollment as enrollment_services
from groups.services.sessions import Line, session_lines_save, session_sign
from iop.audit.models import AuditEvent
from iop.clients.models import Appointment
from iop.clients.notes import NoteAddendum
from tests.factories import EpisodeFactory
from tests.groups.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
    enroll,
    track,
)

pytestmark = pytest.mark.django_db

# Every signed-in page: session, user, roles, the unread-notification badge of
# the layout, and the session save (savepoint, update, release); see
# tests/dashboard/test_views.py.
LAYOUT_QUERIES = 7
# The session page: the session (with group, track, topic), the roster
# (enrollments, attendance), the roster's plan objectives, the cloned-remark
# check, the roster's markers (iop.extensions.ROSTER_MARKERS: outcomes'
# measures due, one query for the whole roster) and one insert of the view
# audit rows (the drop-in picker is fetched when wanted:
# tests/groups/test_drop_in_picker.py).
SESSION_PAGE_QUERIES = LAYOUT_QUERIES + 7
# A signed session's page also reads the signer and the addenda (the content
# type of GroupSession comes from Django's per-process cache, warmed first).
SIGNED_SESSION_PAGE_QUERIES = SESSION_PAGE_QUERIES + 2
# My day: today's sessions, today's appointments (within the access policy),
# the unsigned sessions, the measures due (outcomes, within the policy), and
# one insert of the view events of the clients listed.
MY_DAY_QUERIES = LAYOUT_QUERIES + 5
# Saving the session form (no signing) answers with a redirect, so without
# the layout's notification badge: the session, the roster to build the form
# (enrollments, attendance), then in the service's transaction (savepoint,
# release) the session lock, the roster again, the group note update, one
# upsert of every line and one insert of the audit rows.
SESSION_SAVE_QUERIES = (LAYOUT_QUERIES - 1) + 13

STAFF_403 = ["intake", "administrator"]


@pytest.fixture
def group(counselor1):
    return RecurringGroupFactory(facilitator=counselor1, name="Monday RP")


@pytest.fixture
def members(group):
    return [enrollment.episode.client for enrollment in enroll(group, 3)]


@pytest.fixture
def session(group, members):
    return GroupSessionFactory(group=group)


def _url(name, obj):
    return reverse(f"groups:{name}", args=[obj.public_id])


def _form_data(session, clients, *, summary="Stress and triggers; everyone spoke.", **overrides):
    data = {"summary": summary, "action": "save"}
    for client in clients:
        data[f"status_{client.pk}"] = "present"
        data[f"minutes_{client.pk}"] = str(session.duration_minutes)
        data[f"participation_{client.pk}"] = "active"
        data[f"remark_{client.pk}"] = f"Described trigger {client.pk} at work."  # unique per client
    data.update(overrides)
    return data


def _document_and_sign(session, clients):
    facilitator = session.group.facilitator
    session_lines_save(
        actor=facilitator,
        session=session,
        summary="Signed group note.",
        lines={
            client.pk: Line(status="present", participation="active", remark=f"Line {client.pk}")
            for client in clients
        },
    )
    return session_sign(actor=facilitator, session=session)


# --- group list ----------------------------------------------------------------------


def test_group_list_shows_the_facilitator_their_groups(login, counselor1, group):
    response = login(counselor1).get(reverse("groups:group-list"))

    assert response.status_code == 200
    assert list(response.context["groups"]) == [group]


def test_group_list_shows_a_supervisor_every_group(login, supervisor, group):
    other = RecurringGroupFactory(name="Friday RP")

    response = login(supervisor).get(reverse("groups:group-list"))

    assert set(response.context["groups"]) == {group, other}


def test_group_list_hides_other_counselors_groups(login, counselor2, group):
    response = login(counselor2).get(reverse("groups:group-list"))

    assert list(response.context["groups"]) == []


@pytest.mark.parametrize("role", STAFF_403)
def test_group_list_is_forbidden_to_other_roles(request, login, role):
    response = login(request.getfixturevalue(role)).get(reverse("groups:group-list"))

    assert response.status_code == 403


def test_group_list_refuses_post(login, counselor1):
    assert login(counselor1).post(reverse("groups:group-list")).status_code == 405


# --- group detail --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["counselor1", "supervisor"])
def test_group_detail_lists_upcoming_and_recent_sessions(request, login, group, role):
    upcoming = GroupSessionFactory(
        group=group, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    recent = GroupSessionFactory(group=group, starts_at=timezone.now() - datetime.timedelta(days=2))

    response = login(request.getfixturevalue(role)).get(_url("group-detail", group))

    assert response.status_code == 200
    assert list(response.context["upcoming"]) == [upcoming]
    assert list(response.context["recent"]) == [recent]


def test_group_detail_is_404_to_a_counselor_outside_the_group(login, counselor2, group, members):
    assert login(counselor2).get(_url("group-detail", group)).status_code == 404


@pytest.mark.parametrize("role", STAFF_403)
def test_group_detail_is_forbidden_to_other_roles(request, login, group, role):
    assert login(request.getfixturevalue(role)).get(_url("group-detail", group)).status_code == 403


def test_group_detail_refuses_post(login, counselor1, group):
    assert login(counselor1).post(_url("group-detail", group)).status_code == 405


# --- add a session -------------------------------------------------------------------


def _future(days=3, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.mark.parametrize("role", ["counselor1", "supervisor"])
def test_session_add_creates_an_extra_occurrence(request, login, group, role):
    starts_at = _future()

    response = login(request.getfixturevalue(role)).post(
        _url("session-add", group), {"starts_at": starts_at.strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 302
    assert list(group.sessions.values_list("starts_at", flat=True)) == [starts_at]


def test_session_add_refuses_a_time_in_the_past(login, counselor1, group):
    past = timezone.localtime() - datetime.timedelta(days=1)

    response = login(counselor1).post(
        _url("session-add", group), {"starts_at": past.strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 302
    assert not group.sessions.exists()


def test_session_add_refuses_a_time_where_the_group_meets(login, counselor1, group):
    existing = GroupSessionFactory(group=group, starts_at=_future())

    login(counselor1).post(
        _url("session-add", group),
        {"starts_at": timezone.localtime(existing.starts_at).strftime("%Y-%m-%dT%H:%M")},
    )

    assert group.sessions.count() == 1


def test_session_add_is_404_to_a_counselor_outside_the_group(login, counselor2, group):
    response = login(counselor2).post(
        _url("session-add", group), {"starts_at": _future().strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 404
    assert not group.sessions.exists()


@pytest.mark.parametrize("role", STAFF_403)
def test_session_add_is_forbidden_to_other_roles(request, login, group, role):
    response = login(request.getfixturevalue(role)).post(
        _url("session-add", group), {"starts_at": _future().strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 403


def test_session_add_refuses_get(login, counselor1, group):
    assert login(counselor1).get(_url("session-add", group)).status_code == 405


# --- the session page ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["counselor1", "supervisor"])
def test_session_page_shows_the_roster(request, login, session, members, role):
    response = login(request.getfixturevalue(role)).get(_url("session-detail", session))

    assert response.status_code == 200
    assert {entry.client for entry in response.context["roster"]} == set(members)
    assert response.context["can_document"] is True
    assert "Save and sign all" in response.content.decode()


def test_session_page_writes_one_view_event_per_roster_client(login, counselor1, session, members):
    login(counselor1).get(_url("session-detail", session))

    events = AuditEvent.objects.filter(
        actor=counselor1, action=AuditEvent.Action.VIEW, object_id=str(session.public_id)
    )
    assert sorted(event.client_id for event in events) == sorted(client.pk for client in members)


def test_session_page_of_a_session_not_started_cannot_be_documented(
    login, counselor1, group, members
):
    later = GroupSessionFactory(group=group, starts_at=timezone.now() + datetime.timedelta(hours=2))

    response = login(counselor1).get(_url("session-detail", later))

    assert response.context["can_document"] is False
    assert "Save and sign all" not in response.content.decode()


def test_session_page_is_404_to_a_counselor_outside_the_group(login, counselor2, session):
    assert login(counselor2).get(_url("session-detail", session)).status_code == 404


@pytest.mark.parametrize("role", STAFF_403)
def test_session_page_is_forbidden_to_other_roles(request, login, session, role):
    assert (
        login(request.getfixturevalue(role)).get(_url("session-detail", session)).status_code == 403
    )


@pytest.mark.parametrize("method", ["put", "delete"])
def test_session_page_refuses_other_methods(login, counselor1, session, method):
    response = getattr(login(counselor1), method)(_url("session-detail", session))

    assert response.status_code == 405


@pytest.mark.parametrize("role", ["counselor1", "supervisor"])
def test_session_save_records_lines_and_the_group_note(request, login, session, members, role):
    response = login(request.getfixturevalue(role)).post(
        _url("session-detail", session), _form_data(session, members)
    )

    assert response.status_code == 302
    assert Attendance.objects.filter(session=session, status="present").count() == 3
    assert GroupSession.objects.get(pk=session.pk).summary == "Stress and triggers; everyone spoke."
    assert not GroupSession.objects.get(pk=session.pk).is_signed


def test_session_save_and_sign_signs_everything(login, counselor1, session, members):
    response = login(counselor1).post(
        _url("session-detail", session), _form_data(session, members, action="sign", confirm="yes")
    )

    assert response.status_code == 302
    assert GroupSession.objects.get(pk=session.pk).signed_by == counselor1
    assert Attendance.objects.filter(session=session, signed_by=counselor1).count() == 3


def test_session_sign_without_the_dialogs_confirmation_saves_and_signs_nothing(
    login, counselor1, session, members
):
    response = login(counselor1).post(
        _url("session-detail", session), _form_data(session, members, action="sign")
    )

    assert response.status_code == 400
    assert "Confirm signing" in response.content.decode()
    assert not GroupSession.objects.get(pk=session.pk).is_signed
    assert not Attendance.objects.filter(session=session).exists()


def test_session_page_asks_to_confirm_signing_and_explains_the_shortcuts(
    login, counselor1, session, members
):
    content = login(counselor1).get(_url("session-detail", session)).content.decode()

    assert 'value="sign" data-confirm="Sign the group note' in content
    assert 'id="confirm-dialog"' in content
    assert "Alt+N goes to the next client" in content
    assert content.count("data-autogrow") == len(members)


def test_session_sign_with_identical_remarks_shows_the_warning_and_signs_nothing(
    login, counselor1, session, members
):
    same = {f"remark_{client.pk}": "Good participation." for client in members}

    response = login(counselor1).post(
        _url("session-detail", session),
        _form_data(session, members, action="sign", confirm="yes", **same),
    )

    assert response.status_code == 400
    assert 'data-testid="clone-warning"' in response.content.decode()
    assert not GroupSession.objects.get(pk=session.pk).is_signed


def test_session_sign_with_identical_remarks_confirmed_signs(login, counselor1, session, members):
    same = {f"remark_{client.pk}": "Good participation." for client in members}

    response = login(counselor1).post(
        _url("session-detail", session),
        _form_data(session, members, action="sign", confirm="yes", accept_identical="on", **same),
    )

    assert response.status_code == 302
    assert GroupSession.objects.get(pk=session.pk).is_signed


def test_session_save_refuses_minutes_beyond_the_session_and_saves_nothing(
    login, counselor1, session, members
):
    data = _form_data(session, members, **{f"minutes_{members[0].pk}": "999"})

    response = login(counselor1).post(_url("session-detail", session), data)

    assert response.status_code == 400
    assert not Attendance.objects.filter(session=session).exists()
    assert GroupSession.objects.get(pk=session.pk).summary == ""


def test_session_save_refuses_an_unknown_status_and_saves_nothing(
    login, counselor1, session, members
):
    data = _form_data(session, members, **{f"status_{members[0].pk}": "asleep"})

    response = login(counselor1).post(_url("session-detail", session), data)

    assert response.status_code == 400
    assert not Attendance.objects.filter(session=session).exists()


def test_session_save_of_a_session_not_started_is_refused(login, counselor1, group, members):
    later = GroupSessionFactory(group=group, starts_at=timezone.now() + datetime.timedelta(hours=2))

    response = login(counselor1).post(_url("session-detail", later), _form_data(later, members))

    assert response.status_code == 400
    assert not Attendance.objects.filter(session=later).exists()


def test_session_save_leaves_signed_lines_alone(login, counselor1, session, members):
    _document_and_sign(session, members)
    before = list(Attendance.objects.filter(session=session).values_list("remark", "signed_at"))
    data = _form_data(session, members, **{f"remark_{members[0].pk}": "Tampered."})

    login(counselor1).post(_url("session-detail", session), data)

    after = list(Attendance.objects.filter(session=session).values_list("remark", "signed_at"))
    assert after == before


def test_session_post_is_404_to_a_counselor_outside_the_group(login, counselor2, session, members):
    response = login(counselor2).post(_url("session-detail", session), _form_data(session, members))

    assert response.status_code == 404
    assert not Attendance.objects.filter(session=session).exists()


# --- the attendance toggle (htmx) ----------------------------------------------------


def _toggle(browser, session, client, status, **extra):
    data = {"client": str(client.pk), "status": status, **extra}
    return browser.post(_url("attendance-toggle", session), data, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("role", ["counselor1", "supervisor"])
def test_toggle_saves_one_client_and_returns_their_row(request, login, session, members, role):
    client = members[0]

    response = _toggle(login(request.getfixturevalue(role)), session, client, "late")

    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="row-{client.pk}"' in content
    assert "saved" in content
    row = Attendance.objects.get(session=session, client=client)
    assert (row.status, row.minutes) == ("late", 75)
    assert Attendance.objects.filter(session=session).count() == 1


def test_toggle_keeps_the_row_participation_and_remark(login, counselor1, session, members):
    client = members[0]

    _toggle(
        login(counselor1),
        session,
        client,
        "present",
        **{f"participation_{client.pk}": "prompted", f"remark_{client.pk}": "Asked for a sponsor."},
    )

    row = Attendance.objects.get(session=session, client=client)
    assert (row.participation, row.remark) == ("prompted", "Asked for a sponsor.")


def test_toggle_with_an_unknown_status_is_400_and_saves_nothing(
    login, counselor1, session, members
):
    response = _toggle(login(counselor1), session, members[0], "sleeping")

    assert response.status_code == 400
    assert not Attendance.objects.filter(session=session).exists()


def test_toggle_for_a_client_not_on_the_roster_is_400_and_saves_nothing(
    login, counselor1, session, client_of_counselor1
):
    response = _toggle(login(counselor1), session, client_of_counselor1, "present")

    assert response.status_code == 400
    assert not Attendance.objects.filter(session=session).exists()


def test_toggle_of_a_signed_line_is_400(login, counselor1, session, members):
    _document_and_sign(session, members)

    response = _toggle(login(counselor1), session, members[0], "absent")

    assert response.status_code == 400
    assert Attendance.objects.get(session=session, client=members[0]).status == "present"


def test_toggle_before_the_session_starts_is_400(login, counselor1, group, members):
    later = GroupSessionFactory(group=group, starts_at=timezone.now() + datetime.timedelta(hours=2))

    response = _toggle(login(counselor1), later, members[0], "present")

    assert response.status_code == 400
    assert not Attendance.objects.filter(session=later).exists()


def test_toggle_is_404_to_a_counselor_outside_the_group(login, counselor2, session, members):
    response = _toggle(login(counselor2), session, members[0], "present")

    assert response.status_code == 404
    assert not Attendance.objects.filter(session=session).exists()


@pytest.mark.parametrize("role", STAFF_403)
def test_toggle_is_forbidden_to_other_roles(request, login, session, members, role):
    response = _toggle(login(request.getfixturevalue(role)), session, members[0], "present")

    assert response.status_code == 403


def test_toggle_refuses_get(login, counselor1, session):
    assert login(counselor1).get(_url("attendance-toggle", session)).status_code == 405


# --- drop-in and removal -------------------------------------------------------------


@pytest.mark.parametrize("role", ["counselor1", "supervisor"])
def test_drop_in_adds_a_visible_client(request, login, session, client_of_counselor1, role):
    response = login(request.getfixturevalue(role)).post(
        _url("session-drop-in", session), {"client": client_of_counselor1.pk}
    )

    assert response.status_code == 302
    row = Attendance.objects.get(session=session, client=client_of_counselor1)
    assert row.drop_in is True


def test_drop_in_refuses_a_client_the_counselor_may_not_see(
    login, counselor1, session, client_of_counselor2
):
    login(counselor1).post(_url("session-drop-in", session), {"client": client_of_counselor2.pk})

    assert not Attendance.objects.filter(session=session).exists()


def test_drop_in_is_404_to_a_counselor_outside_the_group(
    login, counselor2, session, client_of_counselor2
):
    response = login(counselor2).post(
        _url("session-drop-in", session), {"client": client_of_counselor2.pk}
    )

    assert response.status_code == 404
    assert not Attendance.objects.filter(session=session).exists()


@pytest.mark.parametrize("role", STAFF_403)
def test_drop_in_is_forbidden_to_other_roles(request, login, session, client_of_counselor1, role):
    response = login(request.getfixturevalue(role)).post(
        _url("session-drop-in", session), {"client": client_of_counselor1.pk}
    )

    assert response.status_code == 403


def test_drop_in_refuses_get(login, counselor1, session):
    assert login(counselor1).get(_url("session-drop-in", session)).status_code == 405


def test_remove_takes_an_unsigned_line_off_the_session(login, counselor1, session, members):
    AttendanceFactory(session=session, episode=members[0].episodes.get())

    response = login(counselor1).post(
        _url("session-remove", session), {"client": str(members[0].public_id)}
    )

    assert response.status_code == 302
    assert not Attendance.objects.filter(session=session).exists()


def test_remove_refuses_a_signed_line(login, counselor1, session, members):
    _document_and_sign(session, members)

    login(counselor1).post(_url("session-remove", session), {"client": str(members[0].public_id)})

    assert Attendance.objects.filter(session=session).count() == 3


def test_remove_is_404_to_a_counselor_outside_the_group(login, counselor2, session, members):
    AttendanceFactory(session=session, episode=members[0].episodes.get())

    response = login(counselor2).post(
        _url("session-remove", session), {"client": str(members[0].public_id)}
    )

    assert response.status_code == 404
    assert Attendance.objects.filter(session=session).exists()


def test_remove_refuses_get(login, counselor1, session):
    assert login(counselor1).get(_url("session-remove", session)).status_code == 405


# --- move and cancel -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["counselor1", "supervisor"])
def test_move_changes_the_session_time(request, login, group, role):
    upcoming = GroupSessionFactory(group=group, starts_at=_future(days=3))
    new_start = _future(days=4, hour=11)

    response = login(request.getfixturevalue(role)).post(
        _url("session-move", upcoming), {"starts_at": new_start.strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 302
    assert response.url == _url("group-detail", group)
    assert GroupSession.objects.get(pk=upcoming.pk).starts_at == new_start


def test_move_to_a_time_where_the_group_meets_changes_nothing(login, counselor1, group):
    first = GroupSessionFactory(group=group, starts_at=_future(days=3))
    second = GroupSessionFactory(group=group, starts_at=_future(days=10))

    login(counselor1).post(
        _url("session-move", second),
        {"starts_at": timezone.localtime(first.starts_at).strftime("%Y-%m-%dT%H:%M")},
    )

    assert GroupSession.objects.get(pk=second.pk).starts_at == second.starts_at


def test_move_with_an_invalid_time_changes_nothing(login, counselor1, group):
    upcoming = GroupSessionFactory(group=group, starts_at=_future(days=3))

    login(counselor1).post(_url("session-move", upcoming), {"starts_at": "next tuesday"})

    assert GroupSession.objects.get(pk=upcoming.pk).starts_at == upcoming.starts_at


def test_move_is_404_to_a_counselor_outside_the_group(login, counselor2, group):
    upcoming = GroupSessionFactory(group=group, starts_at=_future(days=3))

    response = login(counselor2).post(
        _url("session-move", upcoming), {"starts_at": _future(days=4).strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 404
    assert GroupSession.objects.get(pk=upcoming.pk).starts_at == upcoming.starts_at


@pytest.mark.parametrize("role", STAFF_403)
def test_move_is_forbidden_to_other_roles(request, login, session, role):
    response = login(request.getfixturevalue(role)).post(
        _url("session-move", session), {"starts_at": _future().strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 403


def test_move_refuses_get(login, counselor1, session):
    assert login(counselor1).get(_url("session-move", session)).status_code == 405


@pytest.mark.parametrize("role", ["counselor1", "supervisor"])
def test_cancel_marks_the_session_cancelled(request, login, group, role):
    upcoming = GroupSessionFactory(group=group, starts_at=_future())

    response = login(request.getfixturevalue(role)).post(
        _url("session-cancel", upcoming), {"reason": "Facilitator ill"}
    )

    assert response.status_code == 302
    cancelled = GroupSession.objects.get(pk=upcoming.pk)
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "Facilitator ill")


def test_cancel_without_a_reason_changes_nothing(login, counselor1, group):
    upcoming = GroupSessionFactory(group=group, starts_at=_future())

    login(counselor1).post(_url("session-cancel", upcoming), {"reason": ""})

    assert GroupSession.objects.get(pk=upcoming.pk).status == "scheduled"


def test_cancel_is_404_to_a_counselor_outside_the_group(login, counselor2, group):
    upcoming = GroupSessionFactory(group=group, starts_at=_future())

    response = login(counselor2).post(_url("session-cancel", upcoming), {"reason": "No"})

    assert response.status_code == 404
    assert GroupSession.objects.get(pk=upcoming.pk).status == "scheduled"


@pytest.mark.parametrize("role", STAFF_403)
def test_cancel_is_forbidden_to_other_roles(request, login, session, role):
    response = login(request.getfixturevalue(role)).post(
        _url("session-cancel", session), {"reason": "No"}
    )

    assert response.status_code == 403


def test_cancel_refuses_get(login, counselor1, session):
    assert login(counselor1).get(_url("session-cancel", session)).status_code == 405


# --- addendum ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["counselor1", "supervisor"])
def test_addendum_is_added_to_a_signed_session(request, login, session, members, role):
    _document_and_sign(session, members)
    user = request.getfixturevalue(role)

    response = login(user).post(_url("session-addendum", session), {"text": "Called a client."})

    assert response.status_code == 302
    assert list(NoteAddendum.objects.values_list("text", "author")) == [
        ("Called a client.", user.pk)
    ]


def test_addendum_to_an_unsigned_session_is_refused(login, counselor1, session):
    login(counselor1).post(_url("session-addendum", session), {"text": "Too early."})

    assert not NoteAddendum.objects.exists()


def test_addendum_is_404_to_a_counselor_outside_the_group(login, counselor2, session, members):
    _document_and_sign(session, members)

    response = login(counselor2).post(_url("session-addendum", session), {"text": "Hi"})

    assert response.status_code == 404
    assert not NoteAddendum.objects.exists()


@pytest.mark.parametrize("role", STAFF_403)
def test_addendum_is_forbidden_to_other_roles(request, login, session, role):
    response = login(request.getfixturevalue(role)).post(
        _url("session-addendum", session), {"text": "Hi"}
    )

    assert response.status_code == 403


def test_addendum_refuses_get(login, counselor1, session):
    assert login(counselor1).get(_url("session-addendum", session)).status_code == 405


# --- a client's groups (supervisor) --------------------------------------------------


@pytest.fixture
def enrolled_client(client_of_counselor1, group):
    EnrollmentFactory(episode=client_of_counselor1.episodes.get(), group=group)
    return client_of_counselor1


def test_client_groups_lists_the_enrollments_to_a_supervisor(
    login, supervisor, enrolled_client, group
):
    response = login(supervisor).get(_url("client-groups", enrolled_client))

    assert response.status_code == 200
    assert [enrollment.group for enrollment, _ in response.context["rows"]] == [group]


def test_client_groups_moves_the_client_to_another_group_of_the_track(
    login, supervisor, enrolled_client, group
):
    other = RecurringGroupFactory(track=group.track, weekday=RecurringGroup.Weekday.FRIDAY)
    enrollment = Enrollment.objects.get(episode__client=enrolled_client)

    response = login(supervisor).post(
        _url("client-groups", enrolled_client),
        {"enrollment": enrollment.pk, f"e{enrollment.pk}-group": other.pk},
    )

    assert response.status_code == 302
    assert Enrollment.objects.get(pk=enrollment.pk).group == other


def test_client_groups_refuses_a_group_of_another_track(login, supervisor, enrolled_client, group):
    other = RecurringGroupFactory(track=track("ers"))
    enrollment = Enrollment.objects.get(episode__client=enrolled_client)

    response = login(supervisor).post(
        _url("client-groups", enrolled_client),
        {"enrollment": enrollment.pk, f"e{enrollment.pk}-group": other.pk},
    )

    assert response.status_code == 400
    assert Enrollment.objects.get(pk=enrollment.pk).group == group


def test_client_groups_shows_a_change_the_service_refuses_on_the_form(
    login, supervisor, enrolled_client, group, monkeypatch
):
    # A group that stops meeting between the page and the service's lock.
    def refuse(**kwargs):
        raise ValidationError({"group": "That group no longer meets."})

    monkeypatch.setattr(enrollment_services, "enrollment_change_group", refuse)
    other = RecurringGroupFactory(track=group.track, weekday=RecurringGroup.Weekday.FRIDAY)
    enrollment = Enrollment.objects.get(episode__client=enrolled_client)

    response = login(supervisor).post(
        _url("client-groups", enrolled_client),
        {"enrollment": enrollment.pk, f"e{enrollment.pk}-group": other.pk},
    )

    assert response.status_code == 400
    [(_, form)] = response.context["rows"]
    assert form.errors == {"group": ["That group no longer meets."]}
    assert Enrollment.objects.get(pk=enrollment.pk).group == group


def test_client_groups_with_an_unknown_enrollment_is_404(login, supervisor, enrolled_client):
    response = login(supervisor).post(
        _url("client-groups", enrolled_client), {"enrollment": "999999"}
    )

    assert response.status_code == 404


def test_client_groups_is_404_to_a_counselor_outside_the_policy(login, counselor2, enrolled_client):
    assert login(counselor2).get(_url("client-groups", enrolled_client)).status_code == 404


def test_client_groups_is_404_to_intake_for_an_admitted_client(login, intake, enrolled_client):
    assert login(intake).get(_url("client-groups", enrolled_client)).status_code == 404


def test_client_groups_is_forbidden_to_the_client_counselor(login, counselor1, enrolled_client):
    assert login(counselor1).get(_url("client-groups", enrolled_client)).status_code == 403


def test_client_groups_is_forbidden_to_an_administrator(login, administrator, enrolled_client):
    assert login(administrator).get(_url("client-groups", enrolled_client)).status_code == 403


def test_client_groups_refuses_put(login, supervisor, enrolled_client):
    assert login(supervisor).put(_url("client-groups", enrolled_client)).status_code == 405


def test_client_groups_audits_the_view(login, supervisor, enrolled_client):
    login(supervisor).get(_url("client-groups", enrolled_client))

    assert AuditEvent.objects.filter(
        actor=supervisor, client=enrolled_client, action=AuditEvent.Action.VIEW
    ).exists()


# --- the chart's progress section ----------------------------------------------------


def test_chart_shows_matrix_progress_for_the_client(login, counselor1, enrolled_client, session):
    session_lines_save(
        actor=counselor1,
        session=session,
        summary=None,
        lines={enrolled_client.pk: Line(status="present")},
    )

    response = login(counselor1).get(
        reverse("clients:client-section", args=[enrolled_client.public_id, "groups"])
    )

    content = response.content.decode()
    assert 'data-testid="progress-rp"' in content
    assert "1 of 32 sessions" in content


# --- My day --------------------------------------------------------------------------


def _today_at(hour, minute=0):
    return timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(hour, minute))
    )


def _days_ago_at(days, hour=12):
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _appointment(counselor, starts_at, **fields):
    episode = EpisodeFactory(primary_counselor=counselor)
    return Appointment.objects.create(
        client=episode.client,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=starts_at,
        counselor=counselor,
        **fields,
    )


def test_my_day_lists_today_s_sessions_of_the_counselor(login, counselor1, group):
    today = GroupSessionFactory(group=group, starts_at=_today_at(12))
    GroupSessionFactory(starts_at=_today_at(13))  # another counselor's group
    GroupSessionFactory(group=group, starts_at=_today_at(12) + datetime.timedelta(days=1))

    response = login(counselor1).get(reverse("dashboard:my-day"))

    assert response.status_code == 200
    assert response.context["sessions"] == [today]
    assert _url("session-detail", today) in response.content.decode()


def test_my_day_lists_sessions_the_counselor_co_facilitates(login, counselor1):
    shared = GroupSessionFactory(
        group=RecurringGroupFactory(co_facilitator=counselor1), starts_at=_today_at(12)
    )

    response = login(counselor1).get(reverse("dashboard:my-day"))

    assert response.context["sessions"] == [shared]


def test_my_day_lists_today_s_appointments(login, counselor1, counselor2):
    mine = _appointment(counselor1, _today_at(14))
    _appointment(counselor2, _today_at(14))
    _appointment(counselor1, _today_at(14) - datetime.timedelta(days=1))

    response = login(counselor1).get(reverse("dashboard:my-day"))

    assert response.context["appointments"] == [mine]
    assert mine.client.display_name in response.content.decode()


def test_my_day_lists_unsigned_sessions_of_the_last_seven_days(login, counselor1, group, members):
    unsigned = GroupSessionFactory(group=group, starts_at=_days_ago_at(3))
    GroupSessionFactory(group=group, starts_at=_days_ago_at(8))  # older than a week
    GroupSessionFactory(
        group=group, starts_at=_days_ago_at(2), status=GroupSession.Status.CANCELLED
    )
    signed = GroupSessionFactory(group=group, starts_at=_days_ago_at(1))
    _document_and_sign(signed, members)
    GroupSessionFactory(group=group, starts_at=_today_at(0, 1))  # today's list instead

    response = login(counselor1).get(reverse("dashboard:my-day"))

    assert response.context["unsigned_sessions"] == [unsigned]


def test_my_day_leaves_out_other_counselors_unsigned_sessions(login, counselor1):
    GroupSessionFactory(starts_at=_days_ago_at(3))

    response = login(counselor1).get(reverse("dashboard:my-day"))

    assert response.context["unsigned_sessions"] == []


def test_my_day_opens_for_a_supervisor(login, supervisor):
    assert login(supervisor).get(reverse("dashboard:my-day")).status_code == 200


@pytest.mark.parametrize("role", STAFF_403)
def test_my_day_is_forbidden_to_other_roles(request, login, role):
    assert login(request.getfixturevalue(role)).get(reverse("dashboard:my-day")).status_code == 403


def test_my_day_refuses_post(login, counselor1):
    assert login(counselor1).post(reverse("dashboard:my-day")).status_code == 405


# --- query counts --------------------------------------------------------------------


def _past_history(group, clients, sessions):
    """Documented and signed past sessions of the group, for a longer history."""
    for days_ago in range(1, sessions + 1):
        past = GroupSessionFactory(group=group, starts_at=_days_ago_at(days_ago * 3))
        _document_and_sign(past, clients)


def test_session_page_query_count_does_not_grow_with_the_roster(
    login, counselor1, group, django_assert_num_queries
):
    browser = login(counselor1)
    small = GroupSessionFactory(group=group, starts_at=_days_ago_at(0, hour=0))
    clients = [enrollment.episode.client for enrollment in enroll(group, 5)]
    with django_assert_num_queries(SESSION_PAGE_QUERIES):
        response = browser.get(_url("session-detail", small))
    assert len(response.context["roster"]) == 5

    clients += [enrollment.episode.client for enrollment in enroll(group, 25)]
    _past_history(group, clients, sessions=4)
    with django_assert_num_queries(SESSION_PAGE_QUERIES):
        response = browser.get(_url("session-detail", small))
    assert len(response.context["roster"]) == 30


def test_session_page_query_count_does_not_grow_with_documented_lines(
    login, supervisor, group, django_assert_num_queries
):
    browser = login(supervisor)
    ContentType.objects.get_for_model(GroupSession)
    session = GroupSessionFactory(group=group)
    clients = [enrollment.episode.client for enrollment in enroll(group, 5)]
    _document_and_sign(session, clients)
    with django_assert_num_queries(SIGNED_SESSION_PAGE_QUERIES):
        browser.get(_url("session-detail", session))

    more = GroupSessionFactory(
        group=group, starts_at=session.starts_at - datetime.timedelta(days=7)
    )
    clients += [enrollment.episode.client for enrollment in enroll(group, 25)]
    _document_and_sign(more, clients)
    with django_assert_num_queries(SIGNED_SESSION_PAGE_QUERIES):
        response = browser.get(_url("session-detail", more))
    assert len(response.context["roster"]) == 30


def test_my_day_query_count_does_not_grow_with_sessions_and_history(
    login, counselor1, django_assert_num_queries
):
    browser = login(counselor1)

    def add_day(count):
        for number in range(count):
            group = RecurringGroupFactory(facilitator=counselor1)
            clients = [enrollment.episode.client for enrollment in enroll(group, 2)]
            GroupSessionFactory(group=group, starts_at=_today_at(12, number))
            GroupSessionFactory(group=group, starts_at=_days_ago_at(2))
            _appointment(counselor1, _today_at(15, number))
            _past_history(group, clients, sessions=2)

    add_day(1)
    with django_assert_num_queries(MY_DAY_QUERIES):
        response = browser.get(reverse("dashboard:my-day"))
    assert len(response.context["sessions"]) == 1

    add_day(9)
    with django_assert_num_queries(MY_DAY_QUERIES):
        response = browser.get(reverse("dashboard:my-day"))
    assert len(response.context["sessions"]) == 10
    assert len(response.context["appointments"]) == 10
    assert len(response.context["unsigned_sessions"]) == 10


def test_saving_a_twelve_client_session_makes_a_bounded_number_of_queries(
    login, counselor1, group, django_assert_num_queries
):
    browser = login(counselor1)
    session = GroupSessionFactory(group=group)
    clients = [enrollment.episode.client for enrollment in enroll(group, 12)]

    with django_assert_num_queries(SESSION_SAVE_QUERIES):
        response = browser.post(_url("session-detail", session), _form_data(session, clients))

    assert response.status_code == 302
    assert Attendance.objects.filter(session=session).count() == 12


def test_saving_again_makes_the_same_number_of_queries(
    login, counselor1, group, django_assert_num_queries
):
    browser = login(counselor1)
    session = GroupSessionFactory(group=group)
    clients = [enrollment.episode.client for enrollment in enroll(group, 12)]
    browser.post(_url("session-detail", session), _form_data(session, clients))

    with django_assert_num_queries(SESSION_SAVE_QUERIES):
        response = browser.post(
            _url("session-detail", session), _form_data(session, clients, summary="Revised.")
        )

    assert response.status_code == 302
    assert GroupSession.objects.get(pk=session.pk).summary == "Revised."
