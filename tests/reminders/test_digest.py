"""The morning digest to staff (DOMAIN.md section 8): one per person with
something waiting (unsigned notes older than 24 hours, plan reviews due,
open safety flags for supervisors), by email or in the app, once a day."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from iop.accounts import roles
from iop.clients.models import Appointment, SessionNote, TreatmentPlan
from iop.clients.services import episode_assign_counselor
from iop.reminders.models import Reminder, StaffNotification
from iop.reminders.services import reminders_dispatch_due
from iop.reminders.services.planning import staff_digests_queue
from screening import digest as screening_digest
from screening.models import InstrumentAdministration, SafetyFlag
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _unsigned_note(counselor, client, *, started_ago):
    appointment = Appointment.objects.create(
        client=client,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - started_ago,
        counselor=counselor,
        status=Appointment.Status.ATTENDED,
    )
    return SessionNote.objects.create(appointment=appointment, author=counselor, data="d")


def _plan_review_due(counselor, client):
    return TreatmentPlan.objects.create(
        client=client,
        episode=client.episodes.get(),
        author=counselor,
        status=TreatmentPlan.Status.ACTIVE,
        signed_by=counselor,
        signed_at=timezone.now() - datetime.timedelta(days=31),
        next_review_due=timezone.localdate() - datetime.timedelta(days=1),
    )


def _open_safety_flag(staff, client):
    administration = InstrumentAdministration.objects.create(
        client=client,
        code="PHQ-9",
        version="test",
        answers={"9": 1},
        band="moderate",
        band_label="Moderate",
        administered_by=staff,
        administered_at=timezone.now(),
    )
    return SafetyFlag.objects.create(
        client=client, administration=administration, reason="PHQ-9 item 9 answered above 0"
    )


def _digests(**filters):
    return Reminder.objects.filter(kind="digest", **filters)


def _digest_of(user):
    return _digests(staff=user).get()


def test_a_counselor_with_a_note_unsigned_for_a_day_gets_a_digest(
    counselor1, counselor2, client_of_counselor1
):
    _unsigned_note(counselor1, client_of_counselor1, started_ago=26 * HOUR)

    queued = staff_digests_queue()

    assert queued == 1
    digest = _digest_of(counselor1)
    assert "1 session note unsigned for more than 24 hours" in digest.body
    assert digest.appointment_key == f"digest:{timezone.localdate().isoformat()}"
    assert digest.status == Reminder.Status.PENDING
    assert not _digests(staff=counselor2).exists()


def test_a_draft_of_a_client_reassigned_away_is_not_counted_in_the_digest(
    supervisor, counselor1, counselor2, client_of_counselor2
):
    _unsigned_note(counselor2, client_of_counselor2, started_ago=5 * 24 * HOUR)
    episode_assign_counselor(
        actor=supervisor, episode=client_of_counselor2.episodes.get(), counselor=counselor1
    )

    staff_digests_queue()

    assert not _digests(staff=counselor2).exists()


def test_a_note_unsigned_for_less_than_a_day_is_not_in_the_digest(counselor1, client_of_counselor1):
    _unsigned_note(counselor1, client_of_counselor1, started_ago=3 * HOUR)

    assert staff_digests_queue() == 0
    assert not _digests().exists()


def test_a_counselor_hears_of_plan_reviews_due(counselor1, client_of_counselor1):
    _plan_review_due(counselor1, client_of_counselor1)

    staff_digests_queue()

    assert "1 treatment-plan review due" in _digest_of(counselor1).body


def test_a_supervisor_hears_of_open_safety_flags(supervisor, counselor1, client_of_counselor1):
    _open_safety_flag(counselor1, client_of_counselor1)

    staff_digests_queue()

    assert "1 open safety flag" in _digest_of(supervisor).body
    assert not _digests(staff=counselor1).exists()


def test_a_digest_line_counts_one_in_the_singular_and_more_in_the_plural(
    supervisor, counselor1, client_of_counselor1
):
    _open_safety_flag(counselor1, client_of_counselor1)
    one = screening_digest.digest_items(supervisor)
    _open_safety_flag(counselor1, client_of_counselor1)
    two = screening_digest.digest_items(supervisor)

    assert (one, two) == (["1 open safety flag"], ["2 open safety flags"])


def test_an_addressed_safety_flag_is_not_in_the_digest(
    supervisor, counselor1, client_of_counselor1
):
    flag = _open_safety_flag(counselor1, client_of_counselor1)
    SafetyFlag.objects.filter(pk=flag.pk).update(addressed_at=timezone.now())

    assert staff_digests_queue() == 0


def test_staff_with_nothing_waiting_get_no_digest(
    intake, counselor1, counselor2, supervisor, administrator
):
    assert staff_digests_queue() == 0
    assert not _digests().exists()


def test_one_digest_holds_every_item_of_a_person(counselor1, client_of_counselor1):
    _unsigned_note(counselor1, client_of_counselor1, started_ago=30 * HOUR)
    _unsigned_note(counselor1, client_of_counselor1, started_ago=50 * HOUR)
    _plan_review_due(counselor1, client_of_counselor1)

    staff_digests_queue()

    body = _digest_of(counselor1).body
    assert body.splitlines() == [
        "Waiting for you today:",
        "- 2 session notes unsigned for more than 24 hours",
        "- 1 treatment-plan review due",
    ]


def test_the_digest_names_no_client(counselor1, client_of_counselor1):
    _unsigned_note(counselor1, client_of_counselor1, started_ago=26 * HOUR)

    staff_digests_queue()

    body = _digest_of(counselor1).body
    assert client_of_counselor1.legal_last_name not in body
    assert client_of_counselor1.mrn not in body


def test_queuing_twice_the_same_day_makes_one_digest_per_person(counselor1, client_of_counselor1):
    _unsigned_note(counselor1, client_of_counselor1, started_ago=26 * HOUR)

    staff_digests_queue()
    staff_digests_queue()

    assert _digests(staff=counselor1).count() == 1


def test_a_new_day_brings_a_new_digest(counselor1, client_of_counselor1):
    _unsigned_note(counselor1, client_of_counselor1, started_ago=26 * HOUR)
    today = timezone.localdate()

    staff_digests_queue(today=today)
    staff_digests_queue(today=today + datetime.timedelta(days=1))

    assert sorted(_digests(staff=counselor1).values_list("appointment_key", flat=True)) == [
        f"digest:{today.isoformat()}",
        f"digest:{(today + datetime.timedelta(days=1)).isoformat()}",
    ]


def test_a_digest_goes_by_email_to_a_user_with_an_address(counselor1, client_of_counselor1):
    _unsigned_note(counselor1, client_of_counselor1, started_ago=26 * HOUR)

    staff_digests_queue()

    digest = _digest_of(counselor1)
    assert (digest.channel, digest.address) == (Reminder.Channel.EMAIL, counselor1.email)


def test_a_digest_goes_in_the_app_to_a_user_without_an_address(client_of_counselor1):
    counselor = UserFactory(username="no-mail", email="", roles=[roles.COUNSELOR])
    _unsigned_note(counselor, client_of_counselor1, started_ago=26 * HOUR)

    staff_digests_queue()

    digest = _digest_of(counselor)
    assert (digest.channel, digest.address) == (Reminder.Channel.IN_APP, "")


def test_dispatching_an_in_app_digest_creates_a_staff_notification(
    no_quiet_hours, client_of_counselor1
):
    counselor = UserFactory(username="no-mail", email="", roles=[roles.COUNSELOR])
    _unsigned_note(counselor, client_of_counselor1, started_ago=26 * HOUR)
    staff_digests_queue()

    reminders_dispatch_due()
    reminders_dispatch_due()

    notification = StaffNotification.objects.get(recipient=counselor)
    assert notification.kind == "digest"
    assert "1 session note unsigned" in notification.message
    digest = _digest_of(counselor)
    assert digest.status == Reminder.Status.SENT
    assert digest.provider_message_id == f"in-app-{notification.pk}"


def test_dispatching_an_email_digest_sends_it_to_the_user(
    no_quiet_hours, counselor1, client_of_counselor1
):
    _unsigned_note(counselor1, client_of_counselor1, started_ago=26 * HOUR)
    staff_digests_queue()

    reminders_dispatch_due()

    assert [message.to for message in mail.outbox] == [[counselor1.email]]
    assert "1 session note unsigned" in mail.outbox[0].body
    assert _digest_of(counselor1).status == Reminder.Status.SENT


def test_an_in_app_digest_is_not_held_back_by_quiet_hours(client_of_counselor1):
    counselor = UserFactory(username="no-mail", email="", roles=[roles.COUNSELOR])
    _unsigned_note(counselor, client_of_counselor1, started_ago=26 * HOUR)
    staff_digests_queue()
    digest = _digest_of(counselor)
    at_night = timezone.localtime().replace(hour=23, minute=0) + datetime.timedelta(days=1)

    reminders_dispatch_due(now=max(at_night, digest.send_at))

    assert _digest_of(counselor).status == Reminder.Status.SENT
