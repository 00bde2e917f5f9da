"""An addendum to a signed group note: added by the groups service in one
transaction with its audit trail, one event per client on the roster (the
group note concerns each of them), through the session page's form."""

from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups.models import GroupSession
from groups.services.sessions import Line, session_addendum_add, session_lines_save, session_sign
from iop.audit.models import AuditEvent
from iop.clients.notes import NoteAddendum
from tests.groups.factories import GroupSessionFactory, RecurringGroupFactory, enroll

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(counselor1):
    return RecurringGroupFactory(facilitator=counselor1)


def _signed_session(group, count):
    clients = [enrollment.episode.client for enrollment in enroll(group, count)]
    session = GroupSessionFactory(group=group)
    session_lines_save(
        actor=group.facilitator,
        session=session,
        summary="Signed group note.",
        lines={
            client.pk: Line(status="present", participation="active", remark=f"Line {client.pk}")
            for client in clients
        },
    )
    return session_sign(actor=group.facilitator, session=session), clients


def _addendum_events(session):
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_id=str(session.public_id)
    )


def _url(session):
    return reverse("groups:session-addendum", args=[session.public_id])


# --- the service ---------------------------------------------------------------------


def test_addendum_is_audited_once_for_each_client_on_the_roster(group, counselor1):
    session, clients = _signed_session(group, 3)

    addendum = session_addendum_add(actor=counselor1, session=session, text=" Called after. ")

    assert (addendum.text, addendum.author, addendum.note) == ("Called after.", counselor1, session)
    events = _addendum_events(session)
    assert sorted(event.client_id for event in events) == sorted(client.pk for client in clients)
    assert {(e.actor_id, e.object_type, e.details["addendum"]) for e in events} == {
        (counselor1.pk, "groups.groupsession", True)
    }


def test_addendum_to_an_unsigned_session_is_refused_and_nothing_is_audited(group, counselor1):
    enroll(group, 2)
    session = GroupSessionFactory(group=group)

    with pytest.raises(ValidationError):
        session_addendum_add(actor=counselor1, session=session, text="Too early.")

    assert not NoteAddendum.objects.exists()
    assert not _addendum_events(session).exists()


def test_blank_addendum_is_refused(group, counselor1):
    session, _clients = _signed_session(group, 1)

    with pytest.raises(ValidationError):
        session_addendum_add(actor=counselor1, session=session, text="   ")

    assert not NoteAddendum.objects.exists()


def test_addendum_is_not_kept_when_its_audit_fails(group, counselor1):
    session, _clients = _signed_session(group, 2)

    with (
        mock.patch(
            "groups.services.sessions.audit_record_many", side_effect=RuntimeError("trail down")
        ),
        pytest.raises(RuntimeError),
    ):
        session_addendum_add(actor=counselor1, session=session, text="Called after.")

    assert not NoteAddendum.objects.exists()


@pytest.mark.parametrize("count", [2, 20])
def test_addendum_costs_the_same_queries_whatever_the_roster_size(
    group, counselor1, count, django_assert_num_queries
):
    session, _clients = _signed_session(group, count)
    ContentType.objects.get_for_model(GroupSession)  # Django's per-process cache

    # Savepoint, session lock, addendum insert, roster (enrollments,
    # attendance), one insert of the audit rows, release.
    with django_assert_num_queries(7):
        session_addendum_add(actor=counselor1, session=session, text="Called after.")

    assert _addendum_events(session).count() == count


# --- the view ------------------------------------------------------------------------


def test_addendum_posted_on_the_session_page_is_audited_for_every_client(login, group, counselor1):
    session, clients = _signed_session(group, 3)

    response = login(counselor1).post(_url(session), {"text": "Called a client."})

    assert response.status_code == 302
    assert NoteAddendum.objects.get().text == "Called a client."
    events = _addendum_events(session)
    assert sorted(event.client_id for event in events) == sorted(client.pk for client in clients)
    assert {event.path for event in events} == {_url(session)}


def test_blank_addendum_on_the_session_page_says_so_and_saves_nothing(login, group, counselor1):
    session, _clients = _signed_session(group, 1)

    response = login(counselor1).post(_url(session), {"text": ""})

    assert response.status_code == 302
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Write the addendum."
    ]
    assert not NoteAddendum.objects.exists()
    assert not _addendum_events(session).exists()
