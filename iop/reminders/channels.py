"""Delivery channels as pluggable backends, chosen by settings.

SMS: FileSmsBackend (development: JSON lines under var/outbox/) or
TwilioSmsBackend (the twilio package; credentials from the environment).
Email: Django's email framework (SMTP in production, console in development).

A backend sends one message and returns the provider's message id. Errors
are TransientError (retry with backoff) or PermanentError (give up). After a
timeout nobody knows whether the message left: find_sent(reference) lets the
dispatcher reconcile instead of blindly sending again.
"""

import json
import re
import smtplib
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string


class TransientError(Exception):
    """Worth another try later (timeouts, 5xx, rate limits)."""


class PermanentError(Exception):
    """Will not succeed on retry (invalid number, rejected address)."""


class DeliveryUnknown(TransientError):
    """The request may or may not have reached the provider (a timeout)."""


class FileSmsBackend:
    """Development SMS: appends each message to var/outbox/sms.jsonl."""

    can_look_up = True

    def __init__(self, path: str | None = None):
        self.path = Path(path or settings.REMINDER_SMS_FILE)

    def send(self, *, to: str, body: str, reference: str) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"to": to, "body": body, "reference": reference, "at": timezone.now().isoformat()}
        )
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
        return f"file-{reference}"

    def find_sent(
        self, *, to: str, reference: str, since: datetime, body: "str | re.Pattern" = "", exclude=()
    ) -> str | None:
        if not self.path.exists():
            return None
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                if f'"reference": "{reference}"' in line:
                    return f"file-{reference}"
        return None


class TwilioSmsBackend:
    """Twilio's Messages API. TWILIO_API_BASE points the client elsewhere
    (tests run a local server that speaks the same HTTP API)."""

    can_look_up = True

    def __init__(self):
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=settings.REMINDER_PROVIDER_TIMEOUT),
        )
        if settings.TWILIO_API_BASE:
            self.client.api.base_url = settings.TWILIO_API_BASE

    def _errors(self, error):
        from requests.exceptions import ConnectionError as RequestsConnectionError
        from requests.exceptions import Timeout
        from twilio.base.exceptions import TwilioException, TwilioRestException

        if isinstance(error, Timeout):
            return DeliveryUnknown(str(error)[:200])
        if isinstance(error, RequestsConnectionError):
            return TransientError(str(error)[:200])
        if isinstance(error, TwilioRestException):
            if error.status == 429 or error.status >= 500:
                return TransientError(f"Twilio {error.status}: {error.msg}"[:200])
            return PermanentError(f"Twilio {error.status}: {error.msg}"[:200])
        if isinstance(error, TwilioException):
            # Other client errors (a page that could not be fetched, RFC 9457
            # problem responses): worth another try, never a crash.
            status = getattr(error, "status", None)
            if isinstance(status, int) and 400 <= status < 500 and status != 429:
                return PermanentError(f"Twilio {status}: {error}"[:200])
            return TransientError(f"Twilio: {error}"[:200])
        return None

    def send(self, *, to: str, body: str, reference: str) -> str:
        try:
            message = self.client.messages.create(
                to=to, from_=settings.TWILIO_FROM_NUMBER, body=body
            )
        except Exception as error:
            mapped = self._errors(error)
            if mapped is None:
                raise
            raise mapped from error
        return message.sid

    def find_sent(
        self, *, to: str, reference: str, since: datetime, body: "str | re.Pattern" = "", exclude=()
    ) -> str | None:
        """A message to this number since the claim with exactly this body,
        whose sid no other reminder has recorded."""
        try:
            messages = self.client.messages.list(to=to, date_sent_after=since, limit=50)
        except Exception as error:
            mapped = self._errors(error)
            if mapped is None:
                raise
            raise mapped from error
        excluded = set(exclude)
        # `body` is a pattern where the stored copy had a secret redacted.
        same = body.fullmatch if isinstance(body, re.Pattern) else body.__eq__
        return next(
            (m.sid for m in messages if same(m.body) and m.sid not in excluded),
            None,
        )


class EmailBackend:
    """Email through Django's configured backend; the reminder's reference
    is the Message-ID, so a relay can de-duplicate."""

    can_look_up = False

    def send(self, *, to: str, body: str, reference: str, subject: str = "") -> str:
        message_id = f"<{reference}@{settings.REMINDER_MESSAGE_ID_DOMAIN}>"
        email = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers={"Message-ID": message_id},
        )
        try:
            email.send(fail_silently=False)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
            raise PermanentError(str(error)[:200]) from error
        except TimeoutError as error:
            raise DeliveryUnknown(str(error)[:200]) from error
        except (ConnectionError, OSError) as error:
            raise TransientError(str(error)[:200]) from error
        return message_id

    def find_sent(
        self, *, to: str, reference: str, since: datetime, body: "str | re.Pattern" = "", exclude=()
    ) -> str | None:
        return None


def sms_backend():
    return import_string(settings.REMINDER_SMS_BACKEND)()


def email_backend():
    return EmailBackend()
