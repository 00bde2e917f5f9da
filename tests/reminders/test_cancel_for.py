"""reminders_cancel_for and reminders_readdress: what is queued for one
person (a client, or a family member of the family app, known to the outbox
by id only) is cancelled with the reason, or sent to a new address; rows
that are no longer pending are left as they were."""

import datetime

import pytest
from django.utils import timezone

from iop.reminders.models import Reminder
from iop.reminders.services import (
    reminders_cancel_for,
    reminders_readdress,
    reminders_schedule,
)
from tests.factories import ClientFactory
from tests.family.factories import family_member
from tests.reminders.support import reminder_row

pytestmark = pytest.mark.django_db

Status = Reminder.Status


@pytest.fixture
def now():
    return timezone.now()


def _family_row(member, *, now, channel="sms", address="+15555550199", **fields):
    return reminder_row(
        now=now,
        channel=channel,
        address=address,
        family_member_id=member.pk,
        **fields,
    )


def _state(row):
    row.refresh_from_db()
    return row.status, row.skip_reason


def test_cancel_for_a_client_cancels_only_their_pending_rows_with_the_reason(now):
    client, other = ClientFactory(), ClientFactory()
    pending = reminder_row(now=now, client=client)
    theirs = reminder_row(now=now, client=other)

    cancelled = reminders_cancel_for(client=client, reason="discharged")

    assert cancelled == 1
    assert _state(pending) == (Status.CANCELLED, "discharged")
    assert pending.cancelled_at is not None
    assert _state(theirs) == (Status.PENDING, "")


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (Status.SENDING, ""),
        (Status.SENT, ""),
        (Status.SKIPPED, "quiet_hours"),
        (Status.EXPIRED, ""),
        (Status.CANCELLED, ""),
    ],
)
def test_cancel_for_leaves_rows_that_are_no_longer_pending_as_they_were(now, status, reason):
    client = ClientFactory()
    row = reminder_row(now=now, client=client, status=status, skip_reason=reason)

    assert reminders_cancel_for(client=client, reason="discharged") == 0

    assert _state(row) == (status, reason)
    assert row.cancelled_at is None


def test_cancel_for_a_family_member_cancels_their_rows_and_not_the_clients(now):
    client = ClientFactory()
    member = family_member(client)
    theirs = _family_row(member, now=now)
    clients = reminder_row(now=now, client=client)

    assert reminders_cancel_for(family_member=member, reason="consent_revoked") == 1

    assert _state(theirs) == (Status.CANCELLED, "consent_revoked")
    assert _state(clients) == (Status.PENDING, "")


def test_cancel_for_one_channel_leaves_the_other(now):
    member = family_member(ClientFactory())
    sms = _family_row(member, now=now, channel="sms")
    mail = _family_row(member, now=now, channel="email", address="kin@example.org")

    reminders_cancel_for(family_member=member, channel="sms", reason="contact_withdrawn")

    assert _state(sms) == (Status.CANCELLED, "contact_withdrawn")
    assert _state(mail) == (Status.PENDING, "")


@pytest.mark.parametrize("whom", ["neither", "both"])
def test_cancel_for_needs_exactly_one_person(now, whom):
    client = ClientFactory()
    member = family_member(client)
    row = reminder_row(now=now, client=client)
    people = {"both": {"client": client, "family_member": member}, "neither": {}}[whom]

    with pytest.raises(ValueError, match="exactly one"):
        reminders_cancel_for(**people, reason="discharged")

    assert _state(row) == (Status.PENDING, "")


def test_cancel_for_needs_a_reason(now):
    client = ClientFactory()
    row = reminder_row(now=now, client=client)

    with pytest.raises(ValueError, match="why"):
        reminders_cancel_for(client=client, reason="  ")

    assert _state(row) == (Status.PENDING, "")


def test_a_cancelled_row_planned_again_for_the_same_time_loses_its_reason():
    client = ClientFactory(sms_consent=True, phone="+15555550123")
    day = timezone.localdate() + datetime.timedelta(days=3)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))
    reminders_schedule(appointment_key="appointment:x", starts_at=starts_at, client=client)
    reminders_cancel_for(client=client, reason="discharged")

    reminders_schedule(appointment_key="appointment:x", starts_at=starts_at, client=client)

    rows = Reminder.objects.all()
    assert {(row.status, row.skip_reason, row.cancelled_at) for row in rows} == {
        (Status.PENDING, "", None)
    }


def test_readdress_sends_a_members_pending_rows_on_that_channel_to_the_new_address(now):
    member = family_member(ClientFactory())
    pending = _family_row(member, now=now, channel="sms")
    sent = _family_row(member, now=now, channel="sms", status=Status.SENT)
    mail = _family_row(member, now=now, channel="email", address="kin@example.org")

    changed = reminders_readdress(family_member=member, channel="sms", address="+15555550111")

    assert changed == 1
    assert [Reminder.objects.get(pk=row.pk).address for row in (pending, sent, mail)] == [
        "+15555550111",
        "+15555550199",
        "kin@example.org",
    ]
