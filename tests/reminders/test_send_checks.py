"""Send-time checks: an extension point (iop.extensions.SEND_CHECKS) that
feature apps register in their extensions.py (the family app checks the
disclosure decision there).
The dispatcher asks every check about each claimed row before calling the
provider: a refusal ends the row skipped with the check's reason and no
provider call; a check's hook runs once, in the transaction that marks the
row sent, and never for a row that was not sent. Client reminders that no
check concerns cost no query more than before."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iop.extensions import SEND_CHECKS, SendVerdict
from iop.reminders.channels import FileSmsBackend
from iop.reminders.models import Reminder
from iop.reminders.services import reminders_dispatch_due
from iop.reminders.services.dispatch import (
    BATCH_SIZE,
    STALE_SENDING,
    reminder_send,
    reminders_claim,
    reminders_reconcile,
)
from tests.reminders.support import due_rows, reminder_row, sms_lines

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
# Measured on the dispatcher before send-time checks existed, then pinned:
# the row with its client 1, the address and body recorded before the
# provider is called 1, the row marked sent 1 (for a batch as for one row).
CLIENT_REMINDER_SEND_QUERIES = 3


@pytest.fixture
def now(no_quiet_hours):
    return timezone.now()


def _row(row: Reminder) -> Reminder:
    row.refresh_from_db()
    return row


def test_sending_a_client_reminder_costs_no_query_more_with_the_checks_registered(
    sms_file, consenting_client, now, django_assert_num_queries
):
    assert "family-disclosure" in SEND_CHECKS  # the family app's check is registered
    row = reminder_row(now=now, client=consenting_client)
    reminders_claim(now=now)

    with django_assert_num_queries(CLIENT_REMINDER_SEND_QUERIES):
        assert reminder_send(row.pk, now=now) == Reminder.Status.SENT


def test_a_sweep_costs_the_same_queries_per_batch_at_any_size(sms_file, consenting_client, now):
    def sweep(count: int) -> int:
        due_rows(count, now=now, client=consenting_client)
        with CaptureQueriesContext(connection) as context:
            counts = reminders_dispatch_due(now=now)
        assert counts["sent"] == count
        return len(context.captured_queries)

    few, many = sweep(2), sweep(BATCH_SIZE)
    two_batches = sweep(BATCH_SIZE + 1)

    # Claim, load, record and mark: the same statements for 2 rows or 100,
    # and one more claim, load, record and mark for the second batch.
    assert many == few
    assert two_batches - many == CLIENT_REMINDER_SEND_QUERIES + 1


# --- a check of this test's own -----------------------------------------------------------


class Check:
    """A send-time check that refuses rows of one appointment key and records
    what its hook saw for the others."""

    def __init__(self, refuse_key: str = ""):
        self.refuse_key = refuse_key
        self.asked: list[tuple[int, datetime.datetime]] = []
        self.sent: list[tuple[int, str]] = []

    def __call__(self, reminder, now):
        self.asked.append((reminder.pk, now))
        if reminder.appointment_key == self.refuse_key:
            return SendVerdict(refusal="not_allowed_now")
        return SendVerdict(on_sent=lambda: self._sent(reminder.pk))

    def _sent(self, reminder_id):
        # Inside the transaction that marks the row sent.
        status = Reminder.objects.values_list("status", flat=True).get(pk=reminder_id)
        self.sent.append((reminder_id, status))


@pytest.fixture
def check():
    """Registered alone: the family app's check says nothing of these rows."""
    registered = Check()
    with SEND_CHECKS.isolated(keep=()):
        SEND_CHECKS.register("test", registered, order=0)
        yield registered


def test_a_refusal_skips_the_row_with_its_reason_and_calls_no_provider(
    sms_file, consenting_client, now, check
):
    refused = reminder_row(now=now, client=consenting_client)
    allowed = reminder_row(now=now, client=consenting_client)
    check.refuse_key = refused.appointment_key

    counts = reminders_dispatch_due(now=now)

    refused, allowed = _row(refused), _row(allowed)
    assert counts == {"expired": 0, "reconciled": 0, "skipped": 1, "sent": 1}
    assert (refused.status, refused.skip_reason, refused.skipped_at) == (
        Reminder.Status.SKIPPED,
        "not_allowed_now",
        now,
    )
    assert [line["reference"] for line in sms_lines(sms_file)] == [str(allowed.public_id)]
    assert check.sent == [(allowed.pk, Reminder.Status.SENT)]


def test_the_check_is_asked_at_the_moment_of_sending(sms_file, consenting_client, now, check):
    row = reminder_row(now=now, client=consenting_client)
    later = now + MINUTE

    reminders_dispatch_due(now=later)

    assert check.asked == [(row.pk, later)]


def test_the_hook_runs_once_even_when_the_sweep_runs_again(sms_file, consenting_client, now, check):
    row = reminder_row(now=now, client=consenting_client)

    reminders_dispatch_due(now=now)
    reminders_dispatch_due(now=now + MINUTE)

    assert check.sent == [(row.pk, Reminder.Status.SENT)]


def test_no_hook_runs_for_a_message_the_provider_refused(twilio, consenting_client, now, check):
    row = reminder_row(now=now, client=consenting_client)
    twilio.fail_next(400)

    reminders_dispatch_due(now=now)

    assert _row(row).status == Reminder.Status.FAILED
    assert check.asked and check.sent == []


def test_no_hook_runs_for_a_message_deferred_past_the_quiet_hours(
    sms_file, consenting_client, check, settings
):
    settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = 21, 8
    late = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(22, 30))
    )
    row = reminder_row(
        now=late, client=consenting_client, starts_at=late + datetime.timedelta(hours=14)
    )

    reminders_dispatch_due(now=late)

    assert _row(row).status == Reminder.Status.PENDING
    assert check.sent == [] and sms_lines(sms_file) == []


def test_a_failing_hook_leaves_the_message_sent_and_is_logged(
    sms_file, consenting_client, now, caplog
):
    def broken(reminder, now):
        return SendVerdict(on_sent=lambda: 1 / 0)

    row = reminder_row(now=now, client=consenting_client)
    with SEND_CHECKS.isolated(keep=()):
        SEND_CHECKS.register("broken", broken, order=0)

        reminders_dispatch_due(now=now)
        reminders_dispatch_due(now=now + MINUTE)

    assert _row(row).status == Reminder.Status.SENT
    assert len(sms_lines(sms_file)) == 1  # never sent again
    assert "a hook after sending failed" in caplog.text


def test_reconcile_runs_the_hook_of_a_message_that_left_before_its_worker_died(
    sms_file, consenting_client, now, check
):
    row = reminder_row(now=now, client=consenting_client)
    reminders_claim(now=now)
    # The worker wrote the line, then died before marking the row sent.
    FileSmsBackend().send(to=row.address, body="x", reference=str(row.public_id))
    sending_at = _row(row).sending_at

    reminders_reconcile(now=now + STALE_SENDING + MINUTE)

    assert _row(row).status == Reminder.Status.SENT
    assert check.asked == [(row.pk, sending_at)]
    assert check.sent == [(row.pk, Reminder.Status.SENT)]


def test_the_check_is_never_asked_about_a_moment_before_the_real_clock(
    sms_file, consenting_client, check
):
    # A sweep that began a while ago still decides about now, not about then.
    started = timezone.now() - MINUTE
    row = reminder_row(now=started, client=consenting_client)
    before = timezone.now()

    reminders_dispatch_due(now=started)

    ((asked_id, asked_at),) = check.asked
    assert asked_id == row.pk and asked_at >= before
