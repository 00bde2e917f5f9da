"""Sending the day's links through the reminders outbox, and the message
that leaves: its token drawn at send time, stored only as a hash."""

import datetime
import hashlib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.reminders import texts
from iop.reminders.models import Reminder
from iop.reminders.services.dispatch import (
    STALE_SENDING,
    reminders_dispatch_due,
    reminders_reconcile,
)
from outcomes.messages import link_message
from outcomes.models import DueMeasure, SelfReportLink
from outcomes.services.links import measure_links_send_due
from screening.services.administrations import administration_record
from tests.factories import EpisodeFactory
from tests.outcomes.support import TOKEN_IN_URL, due_by_link, phq9_answers, rows_holding
from tests.reminders.support import FakeTwilio, sms_lines

pytestmark = pytest.mark.django_db


def _consenting_episodes(count: int):
    episodes = []
    for number in range(count):
        episode = EpisodeFactory()
        client = episode.client
        client.sms_consent = True
        client.email = f"client{number}@example.test"
        client.email_consent = True
        client.save()
        episodes.append(episode)
    return episodes


def test_a_due_measure_gets_one_link_and_one_outbox_row_per_consented_channel(due):
    assert measure_links_send_due() == 2

    links = SelfReportLink.objects.filter(due=due)
    assert sorted(links.values_list("channel", flat=True)) == ["email", "sms"]
    assert set(links.values_list("language", flat=True)) == {"es"}
    assert links.filter(token_hash__isnull=True, issued_at__isnull=True).count() == 2
    rows = Reminder.objects.filter(kind="measure_link")
    assert rows.count() == 2
    assert {row.appointment_key for row in rows} == {
        f"measure-link:{link.public_id}" for link in links
    }
    assert {row.appointment_starts_at for row in rows} == {None}
    assert {row.body for row in rows} == {""}
    assert AuditEvent.objects.filter(client=due.client, details__self_report_link="queued").exists()


def test_sending_again_the_same_day_queues_nothing_new(due):
    measure_links_send_due()

    assert measure_links_send_due() == 0
    assert Reminder.objects.filter(kind="measure_link").count() == 2


def test_only_open_measures_given_by_link_and_due_by_today_get_a_link(episode):
    due_by_link(episode, instrument="GAD-7")
    later = due_by_link(episode, instrument="BAM")
    DueMeasure.objects.filter(pk=later.pk).update(
        due_on=timezone.localdate() + datetime.timedelta(days=2)
    )
    staff = due_by_link(episode, instrument="PHQ-9")
    DueMeasure.objects.filter(pk=staff.pk).update(method="staff")

    measure_links_send_due()

    assert set(SelfReportLink.objects.values_list("due__instrument", flat=True)) == {"GAD-7"}


def test_a_client_without_consent_gets_no_link(due):
    client = due.client
    client.sms_consent = client.email_consent = False
    client.save()

    assert measure_links_send_due() == 0


def test_a_measure_answered_in_person_gets_no_link(due, counselor1):
    administration_record(actor=counselor1, client=due.client, code="PHQ-9", answers=phq9_answers())

    assert measure_links_send_due() == 0


@pytest.mark.parametrize("measures", [3, 30])
def test_sending_the_days_links_makes_the_same_queries_for_3_and_30_measures(
    measures, django_assert_num_queries
):
    for episode in _consenting_episodes(measures):
        due_by_link(episode)

    # The measures with their clients; then, in one transaction, the links,
    # the outbox rows and the audit rows (savepoint and release around them).
    with django_assert_num_queries(6):
        assert measure_links_send_due() == 2 * measures


def test_the_text_leaves_with_a_working_link_and_the_outbox_keeps_it_redacted(
    due, sms_file, no_quiet_hours, settings
):
    settings.SITE_URL = "https://forms.clinic.test"
    measure_links_send_due()

    counts = reminders_dispatch_due()

    assert counts.get("sent") == 2
    [text] = sms_lines(sms_file)
    token = TOKEN_IN_URL.search(text["body"]).group(1)
    assert text["body"].startswith("Tiene un formulario breve: https://forms.clinic.test/r/")
    assert text["to"] == due.client.phone
    link = SelfReportLink.objects.get(due=due, channel="sms")
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert link.expires_at - link.issued_at == datetime.timedelta(hours=72)
    stored = Reminder.objects.get(appointment_key=f"measure-link:{link.public_id}").body
    assert token not in stored
    assert "/r/[redacted]/" in stored
    assert rows_holding(token) == []
    [email] = mail.outbox
    email_token = TOKEN_IN_URL.search(email.body).group(1)
    assert email_token != token
    assert rows_holding(email_token) == []


def test_the_link_opens_the_date_of_birth_page(due, sms_file, no_quiet_hours, client):
    measure_links_send_due()
    reminders_dispatch_due()
    token = TOKEN_IN_URL.search(sms_lines(sms_file)[0]["body"]).group(1)

    response = client.get(reverse("selfreport:open", args=[token]))

    assert response.status_code == 200
    assert b"date" in response.content.lower() or b"fecha" in response.content.lower()


def test_a_link_whose_measure_was_answered_meanwhile_is_not_sent(
    due, sms_file, no_quiet_hours, counselor1
):
    measure_links_send_due()
    DueMeasure.objects.filter(pk=due.pk).update(status=DueMeasure.Status.COMPLETED)

    reminders_dispatch_due()

    assert sms_lines(sms_file) == []
    assert set(Reminder.objects.values_list("skip_reason", flat=True)) == {"measure_closed"}


def test_quiet_hours_hold_a_link_back_until_morning(due, sms_file, settings):
    settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = 0, 23
    measure_links_send_due()
    now = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(3)))

    reminders_dispatch_due(now=now)

    assert sms_lines(sms_file) == []
    assert SelfReportLink.objects.filter(token_hash__isnull=False).count() == 0


def test_a_timed_out_text_the_provider_has_is_recognised_and_not_sent_twice(
    due, twilio, no_quiet_hours
):
    client = due.client
    client.email_consent = False
    client.save()
    measure_links_send_due()
    twilio.fail_next(FakeTwilio.ACCEPT_THEN_HANG)
    reminders_dispatch_due()
    row = Reminder.objects.get(kind="measure_link")
    assert row.status == Reminder.Status.SENDING
    Reminder.objects.filter(pk=row.pk).update(
        sending_at=row.sending_at - STALE_SENDING - datetime.timedelta(minutes=1)
    )

    assert reminders_reconcile() == 1

    row.refresh_from_db()
    assert (row.status, row.provider_message_id) == (
        Reminder.Status.SENT,
        twilio.messages[0]["sid"],
    )
    reminders_dispatch_due()
    assert len(twilio.posts) == 1


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("sender", ["", "Northside Health"])
def test_the_message_names_no_treatment_and_a_text_fits_160_characters(settings, language, sender):
    settings.REMINDER_SENDER_NAME = sender
    settings.SITE_URL = "https://forms.northside-health.example"
    url = f"{settings.SITE_URL}/r/{'x' * 43}/"

    _, sms = link_message(channel="sms", language=language, url=url)
    subject, body = link_message(channel="email", language=language, url=url)

    assert len(sms) <= texts.SMS_MAX_LENGTH
    for text in (sms, subject, body):
        assert [
            word for word in texts.FORBIDDEN_WORDS if word in text.lower().replace(url, "")
        ] == []
        assert "PHQ" not in text
    assert "STOP" in sms


def test_a_stop_reply_before_the_text_leaves_stops_it(due, sms_file, no_quiet_hours):
    from iop.reminders.inbound import sms_opt_out

    measure_links_send_due()

    sms_opt_out(from_number=due.client.phone)
    reminders_dispatch_due()

    assert sms_lines(sms_file) == []
    row = Reminder.objects.get(kind="measure_link", channel="sms")
    assert (row.status, row.skip_reason) == (Reminder.Status.SKIPPED, "opted_out")


def test_consent_withdrawn_before_sending_stops_the_message(due, sms_file, no_quiet_hours):
    measure_links_send_due()
    client = due.client
    client.sms_consent = client.email_consent = False
    client.save()

    reminders_dispatch_due()

    assert sms_lines(sms_file) == []
    assert set(Reminder.objects.values_list("skip_reason", flat=True)) == {"consent_withdrawn"}
    assert not SelfReportLink.objects.filter(token_hash__isnull=False).exists()
