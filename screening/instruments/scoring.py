"""Validate answers against a definition and score them."""

from __future__ import annotations

from collections.abc import Mapping

from .base import Answer, Instrument, InstrumentValidationError, Item, ScoreResult
from .registry import get_instrument

SEXES = ("female", "male")


def score(code: str, answers: Mapping[str, object], *, sex: str | None = None) -> ScoreResult:
    """Score one administration of instrument ``code``.

    Raises InstrumentValidationError listing every bad item at once, and
    KeyError for an unknown instrument code.
    """
    instrument = get_instrument(code)
    sex = _normalise_sex(sex, code=instrument.code)
    normalised = validate_answers(instrument, answers)
    total, band_key = instrument.rate(instrument, normalised, sex)
    flags = [flag.key for flag in instrument.flags if flag.rule(normalised, total, band_key)]
    return ScoreResult(
        code=instrument.code,
        version=instrument.version,
        total=total,
        band=band_key,
        band_label=instrument.band(band_key, sex).label,
        flags=flags,
        answers=normalised,
        subscales={
            composite.key: sum(
                instrument.item(key).points(normalised[key])
                for key in composite.items
                if key in normalised
            )
            for composite in instrument.composites
        },
    )


def validate_answers(instrument: Instrument, answers: Mapping[str, object]) -> dict[str, Answer]:
    """Return the normalised answers of ``instrument`` or raise.

    A short form (AUDIT-C, PHQ-2) also accepts the whole administration of
    the instrument it is derived from: the full set is validated against the
    parent, then only the short form's items are kept.
    """
    if not isinstance(answers, Mapping):
        raise TypeError("answers must be a mapping of item key to answer")
    if instrument.derived_from:
        parent = get_instrument(instrument.derived_from)
        own = instrument.item_keys
        if any(key in parent.item_keys and key not in own for key in answers):
            full = validate_answers(parent, answers)
            return {key: value for key, value in full.items() if key in own}

    errors: dict[str, str] = {}
    given: dict[str, Answer] = {}
    for item in instrument.items:
        raw = answers.get(item.key)
        blank = raw is None or (isinstance(raw, str) and not raw.strip())
        asked = True if item.asked_when is None else item.asked_when(given)
        if asked is False:
            if not blank and not _is_tolerated_skip(item, raw):
                errors[item.key] = f"not asked ({item.skip_rule}); leave it blank"
            continue
        if blank:
            # asked is None: an item this one depends on is already in error.
            if asked and item.required:
                errors[item.key] = "missing answer"
            continue
        try:
            given[item.key] = item.normalise(raw)
        except ValueError as exc:
            errors[item.key] = str(exc)

    for key in answers:
        if key not in instrument.item_keys:
            errors.setdefault(
                str(key), f"unknown item; {instrument.code} has {', '.join(instrument.item_keys)}"
            )
    if errors:
        raise InstrumentValidationError(errors, code=instrument.code, noun="item")
    return given


def _is_tolerated_skip(item: Item, raw: object) -> bool:
    """A skipped item may still carry a harmless value (AUDIT: 0)."""
    if not item.skipped_values:
        return False
    try:
        return item.normalise(raw) in item.skipped_values
    except ValueError:
        return False


def _normalise_sex(sex: object, *, code: str) -> str | None:
    # Callers map any other recorded value (unknown, other) to None, which
    # selects the stricter cut-off where one depends on sex.
    if sex is None:
        return None
    if isinstance(sex, str) and sex.strip().lower() in SEXES:
        return sex.strip().lower()
    raise InstrumentValidationError(
        {"sex": f"must be one of {', '.join(SEXES)} or None"}, code=code
    )
