"""Brief Addiction Monitor (BAM), Likert version: the SUD progress measure.

Sources:
- Cacciola JS, Alterman AI, DePhilippis D, et al. Development and initial
  evaluation of the Brief Addiction Monitor (BAM). J Subst Abuse Treat
  2013;44(3):256-263.
- VA VISN 4 MIRECC / CESATE, Brief Addiction Monitor (BAM) Manual for Use in
  SUD Group Treatment (DePhilippis, Goodman, Beamer, Bloedorn; 2014), for the
  Likert scoring, the three composites and their cut-offs, and the skip of
  items 7A-7G when item 6 is 0.
Public domain (a work of the US Department of Veterans Affairs).

Scoring (DOMAIN.md 3a): every item 0-4 for the past 30 days. Composites:
Use = 4 + 5 + 6 (0-12; any use at 1 or more); Risk = 1 + 2 + 3 + 8 + 11 + 15
(0-24; concern at 12 or more); Protective = 9 + 10 + 12 + 13 + 14 + 16 (0-24;
concern at 12 or less). Items 7A-7G (days of each drug) are recorded, not
scored; item 17 (satisfaction with progress) is in no composite. No total is
validated, so the result's total is None and its band only says whether any
composite is of concern. Item wording below is our own short paraphrase.
"""

from __future__ import annotations

from .base import Band, Composite, Flag, Instrument, Item, Option, scale

# Day counts in the past 30 days, binned as the Likert BAM does.
_DAYS = (
    Option(0, "0 days", 0),
    Option(1, "1-3 days", 1),
    Option(2, "4-8 days", 2),
    Option(3, "9-15 days", 3),
    Option(4, "16-30 days", 4),
)
_HOW_MUCH = scale("Not at all", "Slightly", "Moderately", "Considerably", "Extremely")
_HEALTH = scale("Excellent", "Very good", "Good", "Fair", "Poor")
_NO_YES = (Option(0, "No", 0), Option(4, "Yes", 4))

_DRUGS = (
    ("7A", "Marijuana (cannabis, pot, weed)"),
    ("7B", "Sedatives or tranquilizers (such as benzodiazepines or sleeping pills)"),
    ("7C", "Cocaine or crack"),
    ("7D", "Other stimulants (such as amphetamine or methamphetamine)"),
    ("7E", "Opiates (such as heroin, fentanyl, morphine or pain pills)"),
    ("7F", "Inhalants (such as glues or gases)"),
    ("7G", "Other drugs (such as hallucinogens or medications not prescribed)"),
)


def _any_drug_use(answers) -> bool | None:
    if "6" not in answers:
        return None
    return answers["6"] >= 1


def _days(key: str, text: str) -> Item:
    return Item(key, text, _DAYS)


BAM_ITEMS = (
    Item("1", "In general, how would you rate your physical health?", _HEALTH),
    _days("2", "How many nights did you have trouble falling asleep or staying asleep?"),
    _days("3", "How many days have you felt depressed, anxious, angry or very upset?"),
    _days("4", "How many days did you drink any alcohol?"),
    _days(
        "5",
        "How many days did you have at least 5 drinks (if you are a man) or at least "
        "4 drinks (if you are a woman)?",
    ),
    _days("6", "How many days did you use any illegal or street drug, or misuse a prescription?"),
    *(
        Item(
            key,
            f"How many days did you use: {drug}?",
            _DAYS,
            scored=False,
            required=False,
            asked_when=_any_drug_use,
            skip_rule="asked only when item 6 is 1 day or more",
            skipped_values=(0,),
        )
        for key, drug in _DRUGS
    ),
    Item("8", "How much were you bothered by cravings or urges to drink or use drugs?", _HOW_MUCH),
    Item(
        "9",
        "How confident are you in your ability to be completely abstinent (clean) "
        "from alcohol and drugs in the next 30 days?",
        _HOW_MUCH,
    ),
    _days("10", "How many days did you attend self-help meetings (such as AA or NA)?"),
    _days(
        "11",
        "How many days were you in any situations or with any people that might put "
        "you at an increased risk of using alcohol or drugs?",
    ),
    Item("12", "Does your religion or spirituality help support your recovery?", _HOW_MUCH),
    _days("13", "How many days did you spend much of the time at work, school or volunteering?"),
    Item(
        "14",
        "Do you have enough income (from legal sources) to pay for necessities such as "
        "housing, transportation, food and clothing for yourself and your dependents?",
        _NO_YES,
    ),
    Item(
        "15",
        "How much have you been bothered by arguments or problems getting along with "
        "family members or friends?",
        _HOW_MUCH,
    ),
    _days(
        "16",
        "How many days were you in contact or spent time with family members or "
        "friends who are supportive of your recovery?",
    ),
    Item(
        "17",
        "How satisfied are you with your progress toward achieving your recovery goals?",
        _HOW_MUCH,
    ),
)

USE = Composite("use", "Use", ("4", "5", "6"))
RISK = Composite("risk", "Risk factors", ("1", "2", "3", "8", "11", "15"))
PROTECTIVE = Composite("protective", "Protective factors", ("9", "10", "12", "13", "14", "16"))

# Cut-offs (BAM manual): any use at Use >= 1; Risk >= 12 and Protective <= 12
# are of concern.
ANY_USE_AT = 1
HIGH_RISK_AT = 12
LOW_PROTECTION_AT = 12


def _composite(answers, composite: Composite) -> int:
    return sum(int(answers.get(key, 0)) for key in composite.items)


def _concerns(answers) -> list[str]:
    concerns = []
    if _composite(answers, USE) >= ANY_USE_AT:
        concerns.append("any_use")
    if _composite(answers, RISK) >= HIGH_RISK_AT:
        concerns.append("high_risk")
    if _composite(answers, PROTECTIVE) <= LOW_PROTECTION_AT:
        concerns.append("low_protection")
    return concerns


def _rate(instrument: Instrument, answers, sex: str | None) -> tuple[None, str]:
    return None, "concern" if _concerns(answers) else "no_concern"


BAM = Instrument(
    code="BAM",
    name="Brief Addiction Monitor",
    version="BAM Likert (VA MIRECC 2014)",
    source=(
        "Cacciola JS, Alterman AI, DePhilippis D, et al. Development and initial "
        "evaluation of the Brief Addiction Monitor (BAM). J Subst Abuse Treat "
        "2013;44(3):256-263; VA MIRECC BAM manual (2014), Likert scoring."
    ),
    licence="Public domain (US Department of Veterans Affairs).",
    attribution="Brief Addiction Monitor, VA VISN 4 MIRECC (public domain).",
    prompt="These questions are about the past 30 days.",
    items=BAM_ITEMS,
    scoring=(
        "Three composites, no total: Use = items 4 + 5 + 6 (0-12, any use at 1 or "
        "more); Risk = items 1 + 2 + 3 + 8 + 11 + 15 (0-24, concern at 12 or more); "
        "Protective = items 9 + 10 + 12 + 13 + 14 + 16 (0-24, concern at 12 or less). "
        "Items 7A-7G are recorded, not scored; item 17 is in no composite."
    ),
    bands=(
        Band("no_concern", "No composite of concern"),
        Band("concern", "One or more composites of concern"),
    ),
    flags=(
        Flag(
            "any_use",
            "Use composite of 1 or more: some alcohol or drug use in the past 30 days.",
            lambda answers, total, band: "any_use" in _concerns(answers),
        ),
        Flag(
            "high_risk",
            "Risk composite of 12 or more.",
            lambda answers, total, band: "high_risk" in _concerns(answers),
        ),
        Flag(
            "low_protection",
            "Protective composite of 12 or less.",
            lambda answers, total, band: "low_protection" in _concerns(answers),
        ),
    ),
    rate=_rate,
    composites=(USE, RISK, PROTECTIVE),
)
