"""AUDIT and its consumption short form, AUDIT-C.

Source: Babor TF, Higgins-Biddle JC, Saunders JB, Monteiro MG. AUDIT: The
Alcohol Use Disorders Identification Test. Guidelines for Use in Primary Care,
2nd ed. Geneva: World Health Organization; 2001 (WHO/MSD/MSB/01.6a).
Item wording below is our own short paraphrase; the form shows the attribution.
"""

from __future__ import annotations

from .base import (
    Answers,
    Band,
    Flag,
    Instrument,
    Item,
    items_from,
    points,
    scale,
    sum_of_items,
)

AUDIT_ATTRIBUTION = (
    "AUDIT: The Alcohol Use Disorders Identification Test, World Health "
    "Organization (Babor et al., 2001). Used with attribution for "
    "non-commercial clinical care."
)

# Skip rule (WHO manual, 2001): never drinking (item 1 = 0) skips
# items 2-8; no drinks on a typical day and never six or more (items 2 + 3 = 0)
# skips items 4-8. Skipped items score 0. Items 9 and 10 are always asked.


def _drinks(given: Answers) -> bool | None:
    if "1" not in given:
        return None
    return given["1"] != 0


def _drinks_more_than_a_little(given: Answers) -> bool | None:
    drinks = _drinks(given)
    if drinks is not True:
        return drinks
    if "2" not in given or "3" not in given:
        return None
    return given["2"] + given["3"] != 0


_FREQUENCY = scale(
    "Never",
    "Less than monthly",
    "Monthly",
    "Weekly",
    "Daily or almost daily",
)

_INJURY_OR_CONCERN = points(
    (0, "No"),
    (2, "Yes, but not in the past year"),
    (4, "Yes, in the past year"),
)


def _skipped_unless_drinks(key: str, text: str, options=_FREQUENCY) -> Item:
    return Item(
        key,
        text,
        options,
        asked_when=_drinks,
        skip_rule="skipped when item 1 is 0",
        skipped_values=(0,),
    )


def _symptom(key: str, text: str) -> Item:
    return Item(
        key,
        text,
        _FREQUENCY,
        asked_when=_drinks_more_than_a_little,
        skip_rule="skipped when item 1 is 0 or items 2 and 3 are both 0",
        skipped_values=(0,),
    )


AUDIT_ITEMS = (
    Item(
        "1",
        "How often do you have a drink that contains alcohol?",
        scale(
            "Never",
            "Monthly or less",
            "2 to 4 times a month",
            "2 to 3 times a week",
            "4 or more times a week",
        ),
    ),
    _skipped_unless_drinks(
        "2",
        "On a typical day when you drink, how many standard drinks do you have?",
        scale("1 or 2", "3 or 4", "5 or 6", "7 to 9", "10 or more"),
    ),
    _skipped_unless_drinks("3", "How often do you have six or more drinks at one time?"),
    _symptom("4", "In the past year, how often could you not stop once you had started?"),
    _symptom(
        "5",
        "In the past year, how often did drinking keep you from doing what was expected of you?",
    ),
    _symptom(
        "6",
        "In the past year, how often did you need a drink in the morning "
        "to get going after heavy drinking?",
    ),
    _symptom("7", "In the past year, how often did you feel guilty or sorry after drinking?"),
    _symptom(
        "8",
        "In the past year, how often could you not remember the night before because of drinking?",
    ),
    Item(
        "9",
        "Have you or someone else been hurt because of your drinking?",
        _INJURY_OR_CONCERN,
    ),
    Item(
        "10",
        "Has a relative, friend, doctor or other health worker been worried "
        "about your drinking or suggested you cut down?",
        _INJURY_OR_CONCERN,
    ),
)

# WHO 2001 risk zones ("zones of risk"). 8 is the manual's cut-off for
# hazardous or harmful use, so it is also where the "positive" flag starts.
AUDIT_BANDS = (
    Band("zone_i", "Zone I: low risk", 0, 7),
    Band("zone_ii", "Zone II: hazardous use", 8, 15),
    Band("zone_iii", "Zone III: harmful use", 16, 19),
    Band("zone_iv", "Zone IV: possible dependence", 20, 40),
)

AUDIT = Instrument(
    code="AUDIT",
    name="Alcohol Use Disorders Identification Test",
    version="WHO 2nd edition (2001)",
    source=(
        "Babor TF, Higgins-Biddle JC, Saunders JB, Monteiro MG. AUDIT: The Alcohol "
        "Use Disorders Identification Test. Guidelines for Use in Primary Care, "
        "2nd ed. Geneva: World Health Organization; 2001."
    ),
    licence="Free for non-commercial use with attribution (WHO).",
    attribution=AUDIT_ATTRIBUTION,
    prompt="These questions are about your use of alcohol. One drink is one standard drink.",
    items=AUDIT_ITEMS,
    scoring=(
        "Sum of items 1-10 (0-40). Items 9 and 10 score 0, 2 or 4. If item 1 is 0, "
        "items 2-8 are skipped; if items 2 and 3 are both 0, items 4-8 are skipped; "
        "skipped items score 0."
    ),
    bands=AUDIT_BANDS,
    flags=(
        Flag(
            "positive",
            "Total of 8 or more: hazardous or harmful drinking (WHO 2001).",
            lambda answers, total, band: band != "zone_i",
        ),
    ),
    rate=sum_of_items,
)

# AUDIT-C: items 1-3 of the same administration, 0-12. Cut-offs from
# Bradley KA et al. AUDIT-C as a brief screen for alcohol misuse in primary
# care. Alcohol Clin Exp Res 2007;31(7):1208-1217: positive at 4 or more for
# men and 3 or more for women. Without a recorded sex we use the stricter 3,
# so a screen is never missed for want of a demographic field.
_AUDIT_C_STRICT = (
    Band("negative", "Negative screen", 0, 2),
    Band("positive", "Positive screen", 3, 12),
)
_AUDIT_C_MALE = (
    Band("negative", "Negative screen", 0, 3),
    Band("positive", "Positive screen", 4, 12),
)

AUDIT_C = Instrument(
    code="AUDIT-C",
    name="AUDIT-C (AUDIT consumption questions)",
    version="WHO AUDIT 2nd edition (2001), items 1-3",
    source=(
        "Bush K, Kivlahan DR, McDonell MB, Fihn SD, Bradley KA. The AUDIT alcohol "
        "consumption questions (AUDIT-C). Arch Intern Med 1998;158(16):1789-1795; "
        "cut-offs: Bradley KA et al. Alcohol Clin Exp Res 2007;31(7):1208-1217."
    ),
    licence="Free for non-commercial use with attribution (WHO).",
    attribution=AUDIT_ATTRIBUTION,
    prompt=AUDIT.prompt,
    items=items_from(AUDIT_ITEMS, "1", "2", "3"),
    scoring=(
        "Sum of AUDIT items 1-3 (0-12), from the same administration. Positive at "
        "4 or more for men, 3 or more for women, 3 or more when sex is not given."
    ),
    bands=_AUDIT_C_STRICT,
    flags=(
        Flag(
            "positive",
            "Positive AUDIT-C screen for the given sex.",
            lambda answers, total, band: band == "positive",
        ),
    ),
    rate=sum_of_items,
    derived_from="AUDIT",
    sex_bands=(("female", _AUDIT_C_STRICT), ("male", _AUDIT_C_MALE)),
)
