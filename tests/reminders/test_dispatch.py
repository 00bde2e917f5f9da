"""Sending what is due, exactly once (DOMAIN.md section 8): through the
file backend, Twilio's API served on 127.0.0.1 and a real SMTP server;
expiry, consent, quiet hours at send time, retries, reconciliation of rows
left in "sending"; the health figure, the management command and the admin."""

import contextlib
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from twilio.base.exceptions import TwilioException

from iop.clients.models import Appointment, Client
from iop.clients.services import client_update
from iop.reminders import texts
from iop.reminders.channels import FileSmsBackend
from iop.reminders.models import Reminder
from iop.reminders.services import oldest_due_pending_age, reminders_dispatch_due
from iop.reminders.services.dispatch import (
    STALE_SENDING,
    reminder_send,
    reminders_claim,
    reminders_reconcile,
)
from iop.reminders.services.outbox import reminders_schedule
from tests.factories import EpisodeFactory
from tests.reminders.support import (
    FROM_NUMBER,
    PHONE,
    FakeTwilio,
    free_port,
    local,
    reminder_row,
    sms_lines,
)

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def now(no_quiet_hours):
    """The real time: the Twilio stand-in filters its list by the real clock."""
    return timezone.now()


def _row(row: Reminder) -> Reminder:
    row.refresh_from_db()
    return row


def _make_stale(row: Reminder) -> None:
    Reminder.objects.filter(pk=row.pk).update(sending_at=row.sending_at - STALE_SENDING - MINUTE)


# --- the file backend -------------------------------------------------------------------


def test_due_reminders_are_sent_once_and_their_provider_id_recorded(
    sms_file, consenting_client, now
):
    rows = [reminder_row(now=now, client=consenting_client) for _ in range(3)]

    first = reminders_dispatch_due(now=now)
    second = reminders_dispatch_due(now=now)

    assert first == {"expired": 0, "reconciled": 0, "sent": 3}
    assert second == {"expired": 0, "reconciled": 0}
    lines = sms_lines(sms_file)
    assert sorted(line["reference"] for line in lines) == sorted(str(r.public_id) for r in rows)
    for row in map(_row, rows):
        assert row.status == Reminder.Status.SENT
        assert row.provider_message_id == f"file-{row.public_id}"
        assert row.attempts == 1
        assert row.sent_at is not None
        assert row.body.startswith("Reminder: you have an appointment")
    assert {line["to"] for line in lines} == {PHONE}


def test_reminders_not_yet_due_stay_pending(sms_file, consenting_client, now):
    row = reminder_row(now=now, client=consenting_client, send_at=now + MINUTE)

    reminders_dispatch_due(now=now)

    assert _row(row).status == Reminder.Status.PENDING
    assert sms_lines(sms_file) == []


def test_a_reminder_whose_appointment_has_started_is_expired_not_sent(
    sms_file, consenting_client, now
):
    row = reminder_row(
        now=now, client=consenting_client, send_at=now - HOUR, starts_at=now - MINUTE
    )

    counts = reminders_dispatch_due(now=now)

    assert counts["expired"] == 1
    row = _row(row)
    assert row.status == Reminder.Status.EXPIRED
    assert row.expired_at == now
    assert sms_lines(sms_file) == []


def test_a_claimed_reminder_whose_appointment_started_meanwhile_is_expired(
    sms_file, consenting_client, now
):
    row = reminder_row(now=now, client=consenting_client, starts_at=now + MINUTE)
    reminders_claim(now=now)

    status = reminder_send(row.pk, now=now + 2 * MINUTE)

    assert status == Reminder.Status.EXPIRED
    assert _row(row).status == Reminder.Status.EXPIRED
    assert sms_lines(sms_file) == []


def test_a_reminder_is_skipped_when_consent_was_withdrawn_after_scheduling(
    sms_file, consenting_client, now
):
    row = reminder_row(now=now, client=consenting_client)
    Client.objects.filter(pk=consenting_client.pk).update(sms_consent=False)

    reminders_dispatch_due(now=now)

    row = _row(row)
    assert (row.status, row.skip_reason) == (Reminder.Status.SKIPPED, "consent_withdrawn")
    assert sms_lines(sms_file) == []


def test_an_email_is_skipped_when_email_consent_was_withdrawn(settings, consenting_client, now):
    row = reminder_row(
        now=now, client=consenting_client, channel="email", address=consenting_client.email
    )
    Client.objects.filter(pk=consenting_client.pk).update(email_consent=False)

    reminders_dispatch_due(now=now)

    assert _row(row).skip_reason == "consent_withdrawn"
    assert mail.outbox == []


def test_a_reminder_goes_to_the_number_the_client_has_now(
    sms_file, counselor1, consenting_client, now
):
    starts_at = now + 3 * HOUR
    reminders_schedule(
        appointment_key="appointment:moved-number", starts_at=starts_at, client=consenting_client
    )
    client_update(actor=counselor1, client=consenting_client, data={"phone": "+15555550142"})

    reminders_dispatch_due(now=starts_at - HOUR)

    assert [line["to"] for line in sms_lines(sms_file)] == ["+15555550142"]


def test_quiet_hours_at_send_time_defer_a_reminder_to_eight(sms_file, consenting_client):
    # Due at 8:50 p.m., but the sweep only gets to it at 10 p.m.
    late_evening = local(2030, 1, 14, 22)
    row = reminder_row(
        now=late_evening,
        client=consenting_client,
        send_at=local(2030, 1, 14, 20, 50),
        starts_at=local(2030, 1, 15, 10),
    )

    counts = reminders_dispatch_due(now=late_evening)

    assert counts.get(Reminder.Status.PENDING) == 1
    row = _row(row)
    assert row.status == Reminder.Status.PENDING
    assert row.send_at == local(2030, 1, 15, 8)
    assert row.attempts == 0
    assert sms_lines(sms_file) == []


def test_quiet_hours_at_send_time_skip_a_reminder_that_would_come_too_late(
    sms_file, consenting_client
):
    late_evening = local(2030, 1, 14, 22)
    row = reminder_row(
        now=late_evening,
        client=consenting_client,
        send_at=local(2030, 1, 14, 20, 50),
        starts_at=local(2030, 1, 15, 7, 30),
    )

    reminders_dispatch_due(now=late_evening)

    row = _row(row)
    assert (row.status, row.skip_reason) == (Reminder.Status.SKIPPED, "quiet_hours")
    assert sms_lines(sms_file) == []


def test_a_deferred_reminder_goes_out_at_eight(sms_file, consenting_client):
    row = reminder_row(
        now=local(2030, 1, 14, 22),
        client=consenting_client,
        send_at=local(2030, 1, 14, 20, 50),
        starts_at=local(2030, 1, 15, 10),
    )
    reminders_dispatch_due(now=local(2030, 1, 14, 22))

    reminders_dispatch_due(now=local(2030, 1, 15, 7, 59))
    assert sms_lines(sms_file) == []
    reminders_dispatch_due(now=local(2030, 1, 15, 8))

    assert len(sms_lines(sms_file)) == 1
    assert _row(row).status == Reminder.Status.SENT


# --- Twilio, served on 127.0.0.1 -----------------------------------------------------------


def test_twilio_gets_the_message_and_its_sid_is_recorded(twilio, consenting_client, now):
    row = reminder_row(now=now, client=consenting_client)

    reminders_dispatch_due(now=now)

    assert len(twilio.messages) == 1
    message = twilio.messages[0]
    assert (message["to"], message["from"]) == (PHONE, FROM_NUMBER)
    row = _row(row)
    assert message["body"] == row.body
    assert row.body.startswith("Reminder: you have an appointment")
    assert (row.status, row.provider_message_id) == (Reminder.Status.SENT, message["sid"])


def test_a_provider_error_puts_the_reminder_back_with_backoff(twilio, consenting_client, now):
    row = reminder_row(now=now, client=consenting_client)
    twilio.fail_next(500)

    counts = reminders_dispatch_due(now=now)

    assert counts.get(Reminder.Status.PENDING) == 1
    row = _row(row)
    assert row.status == Reminder.Status.PENDING
    assert row.attempts == 1
    assert row.send_at == now + MINUTE
    assert row.last_error.startswith("Twilio 500")
    assert twilio.messages == []


def test_transient_errors_back_off_then_fail_after_the_last_attempt(
    settings, twilio, consenting_client, now
):
    settings.REMINDER_MAX_ATTEMPTS = 5
    row = reminder_row(now=now, client=consenting_client, starts_at=now + 3 * HOUR)
    twilio.fail_next(*[500] * 5)
    waits, clock = [], now

    for _ in range(5):
        reminders_dispatch_due(now=clock)
        row = _row(row)
        if row.status == Reminder.Status.PENDING:
            waits.append(row.send_at - clock)
            clock = row.send_at

    assert waits == [MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE]
    assert (row.status, row.attempts) == (Reminder.Status.FAILED, 5)
    assert row.last_error.startswith("Twilio 500")
    assert row.failed_at == clock
    assert len(twilio.posts) == 5
    reminders_dispatch_due(now=clock + HOUR)
    assert len(twilio.posts) == 5


def test_a_transient_error_then_success_sends_once(twilio, consenting_client, now):
    row = reminder_row(now=now, client=consenting_client)
    twilio.fail_next(500)

    reminders_dispatch_due(now=now)
    reminders_dispatch_due(now=now + MINUTE)

    row = _row(row)
    assert (row.status, row.attempts, row.last_error) == (Reminder.Status.SENT, 2, "")
    assert len(twilio.messages) == 1


def test_a_permanent_provider_error_fails_the_reminder_at_once(twilio, consenting_client, now):
    row = reminder_row(now=now, client=consenting_client)
    twilio.fail_next(400)

    reminders_dispatch_due(now=now)
    reminders_dispatch_due(now=now + HOUR)

    row = _row(row)
    assert row.status == Reminder.Status.FAILED
    assert row.last_error.startswith("Twilio 400")
    assert len(twilio.posts) == 1


def test_a_provider_timeout_leaves_the_reminder_sending_with_the_error(
    twilio, consenting_client, now
):
    row = reminder_row(now=now, client=consenting_client)
    twilio.fail_next(FakeTwilio.HANG)

    counts = reminders_dispatch_due(now=now)

    assert counts.get(Reminder.Status.SENDING) == 1
    row = _row(row)
    assert row.status == Reminder.Status.SENDING
    assert row.last_error.startswith("timeout:")
    # Not stale yet: the next sweep neither resends nor settles it.
    reminders_dispatch_due(now=now + MINUTE)
    assert _row(row).status == Reminder.Status.SENDING
    assert len(twilio.posts) == 1


def test_reconcile_marks_a_timed_out_message_sent_when_the_provider_has_it(
    twilio, consenting_client, now
):
    row = reminder_row(now=now, client=consenting_client)
    twilio.fail_next(FakeTwilio.ACCEPT_THEN_HANG)
    reminders_dispatch_due(now=now)
    _make_stale(_row(row))

    settled = reminders_reconcile()

    assert settled == 1
    row = _row(row)
    assert (row.status, row.provider_message_id) == (
        Reminder.Status.SENT,
        twilio.messages[0]["sid"],
    )
    assert twilio.lists[0]["To"] == PHONE
    reminders_dispatch_due()
    assert len(twilio.posts) == 1


def test_reconcile_resends_exactly_once_a_message_the_provider_never_got(
    twilio, consenting_client, now
):
    row = reminder_row(now=now, client=consenting_client)
    twilio.fail_next(FakeTwilio.HANG)
    reminders_dispatch_due(now=now)
    _make_stale(_row(row))

    reminders_reconcile()
    assert _row(row).status == Reminder.Status.PENDING
    reminders_dispatch_due()
    reminders_dispatch_due()

    row = _row(row)
    assert len(twilio.messages) == 1
    assert (row.status, row.provider_message_id) == (
        Reminder.Status.SENT,
        twilio.messages[0]["sid"],
    )
    assert len(twilio.posts) == 2


def test_reconcile_does_not_take_another_reminders_message_as_proof(twilio, consenting_client, now):
    lost = reminder_row(now=now, client=consenting_client, send_at=now - 2 * MINUTE)
    other = reminder_row(
        now=now, client=consenting_client, send_at=now - MINUTE, starts_at=now + 5 * HOUR
    )
    twilio.fail_next(FakeTwilio.HANG, FakeTwilio.OK)
    reminders_dispatch_due(now=now)
    assert _row(other).status == Reminder.Status.SENT
    _make_stale(_row(lost))

    reminders_reconcile()
    reminders_dispatch_due()

    lost = _row(lost)
    assert lost.provider_message_id != _row(other).provider_message_id
    assert len(twilio.messages) == 2


def test_a_provider_lookup_failure_does_not_stop_the_sweep(twilio, consenting_client, now):
    stuck = reminder_row(now=now, client=consenting_client, send_at=now - 2 * MINUTE)
    twilio.fail_next(FakeTwilio.HANG)
    reminders_dispatch_due(now=now)
    _make_stale(_row(stuck))
    due = reminder_row(now=now, client=consenting_client, starts_at=now + 5 * HOUR)
    twilio.list_status = 500

    reminders_dispatch_due()

    assert _row(stuck).status == Reminder.Status.SENDING  # asked again next sweep
    assert _row(due).status == Reminder.Status.SENT


def test_an_unexpected_provider_error_does_not_lose_the_rest_of_its_batch(
    twilio, mailbox, consenting_client, now
):
    text = reminder_row(now=now, client=consenting_client, send_at=now - 2 * MINUTE)
    email = reminder_row(
        now=now, client=consenting_client, channel="email", address=consenting_client.email
    )
    twilio.fail_next(FakeTwilio.PROBLEM)

    # Whatever becomes of this sweep, the email of the same batch must arrive.
    with contextlib.suppress(TwilioException):
        reminders_dispatch_due(now=now)
    reminders_dispatch_due(now=now + STALE_SENDING + MINUTE)

    assert len(mailbox.received) == 1
    assert _row(email).status == Reminder.Status.SENT
    assert _row(text).status == Reminder.Status.FAILED


def test_reconcile_leaves_recent_sending_rows_alone(sms_file, consenting_client, now):
    row = reminder_row(now=now, client=consenting_client)
    reminders_claim(now=now)

    assert reminders_reconcile(now=now + STALE_SENDING - MINUTE) == 0

    assert _row(row).status == Reminder.Status.SENDING


def test_reconcile_with_the_file_backend_finds_what_was_written(sms_file, consenting_client, now):
    row = reminder_row(now=now, client=consenting_client)
    reminders_claim(now=now)
    # The worker wrote the line, then died before recording it.
    FileSmsBackend().send(to=PHONE, body="x", reference=str(row.public_id))

    reminders_dispatch_due(now=now + STALE_SENDING + MINUTE)

    row = _row(row)
    assert (row.status, row.provider_message_id) == (Reminder.Status.SENT, f"file-{row.public_id}")
    assert len(sms_lines(sms_file)) == 1


# --- email through a real SMTP server -------------------------------------------------------


def test_an_email_reminder_reaches_the_smtp_server_once_with_its_message_id(
    mailbox, consenting_client, now
):
    row = reminder_row(
        now=now, client=consenting_client, channel="email", address=consenting_client.email
    )

    reminders_dispatch_due(now=now)
    reminders_dispatch_due(now=now)

    assert len(mailbox.received) == 1
    received = mailbox.received[0]
    assert received["to"] == [consenting_client.email]
    assert received["message"]["To"] == consenting_client.email
    assert str(row.public_id) in received["message"]["Message-ID"]
    assert received["message"]["Subject"] == "Appointment reminder"
    assert "you have an appointment" in received["message"].get_content()
    row = _row(row)
    assert row.status == Reminder.Status.SENT
    assert str(row.public_id) in row.provider_message_id


def test_an_email_reminder_discloses_nothing_even_in_its_headers(mailbox, consenting_client, now):
    reminder_row(now=now, client=consenting_client, channel="email", address="dana@example.test")

    reminders_dispatch_due(now=now)

    raw = mailbox.received[0]["raw"].lower()
    assert [word for word in texts.FORBIDDEN_WORDS if word in raw] == []


def test_an_email_address_the_server_refuses_fails_the_reminder(mailbox, consenting_client, now):
    mailbox.refuse.add("gone@example.test")
    # Reminders go to the client's address as it is at send time.
    consenting_client.email = "gone@example.test"
    consenting_client.save(update_fields=["email"])
    row = reminder_row(
        now=now, client=consenting_client, channel="email", address="gone@example.test"
    )

    reminders_dispatch_due(now=now)

    row = _row(row)
    assert row.status == Reminder.Status.FAILED
    assert "gone@example.test" in row.last_error
    assert mailbox.received == []


def test_an_email_with_the_smtp_server_down_is_retried_later(settings, consenting_client, now):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    row = reminder_row(
        now=now, client=consenting_client, channel="email", address=consenting_client.email
    )

    reminders_dispatch_due(now=now)

    row = _row(row)
    assert (row.status, row.attempts, row.send_at) == (Reminder.Status.PENDING, 1, now + MINUTE)
    assert row.last_error


def test_an_interrupted_email_fails_as_delivery_unknown_and_is_never_resent(
    mailbox, consenting_client, now
):
    row = reminder_row(
        now=now, client=consenting_client, channel="email", address=consenting_client.email
    )
    reminders_claim(now=now)  # the worker claimed it, then died

    reminders_dispatch_due(now=now + STALE_SENDING + MINUTE)
    reminders_dispatch_due(now=now + HOUR)

    row = _row(row)
    assert row.status == Reminder.Status.FAILED
    assert "delivery unknown" in row.last_error
    assert mailbox.received == []


# --- health, command, admin -----------------------------------------------------------------


def test_oldest_due_pending_age_is_the_wait_of_the_oldest_due_row(consenting_client, now):
    reminder_row(now=now, client=consenting_client, send_at=now - 5 * MINUTE)
    reminder_row(now=now, client=consenting_client, send_at=now - 2 * MINUTE)
    reminder_row(now=now, client=consenting_client, send_at=now + 5 * MINUTE)
    reminder_row(now=now, client=consenting_client, send_at=now - HOUR, status=Reminder.Status.SENT)

    assert oldest_due_pending_age(now=now) == 300


def test_oldest_due_pending_age_is_none_when_nothing_waits(consenting_client, now):
    reminder_row(now=now, client=consenting_client, send_at=now + MINUTE)

    assert oldest_due_pending_age(now=now) is None


def test_send_due_reminders_command_plans_and_sends(
    sms_file, no_quiet_hours, counselor1, consenting_client
):
    episode = EpisodeFactory(client=consenting_client, primary_counselor=counselor1)
    # Starts in just under two hours: its 2-hour reminder is due now.
    Appointment.objects.create(
        client=consenting_client,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() + 2 * HOUR - MINUTE,
        counselor=counselor1,
    )
    out = io.StringIO()

    call_command("send_due_reminders", stdout=out)

    assert "Planned 4 reminder rows" in out.getvalue()
    assert "sent 2" in out.getvalue()  # the SMS and the email of the 2-hour reminder
    assert len(sms_lines(sms_file)) == 1
    assert Reminder.objects.filter(skip_reason="scheduled_too_late").count() == 2


def test_send_due_reminders_command_without_planning_only_sends(sms_file, consenting_client, now):
    reminder_row(now=now, client=consenting_client)
    out = io.StringIO()

    call_command("send_due_reminders", "--no-plan", stdout=out)

    assert "Planned" not in out.getvalue()
    assert "sent 1" in out.getvalue()


def test_admin_outbox_shows_counts_per_status_to_an_administrator(
    login, administrator, consenting_client, now
):
    for status, count in [("pending", 2), ("sent", 3), ("failed", 1)]:
        for _ in range(count):
            reminder_row(now=now, client=consenting_client, status=status)

    response = login(administrator).get("/admin/reminders/reminder/")

    assert response.status_code == 200
    assert response.context["status_counts"] == [("failed", 1), ("pending", 2), ("sent", 3)]
    html = response.content.decode()
    assert "<strong>pending</strong>: 2" in html
    assert "<strong>sent</strong>: 3" in html
    assert "<strong>failed</strong>: 1" in html
    assert response.context["oldest_due_age"] >= 60


def test_admin_outbox_is_not_shown_to_a_counselor(login, counselor1):
    response = login(counselor1).get("/admin/reminders/reminder/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
