"""The words of the self-report pages, in English and Spanish.

The staff interface is English only (no message catalogue); the pages a
client opens from a link speak the client's language, so their few words
are kept here, beside each other, as the reminders keep theirs
(iop/reminders/texts.py). Before the date of birth is confirmed the pages
say nothing of the clinic's kind of care: the title is the neutral "a short
form", and the sender name only where one is configured."""

PAGE_LANGUAGES = (("en", "English"), ("es", "Español"))

TEXTS = {
    "en": {
        "title": "A short form",
        "verify_heading": "Please confirm it is you",
        "verify_intro": "Enter your date of birth to open the form.",
        "dob_label": "Date of birth",
        "dob_help": "Year, month and day, for example 1984-03-09.",
        "dob_required": "Enter your date of birth.",
        "dob_invalid": "Enter a real date, for example 1984-03-09.",
        "wrong": "That date does not match. Tries left: %(left)s.",
        "continue": "Continue",
        "language": "Language",
        "unavailable_heading": "This link is not available",
        "unavailable_body": (
            "It may have been used already, or it is out of date. If you need a new one, "
            "please contact your clinic."
        ),
        "too_many_heading": "Please wait a moment",
        "too_many_body": "There were too many tries. Please wait a few minutes and try again.",
        "no_translation": "This form is not available in Spanish, so it is shown in English.",
        "has_translation": "This form is also available in Spanish.",
        "one_at_a_time": "One question at a time",
        "all_at_once": "All questions on one page",
        "layout": "Show",
        "progress": "Progress",
        "progress_text": "%(answered)s of %(total)s answered",
        "question_of": "Question %(number)s of %(total)s",
        "next": "Next",
        "back": "Back",
        "submit": "Send my answers",
        "errors_heading": "Please check your answers",
        "item_required": "Choose an answer.",
        "item_invalid": "Choose one of the answers shown.",
        "optional": "(optional)",
        "nothing_stored": "Nothing is saved until you send your answers.",
        "thanks_heading": "Thank you",
        "thanks_body": "Your answers were sent. You can close this page.",
        "crisis_heading": "If you need support now",
        "crisis_988": "Call or text 988, the 988 Suicide & Crisis Lifeline, any time.",
        "crisis_clinic": "Call your clinic: %(phone)s",
        "crisis_911": "In an emergency, call 911.",
        "crisis_follow_up": "Your clinic has been told and will be in touch.",
    },
    "es": {
        "title": "Un breve formulario",
        "verify_heading": "Confirme que es usted",
        "verify_intro": "Escriba su fecha de nacimiento para abrir el formulario.",
        "dob_label": "Fecha de nacimiento",
        "dob_help": "Año, mes y día, por ejemplo 1984-03-09.",
        "dob_required": "Escriba su fecha de nacimiento.",
        "dob_invalid": "Escriba una fecha válida, por ejemplo 1984-03-09.",
        "wrong": "Esa fecha no coincide. Intentos restantes: %(left)s.",
        "continue": "Continuar",
        "language": "Idioma",
        "unavailable_heading": "Este enlace no está disponible",
        "unavailable_body": (
            "Puede que ya se haya usado o que haya vencido. Si necesita uno nuevo, "
            "comuníquese con su clínica."
        ),
        "too_many_heading": "Espere un momento, por favor",
        "too_many_body": "Hubo demasiados intentos. Espere unos minutos y vuelva a intentarlo.",
        "no_translation": (
            "Este formulario no está disponible en español, por eso se muestra en inglés."
        ),
        "has_translation": "Este formulario también está disponible en español.",
        "one_at_a_time": "Una pregunta a la vez",
        "all_at_once": "Todas las preguntas en una página",
        "layout": "Mostrar",
        "progress": "Avance",
        "progress_text": "%(answered)s de %(total)s respondidas",
        "question_of": "Pregunta %(number)s de %(total)s",
        "next": "Siguiente",
        "back": "Atrás",
        "submit": "Enviar mis respuestas",
        "errors_heading": "Revise sus respuestas",
        "item_required": "Elija una respuesta.",
        "item_invalid": "Elija una de las respuestas que se muestran.",
        "optional": "(opcional)",
        "nothing_stored": "No se guarda nada hasta que envíe sus respuestas.",
        "thanks_heading": "Gracias",
        "thanks_body": "Sus respuestas se enviaron. Puede cerrar esta página.",
        "crisis_heading": "Si necesita apoyo ahora",
        "crisis_988": (
            "Llame o envíe un mensaje de texto al 988, la Línea 988 de Prevención del "
            "Suicidio y Crisis, a cualquier hora."
        ),
        "crisis_clinic": "Llame a su clínica: %(phone)s",
        "crisis_911": "En una emergencia, llame al 911.",
        "crisis_follow_up": "Su clínica ya lo sabe y se comunicará con usted.",
    },
}


def texts_for(language: str) -> dict:
    return TEXTS.get(language, TEXTS["en"])
