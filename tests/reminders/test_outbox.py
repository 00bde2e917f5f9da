"""Writing the outbox (DOMAIN.md section 8): a row per consented channel and
offset, never inside quiet hours, idempotent; rescheduling and cancelling
through the services of the clinical record and the groups."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from groups.models import GroupSession
from groups.reminders import session_key
from groups.services import schedule
from iop.clients.models import Appointment, Client
from iop.clients.services.records import appointment_schedule
from iop.clients.services.sessions import appointment_cancel
from iop.reminders.models import Reminder
from iop.reminders.services import reminders_cancel, reminders_reschedule, reminders_schedule
from iop.reminders.services.planning import reminders_plan_upcoming
from tests.factories import ClientFactory, EpisodeFactory
from tests.groups.factories import EnrollmentFactory, GroupSessionFactory, RecurringGroupFactory
from tests.reminders.support import PHONE, days_ahead_at, local

pytestmark = pytest.mark.django_db

KEY = "appointment:test"
# A fixed clock for services that take `now`: a Monday noon in January (no
# daylight-saving change nearby).
NOW = local(2030, 1, 14, 12)
H = datetime.timedelta(hours=1)


def _schedule(client, starts_at, *, now=NOW, key=KEY):
    return reminders_schedule(appointment_key=key, starts_at=starts_at, client=client, now=now)


def _rows(key=KEY, **filters):
    return Reminder.objects.filter(appointment_key=key, **filters)


def _by_channel_and_kind(rows):
    return {(row.channel, row.kind): row for row in rows}


def _consent(client, **fields):
    Client.objects.filter(pk=client.pk).update(**fields)
    client.refresh_from_db()
    return client


# --- schedule ---------------------------------------------------------------------------


def test_schedule_makes_one_row_per_consented_channel_and_offset(consenting_client):
    starts_at = local(2030, 1, 16, 14)

    _schedule(consenting_client, starts_at)

    rows = _by_channel_and_kind(_rows())
    assert set(rows) == {
        ("sms", "before_24h"),
        ("sms", "before_2h"),
        ("email", "before_24h"),
        ("email", "before_2h"),
    }
    assert rows[("sms", "before_24h")].send_at == starts_at - 24 * H
    assert rows[("sms", "before_2h")].send_at == starts_at - 2 * H
    assert rows[("sms", "before_2h")].address == PHONE
    assert rows[("email", "before_2h")].address == consenting_client.email
    assert {row.status for row in rows.values()} == {Reminder.Status.PENDING}


def test_schedule_makes_no_row_for_a_channel_without_consent(db):
    client = ClientFactory(phone=PHONE, email="lee@example.test", sms_consent=True)

    _schedule(client, local(2030, 1, 16, 14))

    assert set(_rows().values_list("channel", flat=True)) == {"sms"}
    assert _rows().count() == 2


def test_schedule_makes_no_row_for_a_client_who_consented_to_nothing(db):
    client = ClientFactory(phone=PHONE, email="lee@example.test")

    assert _schedule(client, local(2030, 1, 16, 14)) == []
    assert not _rows().exists()


def test_schedule_makes_no_row_for_a_consented_channel_without_an_address(db):
    client = ClientFactory(phone="", email="lee@example.test", sms_consent=True, email_consent=True)

    _schedule(client, local(2030, 1, 16, 14))

    assert set(_rows().values_list("channel", flat=True)) == {"email"}


def test_scheduling_twice_keeps_the_same_rows(consenting_client):
    starts_at = local(2030, 1, 16, 14)
    _schedule(consenting_client, starts_at)
    first = sorted(_rows().values_list("pk", "public_id", "send_at", "status"))

    _schedule(consenting_client, starts_at)

    assert sorted(_rows().values_list("pk", "public_id", "send_at", "status")) == first
    assert len(first) == 4


def test_a_reminder_falling_in_quiet_hours_moves_to_eight_in_the_morning(consenting_client):
    # 24 hours before an 11 p.m. appointment is 11 p.m. the evening before.
    starts_at = local(2030, 1, 16, 23)

    _schedule(consenting_client, starts_at)

    row = _rows(channel="sms", kind="before_24h").get()
    assert row.status == Reminder.Status.PENDING
    assert row.send_at == local(2030, 1, 16, 8)


def test_a_reminder_that_quiet_hours_would_push_past_the_appointment_is_skipped(
    consenting_client,
):
    # 2 hours before 11 p.m. is 9 p.m.; the next 8 a.m. is after the appointment.
    starts_at = local(2030, 1, 16, 23)

    _schedule(consenting_client, starts_at)

    row = _rows(channel="sms", kind="before_2h").get()
    assert (row.status, row.skip_reason) == (Reminder.Status.SKIPPED, "quiet_hours")
    assert row.skipped_at == NOW


def test_an_early_morning_appointment_gets_no_reminder_at_night(consenting_client):
    # 24 h before 1 a.m. is 1 a.m. the night before: moved to 8 a.m. that day.
    # 2 h before is 11 p.m.: the next 8 a.m. is after the appointment.
    starts_at = local(2030, 1, 17, 1)

    _schedule(consenting_client, starts_at)

    rows = _by_channel_and_kind(_rows(channel="sms"))
    assert rows[("sms", "before_24h")].send_at == local(2030, 1, 16, 8)
    assert rows[("sms", "before_24h")].status == Reminder.Status.PENDING
    assert rows[("sms", "before_2h")].skip_reason == "quiet_hours"


def test_no_reminder_is_ever_planned_inside_quiet_hours(consenting_client):
    starts = [local(2030, 1, 16, hour) for hour in range(24)]

    for n, starts_at in enumerate(starts):
        _schedule(consenting_client, starts_at, key=f"appointment:{n}")

    pending = Reminder.objects.filter(status=Reminder.Status.PENDING)
    assert pending.count() > 0
    hours = {timezone.localtime(row.send_at).hour for row in pending}
    assert all(8 <= hour < 21 for hour in hours), hours


def test_a_reminder_whose_time_has_passed_is_skipped_as_too_late(consenting_client):
    starts_at = NOW + 3 * H

    _schedule(consenting_client, starts_at)

    late = _rows(channel="sms", kind="before_24h").get()
    assert (late.status, late.skip_reason) == (Reminder.Status.SKIPPED, "scheduled_too_late")
    assert _rows(channel="sms", kind="before_2h").get().status == Reminder.Status.PENDING


# --- reschedule and cancel --------------------------------------------------------------


def test_reschedule_cancels_pending_rows_and_plans_the_new_time(consenting_client):
    old, new = days_ahead_at(5, 14), days_ahead_at(6, 15)
    reminders_schedule(appointment_key=KEY, starts_at=old, client=consenting_client)

    reminders_reschedule(appointment_key=KEY, starts_at=new, client=consenting_client)

    assert set(_rows(appointment_starts_at=old).values_list("status", flat=True)) == {
        Reminder.Status.CANCELLED
    }
    assert _rows(appointment_starts_at=old).filter(cancelled_at__isnull=True).count() == 0
    moved = _rows(appointment_starts_at=new)
    assert moved.count() == 4
    assert set(moved.values_list("status", flat=True)) == {Reminder.Status.PENDING}
    assert sorted(moved.values_list("send_at", flat=True)) == [new - 24 * H] * 2 + [new - 2 * H] * 2


def test_moving_back_to_the_original_time_reopens_its_rows(consenting_client):
    old, new = days_ahead_at(5, 14), days_ahead_at(6, 15)
    reminders_schedule(appointment_key=KEY, starts_at=old, client=consenting_client)
    original = set(_rows(appointment_starts_at=old).values_list("pk", flat=True))
    reminders_reschedule(appointment_key=KEY, starts_at=new, client=consenting_client)

    reminders_reschedule(appointment_key=KEY, starts_at=old, client=consenting_client)

    reopened = _rows(appointment_starts_at=old)
    assert set(reopened.values_list("pk", flat=True)) == original
    assert set(reopened.values_list("status", flat=True)) == {Reminder.Status.PENDING}
    assert reopened.filter(cancelled_at__isnull=False).count() == 0
    assert set(_rows(appointment_starts_at=new).values_list("status", flat=True)) == {
        Reminder.Status.CANCELLED
    }


def test_moving_back_does_not_reopen_a_reminder_already_sent(consenting_client):
    old, new = days_ahead_at(5, 14), days_ahead_at(6, 15)
    reminders_schedule(appointment_key=KEY, starts_at=old, client=consenting_client)
    _rows(appointment_starts_at=old, kind="before_24h").update(status=Reminder.Status.SENT)
    reminders_reschedule(appointment_key=KEY, starts_at=new, client=consenting_client)

    reminders_reschedule(appointment_key=KEY, starts_at=old, client=consenting_client)

    statuses = dict(_rows(appointment_starts_at=old, channel="sms").values_list("kind", "status"))
    assert statuses == {"before_24h": Reminder.Status.SENT, "before_2h": Reminder.Status.PENDING}
    assert _rows(appointment_starts_at=old).count() == 4


def test_cancel_cancels_only_pending_rows(consenting_client):
    _schedule(consenting_client, local(2030, 1, 16, 14))
    kept = {
        Reminder.Status.SENDING: ("sms", "before_24h"),
        Reminder.Status.SENT: ("sms", "before_2h"),
        Reminder.Status.FAILED: ("email", "before_24h"),
    }
    for status, (channel, kind) in kept.items():
        _rows(channel=channel, kind=kind).update(status=status)

    cancelled = reminders_cancel(appointment_key=KEY)

    assert cancelled == 1
    statuses = {(r.channel, r.kind): r.status for r in _rows()}
    assert statuses == {
        ("sms", "before_24h"): Reminder.Status.SENDING,
        ("sms", "before_2h"): Reminder.Status.SENT,
        ("email", "before_24h"): Reminder.Status.FAILED,
        ("email", "before_2h"): Reminder.Status.CANCELLED,
    }


def test_cancel_leaves_other_appointments_alone(consenting_client):
    _schedule(consenting_client, local(2030, 1, 16, 14))
    _schedule(consenting_client, local(2030, 1, 16, 14), key="appointment:other")

    reminders_cancel(appointment_key=KEY)

    assert set(_rows("appointment:other").values_list("status", flat=True)) == {
        Reminder.Status.PENDING
    }


# --- appointments of the clinical record --------------------------------------------------


def _book(counselor, client, starts_at, **fields):
    return appointment_schedule(
        actor=counselor,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=starts_at,
        counselor=counselor,
        **fields,
    )


@pytest.fixture
def consenting_client_of_counselor1(client_of_counselor1):
    return _consent(
        client_of_counselor1, sms_consent=True, email_consent=True, email="kim@example.test"
    )


def test_appointment_schedule_writes_its_reminders(counselor1, consenting_client_of_counselor1):
    starts_at = days_ahead_at(4, 14)

    appointment = _book(counselor1, consenting_client_of_counselor1, starts_at)

    rows = _rows(f"appointment:{appointment.public_id}")
    assert rows.count() == 4
    assert set(rows.values_list("appointment_starts_at", flat=True)) == {starts_at}
    assert set(rows.values_list("client", flat=True)) == {consenting_client_of_counselor1.pk}


def test_a_video_appointment_reminder_says_video(counselor1, consenting_client_of_counselor1):
    appointment = _book(
        counselor1, consenting_client_of_counselor1, days_ahead_at(4, 14), mode="video"
    )

    assert set(
        _rows(f"appointment:{appointment.public_id}").values_list("location", flat=True)
    ) == {"video"}


def test_a_rolled_back_appointment_leaves_no_reminders(counselor1, consenting_client_of_counselor1):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        _book(counselor1, consenting_client_of_counselor1, days_ahead_at(4, 14))
        assert Reminder.objects.count() == 4  # written inside the transaction
        raise Abort

    assert not Appointment.objects.exists()
    assert not Reminder.objects.exists()


def test_appointment_cancel_cancels_its_reminders(counselor1, consenting_client_of_counselor1):
    appointment = _book(counselor1, consenting_client_of_counselor1, days_ahead_at(4, 14))

    appointment_cancel(actor=counselor1, appointment=appointment, reason="cancelled_client")

    assert set(_rows(f"appointment:{appointment.public_id}").values_list("status", flat=True)) == {
        Reminder.Status.CANCELLED
    }


def test_planner_schedules_the_appointments_of_the_coming_day(
    counselor1, consenting_client_of_counselor1
):
    starts_at = local(2030, 1, 15, 13)  # inside the planner's window of 24 + 2 hours
    appointment = Appointment.objects.create(
        client=consenting_client_of_counselor1,
        episode=consenting_client_of_counselor1.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=starts_at,
        counselor=counselor1,
    )

    reminders_plan_upcoming(now=NOW)
    reminders_plan_upcoming(now=NOW)

    assert _rows(f"appointment:{appointment.public_id}").count() == 4


# --- group sessions -----------------------------------------------------------------------


@pytest.fixture
def group_session(db):
    """A future session of a group with one enrolled client who consented to texts."""
    group = RecurringGroupFactory(room="Room 2")
    client = ClientFactory(phone=PHONE, sms_consent=True)
    EnrollmentFactory(group=group, episode=EpisodeFactory(client=client))
    return GroupSessionFactory(group=group, starts_at=days_ahead_at(3, 18))


def test_planner_schedules_a_group_session_for_its_roster(group_session):
    reminders_plan_upcoming(now=group_session.starts_at - 25 * H)

    rows = _rows(session_key(group_session))
    assert rows.count() == 2
    assert set(rows.values_list("location", flat=True)) == {"Room 2"}


def test_moving_a_group_session_replans_its_reminders_at_the_new_time(group_session):
    old = group_session.starts_at
    reminders_plan_upcoming(now=old - 25 * H)
    new = days_ahead_at(4, 17)

    schedule.group_session_move(
        actor=group_session.group.facilitator, session=group_session, starts_at=new
    )

    rows = _rows(session_key(group_session))
    assert set(rows.filter(appointment_starts_at=old).values_list("status", flat=True)) == {
        Reminder.Status.CANCELLED
    }
    moved = rows.filter(appointment_starts_at=new)
    assert set(moved.values_list("status", flat=True)) == {Reminder.Status.PENDING}
    assert sorted(moved.values_list("send_at", flat=True)) == [new - 24 * H, new - 2 * H]


def test_cancelling_a_group_session_cancels_its_reminders(group_session):
    reminders_plan_upcoming(now=group_session.starts_at - 25 * H)

    schedule.group_session_cancel(
        actor=group_session.group.facilitator, session=group_session, reason="Snow day"
    )

    assert GroupSession.objects.get(pk=group_session.pk).status == GroupSession.Status.CANCELLED
    assert set(_rows(session_key(group_session)).values_list("status", flat=True)) == {
        Reminder.Status.CANCELLED
    }
