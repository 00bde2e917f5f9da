"""Screening instruments, exact scoring and the level-of-care placement aid.

Pure Python, no Django: definitions are frozen dataclasses, scoring and
placement are pure functions. Facts and sources: DOMAIN.md sections 3 and 4;
every definition carries its publication in ``source``.

Registry
--------
``REGISTRY`` maps code to ``Instrument``; ``get_instrument(code)`` raises
KeyError for an unknown code; ``INSTRUMENT_CODES`` lists, in order:
"AUDIT", "AUDIT-C", "DAST-10", "PHQ-9", "PHQ-2", "GAD-7", "CIWA-Ar", "COWS",
"C-SSRS", "BAM". An ``Instrument`` has code, name, version, source, licence,
attribution (show it on the form), prompt, items, scoring (in words), bands,
flags, ``derived_from`` (AUDIT-C: "AUDIT", PHQ-2: "PHQ-9") and ``max_total``.
Each ``Item`` has key ("1", "2", ...; PHQ-9 also "difficulty", C-SSRS also
"6b"), text in our own words, options (``Option(value, label, points)``),
``scored``, ``required`` and, for skippable items, ``skip_rule``.

Scoring
-------
``score(code, answers, *, sex=None) -> ScoreResult``

``answers`` maps item keys to the chosen option's value:

- point items take the points (int, or an int-like string such as "3";
  integral floats are accepted; bools, other floats and values that are not
  among the options are rejected: AUDIT items 9-10 take only 0, 2, 4; COWS
  item 3, restlessness, only 0, 1, 3, 5);
- yes/no items (DAST-10, C-SSRS) take "yes" or "no" (any case); DAST-10 item 3
  is reversed by the instrument ("no" scores 1);
- PHQ-9 "difficulty" is optional and never counted: "not_difficult",
  "somewhat", "very", "extremely";
- None or "" counts as not answered.

Items that are not asked are absent. AUDIT: if item 1 is 0, items 2-8 are not
asked; if items 2 + 3 are 0, items 4-8 are not asked; they score 0. A form may
post 0 for them (dropped); any other value is an error. C-SSRS: items 3-5 are
asked only when item 2 is "yes" and "6b" (within the past 3 months?) only when
item 6 is "yes"; giving them otherwise, even as "no", is an error.

AUDIT-C and PHQ-2 are short forms scored from the first items of the same
administration: pass either their own items ("1"-"3", "1"-"2") or the whole
AUDIT / PHQ-9 answers, which are then validated in full.

``sex`` ("female", "male" or None) matters only to AUDIT-C: positive at 4 or
more for men, 3 or more for women, and 3 or more when None (the stricter
cut-off, so a positive screen is never missed for want of a recorded sex).
Map "other" or "unknown" to None; any other value is an error.

Errors: a missing required item, an unknown item key or an answer outside an
item's options raises ``InstrumentValidationError`` (a ValueError) whose
``errors`` maps every bad item key to a message, all at once; str() names the
keys. Messages never repeat the submitted value. An unknown code raises KeyError.

``ScoreResult`` (frozen): ``code``, ``version``, ``total``, ``band``,
``band_label``, ``flags`` (list of flag keys) and ``answers`` (normalised:
ints for points, lower-case strings otherwise, skipped items absent).
``total`` is an int, except for C-SSRS and BAM where it is always None: the
screener gives a risk level, the BAM three composites. ``subscales`` maps a
composite's key to its sum (BAM: "use", "risk", "protective"); empty for the
others.

BAM (Likert, DOMAIN.md 3a): items "1"-"17" with "7A"-"7G" instead of "7";
every item 0-4 (day counts binned 0 / 1-3 / 4-8 / 9-15 / 16-30 days; item 14
No 0, Yes 4). Items 7A-7G are asked only when item 6 is 1 or more, are
optional and never scored; item 17 is in no composite.

Band keys (totals inclusive):

- AUDIT: zone_i 0-7, zone_ii 8-15, zone_iii 16-19, zone_iv 20-40
- AUDIT-C: negative, positive (cut-off by sex, above)
- DAST-10: none 0, low 1-2, moderate 3-5, substantial 6-8, severe 9-10
- PHQ-9: minimal 0-4, mild 5-9, moderate 10-14, moderately_severe 15-19,
  severe 20-27
- PHQ-2: negative 0-2, positive 3-6 (Kroenke 2003)
- GAD-7: minimal 0-4, mild 5-9, moderate 10-14, severe 15-21
- CIWA-Ar: mild 0-9, moderate 10-18, severe 19-67
- COWS: none 0-4, mild 5-12, moderate 13-24, moderately_severe 25-36,
  severe 37-48
- BAM: no_concern, concern (any of its three flags raised)
- C-SSRS: none, low (item 1 or 2 yes), moderate (item 3 yes, or item 6 yes
  more than 3 months ago), high (item 4 or 5 yes, or item 6 yes within the
  past 3 months); the highest triggered wins

Flags:

- "positive": AUDIT total 8 or more (zone II-IV); AUDIT-C positive; PHQ-2
  positive
- "suicide_risk": PHQ-9 item 9 of 1 or more, whatever the total; C-SSRS
  moderate or high
- "withdrawal_risk": CIWA-Ar 10 or more; COWS 13 or more
- "any_use", "high_risk", "low_protection": BAM Use 1 or more, Risk 12 or
  more, Protective 12 or less
- DAST-10 and GAD-7 raise no flags

Placement
---------
``recommend_level(ratings, scores=None, *, table=None,
complicated_withdrawal=False) -> Placement``

``ratings`` maps "D1"-"D6" (``DIMENSIONS``) to 0-4; ``scores`` maps codes to
``ScoreResult``; ``table`` is a sequence of ``(level, caps)`` from least
intensive, caps mapping D1-D6 to a maximum or None (any); it defaults to
``DEFAULT_PLACEMENT_TABLE`` (levels "1.0", "2.1", "2.5", "3.5", "3.7", "4").
``validate_table`` checks an administrator's table. Safety gates come first,
in this order, and override the table:

- "urgent_evaluation": C-SSRS band "high";
- "wm_inpatient": CIWA-Ar total 19 or more, or ``complicated_withdrawal``
  (seizure, delirium, hallucinations);
- "wm_first": CIWA-Ar 10-18 or COWS 13 or more.

Otherwise the level is the first row whose caps every rating fits.
``Placement`` (frozen): ``level`` (a table level or the gate key), ``label``
(``LEVEL_LABELS``), ``gate`` (None or the gate key), ``reasons`` (every
triggered gate, the deciding one first; or the dimensions that exceed the
next less intensive level's caps, e.g. "D3 rated 3 exceeds the 2.1 cap of 2")
and ``table_level`` (the level from the ratings alone). Bad ratings raise
``InstrumentValidationError`` naming the dimension. This is a placement aid
that supports, not replaces, the clinician's decision.
"""

from .base import (
    FLAG_LABELS,
    Band,
    Composite,
    Flag,
    Instrument,
    InstrumentValidationError,
    Item,
    Option,
    ScoreResult,
    flag_label,
)
from .placement import (
    DEFAULT_PLACEMENT_TABLE,
    DIMENSIONS,
    GATES,
    LEVEL_LABELS,
    Placement,
    recommend_level,
    validate_ratings,
    validate_table,
)
from .registry import INSTRUMENT_CODES, REGISTRY, get_instrument
from .scoring import score, validate_answers

__all__ = [
    "DEFAULT_PLACEMENT_TABLE",
    "FLAG_LABELS",
    "DIMENSIONS",
    "GATES",
    "INSTRUMENT_CODES",
    "LEVEL_LABELS",
    "REGISTRY",
    "Band",
    "Composite",
    "Flag",
    "Instrument",
    "InstrumentValidationError",
    "Item",
    "Option",
    "Placement",
    "ScoreResult",
    "get_instrument",
    "recommend_level",
    "score",
    "validate_answers",
    "validate_ratings",
    "flag_label",
    "validate_table",
]
