"""Reminder wording (DOMAIN.md section 8, 42 CFR Part 2): a time and a place
only. No word that discloses treatment, no counselor, no group topic, no
program name unless a neutral sender name is configured; SMS within 160
characters; the client's language."""

import datetime

import pytest
from django.conf import settings
from django.core import mail

from groups.models import Program, Topic, Track
from iop.clients.models import Appointment, Client
from iop.clients.services.records import appointment_schedule
from iop.reminders import texts
from iop.reminders.models import Reminder
from iop.reminders.services import reminders_dispatch_due, reminders_schedule
from iop.reminders.services.planning import reminders_plan_upcoming
from tests.factories import ClientFactory, EpisodeFactory
from tests.groups.factories import (
    EnrollmentFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
    ensure_curriculum,
)
from tests.reminders.support import PHONE, days_ahead_at, local, sms_lines

pytestmark = pytest.mark.django_db

LONG_ROOM = "Building C, Second Floor, West Wing, Conference Room 214 (side door on Elm St)"
LOCATIONS = ["", texts.VIDEO, "Room 2", LONG_ROOM]
SENDER = "Riverside Health Center"
CHANNELS = ["sms", "email"]
# Every day of a year at 12:30 (the longest clock), so every weekday and month name shows.
STARTS = [local(2030, 1, 1, 12, 30) + datetime.timedelta(days=n) for n in range(365)]


def _render_all(**only):
    for language in texts.LANGUAGES:
        for channel in CHANNELS:
            for location in LOCATIONS:
                for starts_at in only.get("starts", STARTS[:14]):
                    rendered = texts.render(
                        channel=channel, language=language, starts_at=starts_at, location=location
                    )
                    yield language, channel, location, rendered


def _undisclosed_names():
    """What must never reach a client: the curriculum's topics and tracks, the
    program names, and the program name of the settings."""
    ensure_curriculum()
    return [
        *Topic.objects.values_list("title", flat=True),
        *Track.objects.values_list("name", flat=True),
        *Program.objects.values_list("name", flat=True),
        settings.PROGRAM_NAME,
    ]


def _disclosures(text: str, names=()) -> list[str]:
    lowered = text.lower()
    return [word for word in (*texts.FORBIDDEN_WORDS, *names) if word.lower() in lowered]


# --- the templates ------------------------------------------------------------------------


@pytest.mark.parametrize("language", texts.LANGUAGES)
def test_every_template_of_the_language_is_filled(language):
    keys = {"sms", "email_subject", "email_body", "where", "video"}

    assert keys <= set(texts.TEMPLATES[language])


def test_no_template_names_a_forbidden_word():
    for language, words in texts.TEMPLATES.items():
        for key, template in words.items():
            if key == "digest_subject":
                continue  # staff digests go to staff, not to clients
            assert _disclosures(template) == [], (language, key)


def test_no_rendered_reminder_discloses_treatment_a_topic_or_the_program():
    names = _undisclosed_names()

    for language, channel, location, rendered in _render_all():
        text = f"{rendered['subject']}\n{rendered['body']}"
        assert _disclosures(text, names) == [], (language, channel, location)


def test_no_rendered_reminder_names_the_counselor(counselor1):
    counselor1.first_name, counselor1.last_name = "Imogen", "Fairweather"
    counselor1.save(update_fields=["first_name", "last_name"])

    for _language, _channel, _location, rendered in _render_all():
        text = f"{rendered['subject']} {rendered['body']}"
        assert "Imogen" not in text
        assert "Fairweather" not in text


def test_the_program_name_is_not_shown_without_a_sender_name(settings):
    settings.PROGRAM_NAME = "Harborview Outpatient Services"
    settings.REMINDER_SENDER_NAME = ""

    for _language, _channel, _location, rendered in _render_all():
        assert "Harborview" not in rendered["subject"] + rendered["body"]


def test_the_sender_name_appears_when_configured(settings):
    settings.REMINDER_SENDER_NAME = SENDER

    for language, channel, _location, rendered in _render_all(starts=STARTS[:1]):
        shown = rendered["body"] if channel == "sms" else rendered["subject"]
        assert shown.startswith(f"{SENDER}: "), (language, channel)


@pytest.mark.parametrize("sender", ["", SENDER])
def test_every_sms_fits_in_160_characters_even_with_a_long_room_name(settings, sender):
    settings.REMINDER_SENDER_NAME = sender

    lengths = [
        len(rendered["body"])
        for _language, channel, _location, rendered in _render_all(starts=STARTS)
        if channel == "sms"
    ]

    assert max(lengths) <= texts.SMS_MAX_LENGTH


def test_a_long_room_name_is_left_out_of_the_sms_but_the_time_stays(settings):
    settings.REMINDER_SENDER_NAME = SENDER
    starts_at = local(2030, 9, 25, 12, 30)  # a Wednesday in September: long names

    body = texts.render(channel="sms", language="en", starts_at=starts_at, location=LONG_ROOM)[
        "body"
    ]

    assert LONG_ROOM not in body
    assert "Wednesday, September 25 at 12:30 PM" in body


def test_a_short_room_name_is_in_the_sms():
    body = texts.render(
        channel="sms", language="en", starts_at=local(2030, 1, 7, 18), location="Room 2"
    )["body"]

    assert body == (
        "Reminder: you have an appointment on Monday, January 7 at 6:00 PM at Room 2. "
        "Reply STOP to opt out."
    )


def test_a_video_appointment_says_by_video_not_a_room():
    body = texts.render(
        channel="sms", language="en", starts_at=local(2030, 1, 7, 18), location=texts.VIDEO
    )["body"]

    assert "by video" in body
    assert " at video" not in body


def test_the_time_is_local_time_of_the_program():
    # 23:00 UTC is 6 p.m. in New York in January.
    starts_at = datetime.datetime(2030, 1, 7, 23, 0, tzinfo=datetime.UTC)

    body = texts.render(channel="sms", language="en", starts_at=starts_at, location="")["body"]

    assert "Monday, January 7 at 6:00 PM" in body


def test_spanish_text_is_spanish():
    rendered = texts.render(
        channel="email", language="es", starts_at=local(2030, 1, 7, 18), location="Sala 2"
    )

    assert rendered["subject"] == "Recordatorio de cita"
    assert "tiene una cita el lunes 7" in rendered["body"]
    assert "a las 18:00 en Sala 2" in rendered["body"]


def test_an_unknown_language_falls_back_to_english():
    body = texts.render(channel="sms", language="fr", starts_at=local(2030, 1, 7, 18), location="")[
        "body"
    ]

    assert body.startswith("Reminder: you have an appointment on Monday")


# --- what clients actually receive ----------------------------------------------------------


@pytest.fixture
def spanish_client(db):
    return ClientFactory(
        phone=PHONE,
        email="rosa@example.test",
        sms_consent=True,
        email_consent=True,
        preferred_language=Client.Language.SPANISH,
    )


def test_a_client_who_prefers_spanish_gets_spanish_reminders(sms_file, spanish_client):
    starts_at = days_ahead_at(3, 14)
    reminders_schedule(appointment_key="appointment:es", starts_at=starts_at, client=spanish_client)

    reminders_dispatch_due(now=starts_at - datetime.timedelta(hours=1))

    bodies = [line["body"] for line in sms_lines(sms_file)]
    assert len(bodies) == 2
    assert all(body.startswith("Recordatorio: tiene una cita el ") for body in bodies)
    assert all("Responda STOP" in body for body in bodies)
    assert [message.subject for message in mail.outbox] == ["Recordatorio de cita"] * 2
    assert all("Le recordamos que tiene una cita" in message.body for message in mail.outbox)


def test_sent_reminders_of_an_appointment_and_a_group_disclose_nothing(
    sms_file, counselor1, client_of_counselor1
):
    ensure_curriculum()
    counselor1.first_name, counselor1.last_name = "Imogen", "Fairweather"
    counselor1.save(update_fields=["first_name", "last_name"])
    Client.objects.filter(pk=client_of_counselor1.pk).update(
        sms_consent=True, email_consent=True, email="kim@example.test"
    )
    client = Client.objects.get(pk=client_of_counselor1.pk)
    starts_at = days_ahead_at(3, 14)
    appointment_schedule(
        actor=counselor1,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=starts_at,
        counselor=counselor1,
    )
    group = RecurringGroupFactory(name="Relapse Prevention Tuesday", facilitator=counselor1)
    EnrollmentFactory(
        group=group,
        episode=EpisodeFactory(
            client=ClientFactory(
                phone="+15555550199", email="lou@example.test", sms_consent=True, email_consent=True
            )
        ),
    )
    session = GroupSessionFactory(
        group=group, starts_at=starts_at, topic=Topic.objects.get(track__code="rp", number=1)
    )
    reminders_plan_upcoming(now=starts_at - datetime.timedelta(hours=25))

    counts = reminders_dispatch_due(now=starts_at - datetime.timedelta(hours=1))

    assert counts.get(Reminder.Status.SENT) == 8
    names = [*_undisclosed_names(), "Imogen", "Fairweather", group.name, session.topic.title]
    texts_sent = [line["body"] for line in sms_lines(sms_file)] + [
        f"{message.subject}\n{message.body}" for message in mail.outbox
    ]
    assert len(texts_sent) == 8
    for text in texts_sent:
        assert _disclosures(text, names) == [], text
