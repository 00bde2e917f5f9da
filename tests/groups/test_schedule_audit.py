"""Moving, cancelling and adding a group occurrence write their audit row in
the same transaction as the change, with the request's path and address."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupSession
from groups.services import schedule
from iop.audit.models import AuditEvent
from tests.groups.factories import GroupSessionFactory, RecurringGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(counselor1):
    return RecurringGroupFactory(facilitator=counselor1, name="Monday RP")


def _future(days=3, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _field(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _event_for(session) -> AuditEvent:
    return AuditEvent.objects.get(
        object_type="groups.groupsession", object_id=str(session.public_id)
    )


def _failing_audit(*args, **kwargs):
    raise RuntimeError("the audit trail refused the row")


# --- the request ---------------------------------------------------------------------------


def test_moving_a_session_audits_the_path_and_address(login, counselor1, group):
    upcoming = GroupSessionFactory(group=group, starts_at=_future())
    url = reverse("groups:session-move", args=[upcoming.public_id])

    login(counselor1).post(
        url, {"starts_at": _field(_future(days=4))}, headers={"User-Agent": "Clinic PC"}
    )

    event = _event_for(upcoming)
    assert (event.action, event.details) == (AuditEvent.Action.UPDATE, {"moved": True})
    assert (event.path, event.ip_address, event.user_agent) == (url, "127.0.0.1", "Clinic PC")


def test_cancelling_a_session_audits_the_path_and_address(login, counselor1, group):
    upcoming = GroupSessionFactory(group=group, starts_at=_future())
    url = reverse("groups:session-cancel", args=[upcoming.public_id])

    login(counselor1).post(url, {"reason": "Facilitator ill"})

    event = _event_for(upcoming)
    assert event.details == {"cancelled": True}
    assert (event.path, event.ip_address) == (url, "127.0.0.1")


def test_adding_a_session_audits_the_path_and_address(login, counselor1, group):
    url = reverse("groups:session-add", args=[group.public_id])

    login(counselor1).post(url, {"starts_at": _field(_future())})

    added = group.sessions.get()
    event = _event_for(added)
    assert (event.action, event.actor) == (AuditEvent.Action.CREATE, counselor1)
    assert (event.path, event.ip_address) == (url, "127.0.0.1")


# --- one transaction -----------------------------------------------------------------------


def test_an_occurrence_whose_audit_row_fails_is_not_added(monkeypatch, counselor1, group):
    monkeypatch.setattr(schedule, "audit_record", _failing_audit)

    with pytest.raises(RuntimeError):
        schedule.group_session_add(actor=counselor1, group=group, starts_at=_future())

    assert not group.sessions.exists()


def test_a_move_whose_audit_row_fails_leaves_the_session_where_it_was(
    monkeypatch, counselor1, group
):
    upcoming = GroupSessionFactory(group=group, starts_at=_future())
    monkeypatch.setattr(schedule, "audit_record", _failing_audit)

    with pytest.raises(RuntimeError):
        schedule.group_session_move(actor=counselor1, session=upcoming, starts_at=_future(days=5))

    assert GroupSession.objects.get(pk=upcoming.pk).starts_at == _future()


def test_a_cancellation_whose_audit_row_fails_leaves_the_session_scheduled(
    monkeypatch, counselor1, group
):
    upcoming = GroupSessionFactory(group=group, starts_at=_future())
    monkeypatch.setattr(schedule, "audit_record", _failing_audit)

    with pytest.raises(RuntimeError):
        schedule.group_session_cancel(actor=counselor1, session=upcoming, reason="Snow")

    assert GroupSession.objects.get(pk=upcoming.pk).status == GroupSession.Status.SCHEDULED
