"""Building blocks of an instrument definition and of a scored result.

Everything here is plain data (frozen dataclasses) and pure functions, so that
definitions can be compared, rendered by a form and copied into a data
migration without touching Django.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType

# An answer once normalised: the option's value (points for scored items,
# "yes"/"no" or another option key for the rest).
Answer = int | str
Answers = Mapping[str, Answer]

# An item's condition for being asked, evaluated on the answers validated so
# far: True (asked), False (skipped) or None (cannot tell, because an item it
# depends on is missing or invalid and has already been reported).
AskedWhen = Callable[[Answers], bool | None]

# A flag's rule: (normalised answers, total, band key) -> raised?
FlagRule = Callable[[Answers, int | None, str], bool]

# What an instrument's scoring returns before it is wrapped in a ScoreResult.
Rating = tuple[int | None, str]
Rater = Callable[["Instrument", Answers, str | None], Rating]

_INT_TEXT = re.compile(r"[+-]?[0-9]+")


class InstrumentValidationError(ValueError):
    """Answers (or placement ratings) that do not fit the definition.

    ``errors`` maps every offending item key (or dimension, or argument name)
    to a message. Messages never repeat the submitted value, so the exception
    can be logged without leaking what a client answered.
    """

    def __init__(self, errors: Mapping[str, str], *, code: str | None = None, noun: str = ""):
        self.errors = dict(errors)
        self.code = code
        self.noun = noun
        prefix = f"{code}: " if code else ""
        name = f"{noun} " if noun else ""
        details = "; ".join(f"{name}{key}: {message}" for key, message in self.errors.items())
        super().__init__(prefix + details)

    def __reduce__(self):
        # Keyword-only arguments: rebuild explicitly so the error pickles.
        return (partial(type(self), code=self.code, noun=self.noun), (self.errors,))


@dataclass(frozen=True)
class Option:
    """One choice of an item. ``points`` is None when the item is not summed."""

    value: Answer
    label: str
    points: int | None


@dataclass(frozen=True)
class Item:
    """One question. ``key`` is what forms post and what results store."""

    key: str
    text: str
    options: tuple[Option, ...]
    # Counted in the total. False for PHQ-9 "difficulty" and for C-SSRS,
    # whose result is a risk level rather than a sum.
    scored: bool = True
    # Must be answered whenever it is asked.
    required: bool = True
    asked_when: AskedWhen | None = field(default=None, compare=False)
    # Why the item may be skipped, for error messages and form help text.
    skip_rule: str = ""
    # Values tolerated (and dropped) when the item was not asked: AUDIT
    # treats a skipped item as 0, so a form posting 0 there is harmless.
    skipped_values: tuple[Answer, ...] = ()

    @property
    def values(self) -> tuple[Answer, ...]:
        return tuple(option.value for option in self.options)

    @property
    def takes_points(self) -> bool:
        """True when the answer is the option's points (an int)."""
        return all(isinstance(value, int) for value in self.values)

    def option(self, value: Answer) -> Option:
        for option in self.options:
            if option.value == value:
                return option
        raise KeyError(value)

    def points(self, value: Answer) -> int:
        """Points the answer contributes to the total (0 for unscored items)."""
        if not self.scored:
            return 0
        return self.option(value).points or 0

    def normalise(self, raw: object) -> Answer:
        """Return the option value ``raw`` stands for, or raise ValueError.

        Point items take ints or int-like strings ("3", as form posts send
        them) and integral floats; never bools. Other items take their option
        keys as strings, case-insensitively.
        """
        allowed = ", ".join(str(value) for value in self.values)
        if self.takes_points:
            value = as_int(raw)
        elif isinstance(raw, str):
            value = raw.strip().lower()
        else:
            value = None
        if value is None or value not in self.values:
            raise ValueError(f"not one of the options ({allowed})")
        return value


def as_int(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    if isinstance(raw, str):
        text = raw.strip()
        return int(text) if _INT_TEXT.fullmatch(text) else None
    return None


@dataclass(frozen=True)
class Band:
    """A named range of totals. Rule-based instruments leave min/max None."""

    key: str
    label: str
    min: int | None = None
    max: int | None = None

    def contains(self, total: int) -> bool:
        return (self.min is None or total >= self.min) and (self.max is None or total <= self.max)


@dataclass(frozen=True)
class Flag:
    """A flag an instrument can raise, and when."""

    key: str
    description: str
    rule: FlagRule = field(compare=False)


# The flags' keys in words, for every page that shows one (the keys are stored).
FLAG_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "positive": "Positive screen",
        "suicide_risk": "Suicide risk",
        "withdrawal_risk": "Withdrawal risk",
        "any_use": "Any use",
        "high_risk": "High risk",
        "low_protection": "Low protection",
    }
)


def flag_label(key: str) -> str:
    """A flag's words; an unknown key (from an older instrument) as words too."""
    return FLAG_LABELS.get(key) or key.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Composite:
    """A named sum of some items, reported beside (or instead of) a total:
    the BAM's Use, Risk and Protective scores."""

    key: str
    label: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Instrument:
    """The definition of one instrument: everything needed to show and score it."""

    code: str
    name: str
    version: str
    source: str
    licence: str
    attribution: str
    prompt: str
    items: tuple[Item, ...]
    # How the total and band are worked out, in words (shown to staff).
    scoring: str
    bands: tuple[Band, ...]
    flags: tuple[Flag, ...]
    rate: Rater = field(compare=False)
    # A short form scored from the first items of another instrument's
    # administration (AUDIT-C from AUDIT, PHQ-2 from PHQ-9).
    derived_from: str | None = None
    # Bands replacing ``bands`` for a given sex ("female" or "male").
    sex_bands: tuple[tuple[str, tuple[Band, ...]], ...] = ()
    # Sums reported as the result's subscales (BAM); empty for most.
    composites: tuple[Composite, ...] = ()

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    @property
    def max_total(self) -> int | None:
        """Highest possible total, or None when the result is not a sum."""
        if self.composites:
            return None
        scored = [item for item in self.items if item.scored]
        if not scored:
            return None
        return sum(max(option.points or 0 for option in item.options) for item in scored)

    def bands_for(self, sex: str | None) -> tuple[Band, ...]:
        for band_sex, bands in self.sex_bands:
            if band_sex == sex:
                return bands
        return self.bands

    def band(self, key: str, sex: str | None = None) -> Band:
        for band in self.bands_for(sex):
            if band.key == key:
                return band
        raise KeyError(key)

    def band_for_total(self, total: int, sex: str | None = None) -> Band:
        for band in self.bands_for(sex):
            if band.contains(total):
                return band
        raise ValueError(f"{self.code}: no band holds total {total}")


@dataclass(frozen=True)
class ScoreResult:
    """A scored administration.

    ``answers`` holds the normalised answers that were asked and given
    (skipped items absent); ``flags`` lists flag keys in definition order.
    The object is frozen; treat the dict and list inside it as read-only.
    """

    code: str
    version: str
    total: int | None
    band: str
    band_label: str
    flags: list[str]
    answers: dict[str, Answer]
    # Composite key -> its sum (BAM: "use", "risk", "protective"); empty otherwise.
    subscales: dict[str, int] = field(default_factory=dict)


# --- helpers for writing definitions --------------------------------------


def scale(*labels: str) -> tuple[Option, ...]:
    """Options worth 0, 1, 2, ... points in the order given."""
    return tuple(Option(points, label, points) for points, label in enumerate(labels))


def points(*pairs: tuple[int, str]) -> tuple[Option, ...]:
    """Options with their own points, for items that skip values (0, 2, 4)."""
    return tuple(Option(value, label, value) for value, label in pairs)


def yes_no(*, yes: int | None = 1, no: int | None = 0) -> tuple[Option, ...]:
    return (Option("yes", "Yes", yes), Option("no", "No", no))


def sum_of_items(instrument: Instrument, answers: Answers, sex: str | None) -> Rating:
    """Rate by summing the points of the scored items; skipped items add 0."""
    total = sum(item.points(answers[item.key]) for item in instrument.items if item.key in answers)
    return total, instrument.band_for_total(total, sex).key


def items_from(items: Sequence[Item], *keys: str) -> tuple[Item, ...]:
    """The items of another definition with the given keys, in their order."""
    return tuple(item for item in items if item.key in keys)
