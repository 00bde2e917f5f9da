"""Level-of-care placement aid.

The six dimensions and the level numbering follow The ASAM Criteria, 3rd
edition (Mee-Lee D, ed. The ASAM Criteria: Treatment Criteria for Addictive,
Substance-Related, and Co-Occurring Conditions. American Society of Addiction
Medicine; 2013). The ASAM text is proprietary: the dimension descriptions and
the caps below are our own wording and simplification (DOMAIN.md section 4).

This is a placement aid. It proposes the least intensive level whose caps
every rating fits, after safety gates; it supports, and never replaces, the
clinician's decision, which is recorded separately with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from .base import InstrumentValidationError, ScoreResult, as_int
from .withdrawal import CIWA_AR_MODERATE, CIWA_AR_SEVERE, COWS_MODERATE

Caps = Mapping[str, int | None]
PlacementTable = Sequence[tuple[str, Caps]]

RATING_MIN, RATING_MAX = 0, 4

DIMENSIONS: Mapping[str, str] = MappingProxyType(
    {
        "D1": "Intoxication, withdrawal and addiction medications",
        "D2": "Physical health",
        "D3": "Emotional, behavioural and cognitive health",
        "D4": "Readiness to change",
        "D5": "Risk of relapse or continued use",
        "D6": "Recovery and living environment",
    }
)

# Safety gates, in order of precedence. They override the table.
URGENT_EVALUATION = "urgent_evaluation"
WM_INPATIENT = "wm_inpatient"
WM_FIRST = "wm_first"
GATES = (URGENT_EVALUATION, WM_INPATIENT, WM_FIRST)


def _caps(*values: int | None) -> Mapping[str, int | None]:
    return MappingProxyType(dict(zip(DIMENSIONS, values, strict=True)))


# Default caps (DOMAIN.md section 4): the highest rating of each dimension a
# level can safely serve; None means any rating. Ordered from least intensive.
# A program setting: an administrator may replace it (see validate_table).
DEFAULT_PLACEMENT_TABLE: tuple[tuple[str, Mapping[str, int | None]], ...] = (
    ("1.0", _caps(1, 1, 1, 1, 1, 1)),
    ("2.1", _caps(1, 2, 2, 2, 2, 2)),
    ("2.5", _caps(2, 2, 3, 3, 3, 3)),
    ("3.5", _caps(2, 3, 3, 4, 4, 4)),
    ("3.7", _caps(3, 3, 3, 4, 4, 4)),
    ("4", _caps(None, None, None, None, None, None)),
)

LEVEL_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "1.0": "Outpatient",
        "2.1": "Intensive outpatient",
        "2.5": "Partial hospitalization / high-intensity outpatient",
        "3.5": "Clinically managed residential",
        "3.7": "Medically monitored residential",
        "4": "Medically managed inpatient",
        URGENT_EVALUATION: "Urgent same-day evaluation (not admission)",
        WM_INPATIENT: "Inpatient withdrawal management",
        WM_FIRST: "Withdrawal management before or alongside IOP",
    }
)


@dataclass(frozen=True)
class Placement:
    """A recommendation. ``level`` is a table level or, when ``gate`` is set,
    the gate key itself; ``table_level`` is what the ratings alone give, so a
    clinician can see what follows once the gate is dealt with."""

    level: str
    label: str
    gate: str | None
    reasons: list[str]
    table_level: str


def recommend_level(
    ratings: Mapping[str, object],
    scores: Mapping[str, ScoreResult] | None = None,
    *,
    table: PlacementTable | None = None,
    complicated_withdrawal: bool = False,
) -> Placement:
    """Recommend a level of care from dimension ratings and screening results.

    ``ratings`` maps D1-D6 to 0-4; ``scores`` maps instrument codes to results
    of ``score``; ``complicated_withdrawal`` records seizure, delirium or
    hallucinations. Safety gates first (C-SSRS high, then inpatient, then
    ambulatory withdrawal management), otherwise the first level of ``table``
    whose caps every rating fits.
    """
    rated = validate_ratings(ratings)
    rows = DEFAULT_PLACEMENT_TABLE if table is None else validate_table(table)
    results = _validate_scores(scores or {})
    if not isinstance(complicated_withdrawal, bool):
        raise InstrumentValidationError({"complicated_withdrawal": "must be True or False"})

    table_level, table_reasons = _fit(rated, rows)
    gates = _gates(results, complicated_withdrawal=complicated_withdrawal)
    if gates:
        gate = gates[0][0]
        return Placement(
            level=gate,
            label=LEVEL_LABELS[gate],
            gate=gate,
            reasons=[reason for _, reason in gates],
            table_level=table_level,
        )
    return Placement(
        level=table_level,
        label=LEVEL_LABELS.get(table_level, table_level),
        gate=None,
        reasons=table_reasons,
        table_level=table_level,
    )


def validate_ratings(ratings: Mapping[str, object]) -> dict[str, int]:
    """Ratings D1-D6 as ints 0-4, or InstrumentValidationError naming each bad one."""
    if not isinstance(ratings, Mapping):
        raise TypeError("ratings must be a mapping of D1-D6 to 0-4")
    errors: dict[str, str] = {}
    rated: dict[str, int] = {}
    for dimension in DIMENSIONS:
        value = as_int(ratings.get(dimension))
        if dimension not in ratings or ratings[dimension] in (None, ""):
            errors[dimension] = "missing rating"
        elif value is None or not RATING_MIN <= value <= RATING_MAX:
            errors[dimension] = f"must be a whole number from {RATING_MIN} to {RATING_MAX}"
        else:
            rated[dimension] = value
    for key in ratings:
        if key not in DIMENSIONS:
            errors.setdefault(str(key), "unknown dimension; expected D1-D6")
    if errors:
        raise InstrumentValidationError(errors, code="placement")
    return rated


def validate_table(table: PlacementTable) -> tuple[tuple[str, dict[str, int | None]], ...]:
    """Check an administrator's table: ordered (level, caps) rows, each with
    caps for D1-D6 that are 0-4 or None. Errors are keyed "level.Dn"."""
    errors: dict[str, str] = {}
    rows: list[tuple[str, dict[str, int | None]]] = []
    if isinstance(table, str | bytes | Mapping) or not isinstance(table, Sequence) or not table:
        raise InstrumentValidationError({"table": "must be a non-empty list of (level, caps)"})
    for position, row in enumerate(table, start=1):
        if not (isinstance(row, Sequence) and len(row) == 2):
            errors[f"row {position}"] = "must be a (level, caps) pair"
            continue
        level, caps = row
        if not isinstance(level, str) or not level or level in GATES:
            errors[f"row {position}"] = "level must be a non-empty code other than a gate key"
            continue
        if any(level == seen for seen, _ in rows):
            errors[level] = "level appears twice"
            continue
        if not isinstance(caps, Mapping) or set(caps) != set(DIMENSIONS):
            errors[level] = "caps must give D1-D6 exactly"
            continue
        for dimension in DIMENSIONS:
            cap = caps[dimension]
            if cap is not None and (
                isinstance(cap, bool)
                or not isinstance(cap, int)
                or not RATING_MIN <= cap <= RATING_MAX
            ):
                errors[f"{level}.{dimension}"] = "cap must be 0-4 or None (any)"
        rows.append((level, {dimension: caps[dimension] for dimension in DIMENSIONS}))
    if errors:
        raise InstrumentValidationError(errors, code="placement table")
    return tuple(rows)


def _validate_scores(scores: Mapping[str, ScoreResult]) -> dict[str, ScoreResult]:
    if not isinstance(scores, Mapping):
        raise TypeError("scores must be a mapping of instrument code to score result")
    errors = {
        str(code): "must be the result of score() for this instrument"
        for code, result in scores.items()
        if not isinstance(result, ScoreResult) or result.code != code
    }
    if errors:
        raise InstrumentValidationError(errors, code="placement")
    return dict(scores)


def _gates(
    results: Mapping[str, ScoreResult], *, complicated_withdrawal: bool
) -> list[tuple[str, str]]:
    """Every gate triggered, as (gate, reason), in order of precedence."""
    triggered: list[tuple[str, str]] = []
    cssrs = results.get("C-SSRS")
    ciwa = results.get("CIWA-Ar")
    cows = results.get("COWS")
    ciwa_total = ciwa.total if ciwa is not None and ciwa.total is not None else None
    cows_total = cows.total if cows is not None and cows.total is not None else None

    # Suicide risk first: a high C-SSRS needs same-day evaluation before any
    # admission decision, whatever else is true.
    if cssrs is not None and cssrs.band == "high":
        triggered.append((URGENT_EVALUATION, "C-SSRS risk is high: same-day evaluation"))
    # Severe or complicated alcohol withdrawal is unsafe outside a hospital
    # (ASAM Clinical Practice Guideline on Alcohol Withdrawal Management, 2020).
    if ciwa_total is not None and ciwa_total >= CIWA_AR_SEVERE:
        triggered.append((WM_INPATIENT, f"CIWA-Ar total {ciwa_total} is {CIWA_AR_SEVERE} or more"))
    if complicated_withdrawal:
        triggered.append(
            (WM_INPATIENT, "Complicated withdrawal (seizure, delirium or hallucinations)")
        )
    if ciwa_total is not None and CIWA_AR_MODERATE <= ciwa_total < CIWA_AR_SEVERE:
        triggered.append(
            (
                WM_FIRST,
                f"CIWA-Ar total {ciwa_total} is {CIWA_AR_MODERATE}-{CIWA_AR_SEVERE - 1}",
            )
        )
    if cows_total is not None and cows_total >= COWS_MODERATE:
        triggered.append((WM_FIRST, f"COWS total {cows_total} is {COWS_MODERATE} or more"))
    return triggered


def _fit(rated: Mapping[str, int], rows: PlacementTable) -> tuple[str, list[str]]:
    """The first level whose caps every rating fits, and why not the one before."""
    previous: tuple[str, Caps] | None = None
    for level, caps in rows:
        if all(caps[d] is None or rated[d] <= caps[d] for d in DIMENSIONS):
            if previous is None:
                return level, [f"All ratings fit the {level} caps"]
            below, below_caps = previous
            return level, [
                f"{d} rated {rated[d]} exceeds the {below} cap of {below_caps[d]}"
                for d in DIMENSIONS
                if below_caps[d] is not None and rated[d] > below_caps[d]
            ]
        previous = (level, caps)
    # Only a custom table without an "any" row can get here.
    raise ValueError("no level of the placement table fits these ratings")
