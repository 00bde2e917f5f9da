"""Family Education reminders, a disclosure path like the others: planned
only for family members whose consent allows it and who agreed to be
contacted, decided again at the moment of sending (a consent expired by date
since planning stops the message), and written to the ledger when a message
has left, at that moment, once per session, family member and client."""

import datetime

import pytest
from django.utils import timezone

from family.models import Disclosure
from family.reminders import REFUSED
from family.services import consent_revoke, family_member_update
from iop.reminders.models import Reminder
from iop.reminders.services import reminders_dispatch_due
from iop.reminders.services.planning import reminders_plan_upcoming
from tests.factories import EpisodeFactory
from tests.family.factories import consent_for, family_member, family_session, link_member
from tests.reminders.support import sms_lines

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)
# The planner runs at 09:00 for a session at 14:00: the 2-hour reminder is
# due at noon, outside the quiet hours (the 24-hour one is already too late),
# and the dispatcher sends it at 12:01.
PLANNED_AT = timezone.make_aware(datetime.datetime.combine(TOMORROW, datetime.time(9)))
SENT_AT = timezone.make_aware(datetime.datetime.combine(TOMORROW, datetime.time(12, 1)))


def _plan():
    return reminders_plan_upcoming(now=PLANNED_AT)


def _send():
    return reminders_dispatch_due(now=SENT_AT)


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.REMINDER_SMS_BACKEND = "iop.reminders.channels.FileSmsBackend"
    settings.REMINDER_SMS_FILE = str(tmp_path / "sms.jsonl")
    return tmp_path / "sms.jsonl"


@pytest.fixture
def member(client_of_counselor1, counselor1):
    return family_member(client_of_counselor1, actor=counselor1, first_name="Rosa")


@pytest.fixture
def upcoming(counselor1, client_of_counselor1):
    starts_at = timezone.make_aware(datetime.datetime.combine(TOMORROW, datetime.time(14)))
    return family_session(counselor1, [client_of_counselor1], starts_at=starts_at)


def _family_reminders():
    return Reminder.objects.filter(family_member_id__isnull=False)


def _due():
    """The 2-hour reminder (the 24-hour one was planned too late, skipped)."""
    return _family_reminders().get(kind="before_2h")


def test_no_reminder_goes_to_a_family_member_without_consent(upcoming, member):
    _plan()

    assert not _family_reminders().exists()
    assert not Disclosure.objects.exists()


def test_no_reminder_goes_to_a_family_member_who_did_not_agree_to_contact(
    counselor1, client_of_counselor1, upcoming
):
    quiet = family_member(client_of_counselor1, actor=counselor1, sms_consent=False)
    consent_for(client_of_counselor1, quiet, actor=counselor1)

    _plan()

    assert not _family_reminders().exists()
    assert not Disclosure.objects.exists()


def test_a_planned_reminder_discloses_nothing_yet(
    counselor1, client_of_counselor1, upcoming, member
):
    consent_for(client_of_counselor1, member, actor=counselor1)

    _plan()
    _plan()

    reminders = _family_reminders()
    assert {r.appointment_key for r in reminders} == {f"group-session:{upcoming.public_id}"}
    assert {(r.channel, r.address, r.recipient_key) for r in reminders} == {
        ("sms", member.phone, f"family:{member.pk}")
    }
    assert all(r.client is None for r in reminders)
    assert reminders.filter(status="pending").count() == 1
    assert not Disclosure.objects.exists()


def test_a_sent_reminder_writes_one_ledger_row_at_the_moment_it_was_sent(
    sms_file, counselor1, client_of_counselor1, upcoming, member
):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)
    _plan()

    _send()
    _send()

    assert _due().status == "sent"
    assert [line["to"] for line in sms_lines(sms_file)] == [member.phone]
    ledger = Disclosure.objects.get()
    assert (ledger.path, ledger.user, ledger.consent) == ("reminder", None, consent)
    assert (ledger.client, ledger.family_member) == (client_of_counselor1, member)
    assert ledger.disclosed_at == SENT_AT and ledger.categories == ["attendance"]


def test_two_messages_of_one_session_are_one_disclosure(
    sms_file, counselor1, client_of_counselor1, upcoming
):
    both = family_member(
        client_of_counselor1, actor=counselor1, email_consent=True, email="rosa@example.org"
    )
    consent_for(client_of_counselor1, both, actor=counselor1)
    _plan()

    counts = _send()

    assert counts["sent"] == 2
    assert Disclosure.objects.filter(family_member=both).count() == 1


def test_a_reminder_is_not_sent_once_its_consent_has_expired_by_date(
    sms_file, counselor1, client_of_counselor1, upcoming, member
):
    # In effect through today: the reminder was planned under it, and is due tomorrow.
    consent_for(client_of_counselor1, member, actor=counselor1, expires_on=timezone.localdate())
    _plan()
    assert _family_reminders().filter(status="pending").count() == 1

    counts = _send()

    row = _due()
    assert counts.get("sent", 0) == 0
    assert (row.status, row.skip_reason, row.skipped_at) == ("skipped", REFUSED, SENT_AT)
    assert sms_lines(sms_file) == []
    assert not Disclosure.objects.exists()


def test_a_reminder_for_a_client_no_longer_on_the_roster_is_not_sent(
    sms_file, counselor1, client_of_counselor1, upcoming, member
):
    consent_for(client_of_counselor1, member, actor=counselor1)
    _plan()
    client_of_counselor1.episodes.get().enrollments.update(status="ended")

    _send()

    assert _due().skip_reason == REFUSED
    assert sms_lines(sms_file) == [] and not Disclosure.objects.exists()


def test_a_parent_of_two_siblings_is_reminded_for_the_one_whose_consent_still_holds(
    sms_file, counselor1, client_of_counselor1, member
):
    sibling = EpisodeFactory(primary_counselor=counselor1).client
    link_member(sibling, member, actor=counselor1)
    starts_at = timezone.make_aware(datetime.datetime.combine(TOMORROW, datetime.time(14)))
    family_session(counselor1, [client_of_counselor1, sibling], starts_at=starts_at)
    consent_for(client_of_counselor1, member, actor=counselor1, expires_on=timezone.localdate())
    consent_for(sibling, member, actor=counselor1)
    _plan()

    _send()

    assert _due().status == "sent"
    ledger = Disclosure.objects.get()
    assert ledger.client == sibling and ledger.family_member == member


def test_revoking_cancels_the_queued_family_reminders_and_none_are_planned_again(
    counselor1, client_of_counselor1, upcoming, member
):
    consent = consent_for(client_of_counselor1, member, actor=counselor1)
    _plan()
    pending_before = _family_reminders().filter(status="pending").count()
    assert pending_before == 1

    consent_revoke(actor=counselor1, consent=consent, note="Phone call")
    _plan()

    assert not _family_reminders().filter(status="pending").exists()
    assert _family_reminders().filter(status="cancelled").count() == pending_before
    assert not Disclosure.objects.exists()


# --- the family member's contact changes ----------------------------------------------------


def _member_data(member, **changes) -> dict:
    data = {
        name: getattr(member, name)
        for name in (
            "first_name",
            "last_name",
            "phone",
            "email",
            "preferred_language",
            "sms_consent",
            "email_consent",
        )
    }
    data.update(changes)
    return data


def test_withdrawing_text_messages_cancels_the_members_queued_texts_with_the_reason(
    counselor1, client_of_counselor1, upcoming, member
):
    consent_for(client_of_counselor1, member, actor=counselor1)
    _plan()
    link = member.links.get(client=client_of_counselor1)

    family_member_update(
        actor=counselor1,
        link=link,
        data=_member_data(member, sms_consent=False),
        relationship=link.relationship,
    )

    assert {(row.status, row.skip_reason) for row in _family_reminders()} >= {
        (Reminder.Status.CANCELLED, "contact_withdrawn")
    }
    assert not _family_reminders().filter(status="pending").exists()


def test_a_new_phone_number_readdresses_the_members_queued_texts(
    counselor1, client_of_counselor1, upcoming, member
):
    consent_for(client_of_counselor1, member, actor=counselor1)
    _plan()
    link = member.links.get(client=client_of_counselor1)

    family_member_update(
        actor=counselor1,
        link=link,
        data=_member_data(member, phone="+15555550177"),
        relationship=link.relationship,
    )

    pending = _family_reminders().filter(status="pending")
    assert pending.exists()
    assert set(pending.values_list("address", flat=True)) == {"+15555550177"}
