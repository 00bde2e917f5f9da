"""The wording of a self-report link's text and email, in the languages the
reminders speak. Reminders' rules hold (iop/reminders/texts.py, 42 CFR
Part 2): the message says only that the clinic has a short form, under the
clinic's neutral sender name (REMINDER_SENDER_NAME, nothing when unset),
with the link: no instrument, no clinical word. A text fits 160 characters
with a SITE_URL of up to 40 (tests/outcomes/test_messages.py)."""

from django.conf import settings

from iop.reminders.texts import SMS_MAX_LENGTH, gsm_safe

TEMPLATES = {
    "en": {
        "sms": "{sender}You have a short form to fill in: {url} Reply STOP to opt out.",
        "email_subject": "{sender}A short form for you",
        "email_body": (
            "Hello,\n\n{clinic} has a short form for you to fill in. It takes a few minutes:\n\n"
            "{url}\n\nThe link works once, for {days} days. You will be asked your date of "
            "birth before the form opens.\n"
        ),
        "clinic": "Your clinic",
    },
    "es": {
        "sms": "{sender}Tiene un formulario breve: {url} Responda STOP para cancelar.",
        "email_subject": "{sender}Un breve formulario para usted",
        "email_body": (
            "Hola:\n\n{clinic} tiene un breve formulario para que lo llene. Toma unos minutos:\n\n"
            "{url}\n\nEl enlace funciona una sola vez, durante {days} días. Se le pedirá su "
            "fecha de nacimiento antes de abrir el formulario.\n"
        ),
        "clinic": "Su clínica",
    },
}


def link_message(*, channel: str, language: str, url: str) -> tuple[str, str]:
    """(subject, body) of a link's message; the subject is "" for a text."""
    words = TEMPLATES.get(language, TEMPLATES["en"])
    name = settings.REMINDER_SENDER_NAME.strip()
    values = {
        "sender": f"{name}: " if name else "",
        "clinic": name or words["clinic"],
        "url": url,
        "days": max(1, settings.SELFREPORT_LINK_HOURS // 24),
    }
    if channel == "sms":
        body = gsm_safe(words["sms"].format(**values))
        if len(body) > SMS_MAX_LENGTH:
            # The link cannot be shortened: a long sender name gives way.
            body = gsm_safe(words["sms"].format(**{**values, "sender": ""}))
        return "", body
    return words["email_subject"].format(**values), words["email_body"].format(**values)
