"""C-SSRS screener (Columbia-Suicide Severity Rating Scale, screen version).

Source: Posner K, Brown GK, Stanley B, et al. The Columbia-Suicide Severity
Rating Scale: initial validity and internal consistency findings from three
multisite studies with adolescents and adults. Am J Psychiatry
2011;168(12):1266-1277; screen version and triage by the Columbia Lighthouse
Project. Item wording below is our own paraphrase of the item titles.

The result is a risk level, not a sum: ``total`` is always None.
"""

from __future__ import annotations

from .base import Answers, Band, Flag, Instrument, Item, Rating, yes_no

RISK_ORDER = ("none", "low", "moderate", "high")


def _thoughts_of_suicide(given: Answers) -> bool | None:
    # Items 3-5 follow only a "yes" to item 2; after "no" they are not asked
    # (recorded as absent, never as "no").
    if "2" not in given:
        return None
    return given["2"] == "yes"


def _behaviour_reported(given: Answers) -> bool | None:
    if "6" not in given:
        return None
    return given["6"] == "yes"


def _yes_no(key: str, text: str, **kwargs) -> Item:
    return Item(key, text, yes_no(yes=None, no=None), scored=False, **kwargs)


def _risk(instrument: Instrument, answers: Answers, sex: str | None) -> Rating:
    """Highest risk any answer triggers (DOMAIN.md section 3)."""
    triggered = ["none"]
    if "yes" in (answers["1"], answers["2"]):
        triggered.append("low")
    if answers.get("3") == "yes":
        triggered.append("moderate")
    if "yes" in (answers.get("4"), answers.get("5")):
        triggered.append("high")
    if answers["6"] == "yes":
        # Behaviour within the past 3 months is high risk; earlier, moderate.
        triggered.append("high" if answers["6b"] == "yes" else "moderate")
    return None, max(triggered, key=RISK_ORDER.index)


_IF_THOUGHTS = {
    "asked_when": _thoughts_of_suicide,
    "skip_rule": "asked only when item 2 is yes",
}

C_SSRS = Instrument(
    code="C-SSRS",
    name="Columbia-Suicide Severity Rating Scale, screener",
    version="C-SSRS Screen Version (Posner 2011)",
    source=(
        "Posner K, Brown GK, Stanley B, et al. The Columbia-Suicide Severity Rating "
        "Scale: initial validity and internal consistency findings from three "
        "multisite studies with adolescents and adults. Am J Psychiatry "
        "2011;168(12):1266-1277."
    ),
    licence="Free for clinical use (The Research Foundation for Mental Hygiene, Inc.).",
    attribution=(
        "C-SSRS (c) The Research Foundation for Mental Hygiene, Inc. Columbia "
        "Lighthouse Project. Used for clinical care."
    ),
    prompt=(
        "Ask items 1 and 2. If item 2 is yes, ask items 3-5; if no, go to item 6. "
        "Items 1-5 are about the past month."
    ),
    items=(
        _yes_no("1", "Wish to be dead: wished you were dead or could go to sleep and not wake up?"),
        _yes_no("2", "Suicidal thoughts: had any actual thoughts of killing yourself?"),
        _yes_no("3", "Method: thought about how you might do it?", **_IF_THOUGHTS),
        _yes_no(
            "4", "Intent: had these thoughts with some intention of acting on them?", **_IF_THOUGHTS
        ),
        _yes_no(
            "5",
            "Plan: worked out, or started to work out, the details, and intend to carry it out?",
            **_IF_THOUGHTS,
        ),
        _yes_no(
            "6",
            "Behaviour: ever done, started or prepared anything to end your life?",
        ),
        _yes_no(
            "6b",
            "Was that within the past 3 months?",
            asked_when=_behaviour_reported,
            skip_rule="asked only when item 6 is yes",
        ),
    ),
    scoring=(
        "Risk is the highest level triggered: item 1 or 2 yes, low; item 3 yes, "
        "moderate; item 4 or 5 yes, high; item 6 yes more than 3 months ago, "
        "moderate; item 6 yes within the past 3 months, high. No total."
    ),
    bands=(
        Band("none", "No risk identified"),
        Band("low", "Low risk"),
        Band("moderate", "Moderate risk"),
        Band("high", "High risk"),
    ),
    flags=(
        Flag(
            "suicide_risk",
            "Moderate or high C-SSRS risk: needs clinical follow-up (high: same day).",
            lambda answers, total, band: band in ("moderate", "high"),
        ),
    ),
    rate=_risk,
)
