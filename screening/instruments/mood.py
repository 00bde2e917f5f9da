"""PHQ-9 with its two-item short form PHQ-2, and GAD-7.

Sources:
- Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief
  depression severity measure. J Gen Intern Med 2001;16(9):606-613.
- Kroenke K, Spitzer RL, Williams JBW. The Patient Health Questionnaire-2:
  validity of a two-item depression screener. Med Care 2003;41(11):1284-1292.
- Spitzer RL, Kroenke K, Williams JBW, Lowe B. A brief measure for assessing
  generalized anxiety disorder: the GAD-7. Arch Intern Med
  2006;166(10):1092-1097.
Item wording below is our own short paraphrase.
"""

from __future__ import annotations

from .base import Band, Flag, Instrument, Item, Option, items_from, scale, sum_of_items

_PFIZER_ATTRIBUTION = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and "
    "colleagues, with an educational grant from Pfizer Inc. No permission "
    "required to reproduce, translate, display or distribute."
)
_FREE = "Free to reproduce, translate, display and distribute (Pfizer; no permission required)."

_HOW_OFTEN = scale(
    "Not at all",
    "Several days",
    "More than half the days",
    "Nearly every day",
)
_TWO_WEEKS = "Over the last 2 weeks, how often have you been bothered by the following?"


def _often(key: str, text: str) -> Item:
    return Item(key, text, _HOW_OFTEN)


PHQ_9_ITEMS = (
    _often("1", "Little interest or pleasure in doing things"),
    _often("2", "Feeling down, depressed or hopeless"),
    _often("3", "Trouble falling or staying asleep, or sleeping too much"),
    _often("4", "Feeling tired or having little energy"),
    _often("5", "Poor appetite or overeating"),
    _often("6", "Feeling bad about yourself, or that you have let yourself or others down"),
    _often("7", "Trouble concentrating, for example on reading or television"),
    _often(
        "8",
        "Moving or speaking so slowly that others noticed, or being so restless "
        "that you moved around much more than usual",
    ),
    _often("9", "Thoughts that you would be better off dead, or of hurting yourself"),
    # The functional question is asked only when any problem was checked and
    # is never part of the total (Kroenke 2001); it is optional here.
    Item(
        "difficulty",
        "How difficult have these problems made it to work, take care of things "
        "at home, or get along with other people?",
        (
            Option("not_difficult", "Not difficult at all", None),
            Option("somewhat", "Somewhat difficult", None),
            Option("very", "Very difficult", None),
            Option("extremely", "Extremely difficult", None),
        ),
        scored=False,
        required=False,
    ),
)

PHQ_9 = Instrument(
    code="PHQ-9",
    name="Patient Health Questionnaire-9",
    version="PHQ-9 (Kroenke 2001)",
    source=(
        "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief "
        "depression severity measure. J Gen Intern Med 2001;16(9):606-613."
    ),
    licence=_FREE,
    attribution=_PFIZER_ATTRIBUTION,
    prompt=_TWO_WEEKS,
    items=PHQ_9_ITEMS,
    scoring=(
        "Sum of items 1-9, 0-3 each (0-27). The difficulty question is optional "
        "and not scored. Item 9 of 1 or more raises a suicide-risk flag whatever "
        "the total."
    ),
    bands=(
        Band("minimal", "Minimal depression", 0, 4),
        Band("mild", "Mild depression", 5, 9),
        Band("moderate", "Moderate depression", 10, 14),
        Band("moderately_severe", "Moderately severe depression", 15, 19),
        Band("severe", "Severe depression", 20, 27),
    ),
    flags=(
        Flag(
            "suicide_risk",
            "Item 9 (thoughts of death or self-harm) answered 1 or more, whatever "
            "the total: needs same-day clinical follow-up.",
            lambda answers, total, band: answers.get("9", 0) >= 1,
        ),
    ),
    rate=sum_of_items,
)

# PHQ-2: items 1-2 of the same administration, 0-6; 3 or more is a positive
# depression screen (Kroenke 2003).
PHQ_2 = Instrument(
    code="PHQ-2",
    name="Patient Health Questionnaire-2",
    version="PHQ-2 (Kroenke 2003), PHQ-9 items 1-2",
    source=(
        "Kroenke K, Spitzer RL, Williams JBW. The Patient Health Questionnaire-2: "
        "validity of a two-item depression screener. Med Care 2003;41(11):1284-1292."
    ),
    licence=_FREE,
    attribution=_PFIZER_ATTRIBUTION,
    prompt=_TWO_WEEKS,
    items=items_from(PHQ_9_ITEMS, "1", "2"),
    scoring="Sum of PHQ-9 items 1-2 (0-6); positive at 3 or more.",
    bands=(
        Band("negative", "Negative screen", 0, 2),
        Band("positive", "Positive screen", 3, 6),
    ),
    flags=(
        Flag(
            "positive",
            "PHQ-2 of 3 or more: complete the PHQ-9.",
            lambda answers, total, band: band == "positive",
        ),
    ),
    rate=sum_of_items,
    derived_from="PHQ-9",
)

GAD_7 = Instrument(
    code="GAD-7",
    name="Generalized Anxiety Disorder 7-item scale",
    version="GAD-7 (Spitzer 2006)",
    source=(
        "Spitzer RL, Kroenke K, Williams JBW, Lowe B. A brief measure for assessing "
        "generalized anxiety disorder: the GAD-7. Arch Intern Med "
        "2006;166(10):1092-1097."
    ),
    licence=_FREE,
    attribution=_PFIZER_ATTRIBUTION,
    prompt=_TWO_WEEKS,
    items=(
        _often("1", "Feeling nervous, anxious or on edge"),
        _often("2", "Not being able to stop or control worrying"),
        _often("3", "Worrying too much about different things"),
        _often("4", "Trouble relaxing"),
        _often("5", "Being so restless that it is hard to sit still"),
        _often("6", "Becoming easily annoyed or irritable"),
        _often("7", "Feeling afraid, as if something awful might happen"),
    ),
    scoring="Sum of items 1-7, 0-3 each (0-21).",
    bands=(
        Band("minimal", "Minimal anxiety", 0, 4),
        Band("mild", "Mild anxiety", 5, 9),
        Band("moderate", "Moderate anxiety", 10, 14),
        Band("severe", "Severe anxiety", 15, 21),
    ),
    flags=(),
    rate=sum_of_items,
)
