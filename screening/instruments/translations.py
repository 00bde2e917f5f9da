"""The languages each instrument can be shown in to a client answering it
themselves, and the Spanish wording where a translation is published.

PHQ-9 and GAD-7 have Spanish translations published by their developers
(Pfizer's PHQ Screeners, "Spanish for the USA"; no permission required to
translate). Our Spanish below translates our own English paraphrase, in the
same plain register, and keeps the published response scale's meaning.
The BAM, AUDIT, DAST-10 and the staff-rated instruments (CIWA-Ar, COWS,
C-SSRS screener) are offered in English only here.

Only wording changes with the language: items, options, points, scoring
and flags are the same objects, so an answer in Spanish scores exactly as
one in English.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from .base import Instrument, Item, Option
from .registry import get_instrument

_HOW_OFTEN_ES = ("Nunca", "Varios días", "Más de la mitad de los días", "Casi todos los días")
_TWO_WEEKS_ES = (
    "Durante las últimas 2 semanas, ¿con qué frecuencia le han molestado los siguientes problemas?"
)

_SPANISH: dict[str, dict] = {
    "PHQ-9": {
        "prompt": _TWO_WEEKS_ES,
        "items": {
            "1": "Poco interés o placer en hacer las cosas",
            "2": "Sentirse desanimado/a, deprimido/a o sin esperanza",
            "3": "Problemas para dormirse o mantenerse dormido/a, o dormir demasiado",
            "4": "Sentirse cansado/a o con poca energía",
            "5": "Poco apetito o comer en exceso",
            "6": (
                "Sentirse mal consigo mismo/a, o sentir que ha fallado a sí mismo/a o a su familia"
            ),
            "7": "Dificultad para concentrarse, por ejemplo al leer o ver la televisión",
            "8": (
                "Moverse o hablar tan despacio que otras personas lo notaron, o estar tan "
                "inquieto/a que se ha movido mucho más de lo normal"
            ),
            "9": "Pensamientos de que estaría mejor muerto/a, o de hacerse daño de alguna manera",
            "difficulty": (
                "¿Qué tan difícil le han hecho estos problemas hacer su trabajo, encargarse "
                "de las tareas del hogar o llevarse bien con otras personas?"
            ),
        },
        "options": {
            "difficulty": (
                "Nada difícil",
                "Algo difícil",
                "Muy difícil",
                "Extremadamente difícil",
            ),
        },
    },
    "GAD-7": {
        "prompt": _TWO_WEEKS_ES,
        "items": {
            "1": "Sentirse nervioso/a, ansioso/a o con los nervios de punta",
            "2": "No poder dejar de preocuparse o no poder controlar la preocupación",
            "3": "Preocuparse demasiado por diferentes cosas",
            "4": "Dificultad para relajarse",
            "5": "Estar tan inquieto/a que es difícil permanecer sentado/a",
            "6": "Molestarse o irritarse fácilmente",
            "7": "Sentir miedo, como si algo terrible fuera a pasar",
        },
        "options": {},
    },
}

# Code -> the languages a client may answer it in (English first).
LANGUAGES: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {"PHQ-9": ("en", "es"), "GAD-7": ("en", "es"), "BAM": ("en",)}
)


def languages_of(code: str) -> tuple[str, ...]:
    return LANGUAGES.get(code, ("en",))


def localized(code: str, language: str) -> Instrument:
    """The instrument worded in `language`; English when it has no published
    translation in that language (the caller says so to the client)."""
    instrument = get_instrument(code)
    spanish = _SPANISH.get(instrument.code) if language == "es" else None
    if spanish is None:
        return instrument
    items = tuple(_item_in(item, spanish) for item in instrument.items)
    return replace(instrument, prompt=spanish["prompt"], items=items)


def _item_in(item: Item, wording: dict) -> Item:
    labels = wording["options"].get(item.key)
    if labels is None and item.takes_points:
        labels = _HOW_OFTEN_ES
    options = tuple(
        Option(option.value, label, option.points)
        for option, label in zip(item.options, labels, strict=True)
    )
    return replace(item, text=wording["items"][item.key], options=options)
