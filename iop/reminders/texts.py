"""Reminder wording. 42 CFR Part 2: a reminder must not reveal that its
recipient is in substance use treatment, so the text names only a time and a
place: no program name unless an administrator set a neutral sender name
(REMINDER_SENDER_NAME), no group topic, no counselor, no diagnosis.
Every template in every language is checked in tests against FORBIDDEN_WORDS
and the SMS length limit."""

from datetime import datetime

from django.conf import settings
from django.utils import formats, timezone, translation

SMS_MAX_LENGTH = 160

# Words that would disclose treatment, in the languages we send.
FORBIDDEN_WORDS = (
    "substance",
    "recovery",
    "relapse",
    "addiction",
    "alcohol",
    "drug",
    "iop",
    "treatment",
    "therapy",
    "counsel",
    "sobriety",
    "sober",
    "rehab",
    "matrix",
    "sustancia",
    "recuperación",
    "recaída",
    "adicción",
    "alcohol",
    "droga",
    "tratamiento",
    "terapia",
    "consejer",
)

TEMPLATES = {
    "en": {
        "sms": "{sender}Reminder: you have an appointment {when}{where}. Reply STOP to opt out.",
        "email_subject": "{sender}Appointment reminder",
        "email_body": (
            "Hello,\n\nThis is a reminder that you have an appointment {when}{where}.\n\n"
            "If you need to change it, please call us.\n"
        ),
        "where": " at {location}",
        "video": " by video",
        "digest_subject": "Your OpenIOP to-do list",
    },
    "es": {
        "sms": (
            "{sender}Recordatorio: tiene una cita {when}{where}. Responda STOP para no recibir más."
        ),
        "email_subject": "{sender}Recordatorio de cita",
        "email_body": (
            "Hola:\n\nLe recordamos que tiene una cita {when}{where}.\n\n"
            "Si necesita cambiarla, llámenos por favor.\n"
        ),
        "where": " en {location}",
        "video": " por video",
        "digest_subject": "Su lista de pendientes",
    },
}
LANGUAGES = tuple(TEMPLATES)
VIDEO = "video"

# Kinds whose body is written when the row is queued (staff messages).
WRITTEN_WHEN_QUEUED = ("digest", "staff_alert")

# The discreet text to staff when something needs them at once (a safety
# flag, where SAFETY_ALERT_SMS is on): no client, no reason, only a nudge to
# sign in, since a text message can be read by anyone near the phone.
STAFF_ALERT_SMS = "An alert needs your attention. Please sign in to the clinic app."


def _when(starts_at: datetime, language: str) -> str:
    local = timezone.localtime(starts_at)
    with translation.override(language):
        day = formats.date_format(local, r"l j \d\e F" if language == "es" else "l, F j")
        clock = formats.time_format(local, "H:i" if language == "es" else "g:i A")
    return f"el {day} a las {clock}" if language == "es" else f"on {day} at {clock}"


def _sender() -> str:
    name = settings.REMINDER_SENDER_NAME.strip()
    return f"{name}: " if name else ""


def render(*, channel: str, language: str, starts_at: datetime, location: str) -> dict:
    """The subject (email) and body of a client reminder."""
    words = TEMPLATES.get(language, TEMPLATES["en"])
    language = language if language in TEMPLATES else "en"
    if location == VIDEO:
        where = words["video"]
    elif location:
        where = words["where"].format(location=location)
    else:
        where = ""
    values = {"sender": _sender(), "when": _when(starts_at, language), "where": where}
    if channel == "sms":
        body = gsm_safe(words["sms"].format(**values))
        if len(body) > SMS_MAX_LENGTH:
            # A long room name is the only variable part that can overflow.
            values["where"] = ""
            body = gsm_safe(words["sms"].format(**values))
        return {"subject": "", "body": body}
    return {
        "subject": words["email_subject"].format(**values),
        "body": words["email_body"].format(**values),
    }


# Letters outside the GSM 03.38 alphabet turn a text into UCS-2 (70 characters
# a segment, billed twice); Spanish accents that GSM lacks lose their accent.
GSM_REPLACEMENTS = str.maketrans("áíóúÁÍÓÚâêîôûÂÊÎÔÛ", "aiouAIOUaeiouAEIOU")


def gsm_safe(text: str) -> str:
    return text.translate(GSM_REPLACEMENTS)
