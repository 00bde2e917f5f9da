"""Fixtures of the reminder tests: the SMS file, a Twilio API and an SMTP
server on 127.0.0.1, quiet hours switched off where a test reads the clock,
and a client who consented to both channels."""

import pytest
from aiosmtpd.controller import Controller

from tests.factories import ClientFactory
from tests.reminders.support import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    FROM_NUMBER,
    PHONE,
    FakeTwilio,
    Mailbox,
    free_port,
)


def pytest_configure(config):
    # test_exactly_once.py: slower (real processes, a private Redis), still in `make test`.
    config.addinivalue_line("markers", "slow: slower tests that are part of the suite all the same")


@pytest.fixture
def sms_file(settings, tmp_path):
    """Texts go to a JSON-lines file of this test's own."""
    settings.REMINDER_SMS_BACKEND = "iop.reminders.channels.FileSmsBackend"
    settings.REMINDER_SMS_FILE = str(tmp_path / "sms.jsonl")
    return tmp_path / "sms.jsonl"


@pytest.fixture
def no_quiet_hours(settings):
    """For tests that send at the real time of day (which may be 3 a.m.)."""
    settings.QUIET_HOURS_START = 0
    settings.QUIET_HOURS_END = 0


@pytest.fixture
def twilio(settings):
    """A Twilio Messages API on a random local port, and the backend pointed at it."""
    fake = FakeTwilio().start()
    settings.REMINDER_SMS_BACKEND = "iop.reminders.channels.TwilioSmsBackend"
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_FROM_NUMBER = FROM_NUMBER
    settings.TWILIO_API_BASE = fake.base_url
    settings.REMINDER_PROVIDER_TIMEOUT = 0.5
    fake.hang_seconds = 1.5
    yield fake
    fake.stop()


@pytest.fixture
def mailbox(settings):
    """An SMTP server on a random local port receiving the reminder emails."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "reminders@clinic.test"
    yield box
    controller.stop()


@pytest.fixture
def consenting_client(db):
    """A client who agreed to texts and email, in English."""
    return ClientFactory(
        phone=PHONE,
        email="dana@example.test",
        sms_consent=True,
        email_consent=True,
        preferred_language="en",
    )
