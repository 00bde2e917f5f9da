"""Replies to our text messages. STOP and its usual synonyms revoke the
client's SMS consent at once (and cancel their pending texts); the request
must carry a valid Twilio signature."""

import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Client
from iop.reminders.models import Reminder

# Twilio's standard opt-out keywords, plus the Spanish ones clients use.
STOP_WORDS = {
    "stop",
    "stopall",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "revoke",
    "optout",
    "parar",
    "alto",
    "baja",
}


def digits(phone: str) -> str:
    """The last ten digits: enough to match +1 (555) 555-0100 and 5555550100."""
    return re.sub(r"\D", "", phone)[-10:]


def is_stop(body: str) -> bool:
    words = re.findall(r"[a-záéíóú]+", body.strip().lower())
    return bool(words) and words[0] in STOP_WORDS


def signature_valid(*, url: str, params: dict, signature: str) -> bool:
    from twilio.request_validator import RequestValidator

    if not settings.TWILIO_AUTH_TOKEN or not signature:
        return False
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(url, params, signature)


def sms_opt_out(*, from_number: str, request=None) -> int:
    """Revoke SMS consent for every client with this number; returns how many."""
    wanted = digits(from_number)
    if len(wanted) < 7:
        return 0
    candidates = Client.objects.filter(sms_consent=True).exclude(phone="")
    matched = [client for client in candidates if digits(client.phone) == wanted]
    now = timezone.now()
    with transaction.atomic():
        for client in matched:
            Client.objects.filter(pk=client.pk).update(
                sms_consent=False, sms_consent_at=None, sms_consent_wording=""
            )
            Reminder.objects.filter(
                client=client, channel=Reminder.Channel.SMS, status=Reminder.Status.PENDING
            ).update(status=Reminder.Status.SKIPPED, skip_reason="opted_out", skipped_at=now)
            audit_record(
                actor=None,
                action=AuditEvent.Action.UPDATE,
                client=client,
                obj=client,
                request=request,
                details={"sms_consent": "revoked by STOP reply"},
            )
    return len(matched)
