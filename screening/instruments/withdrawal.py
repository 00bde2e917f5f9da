"""Clinician-rated withdrawal scales: CIWA-Ar (alcohol) and COWS (opioids).

Sources:
- Sullivan JT, Sykora K, Schneiderman J, Naranjo CA, Sellers EM. Assessment
  of alcohol withdrawal: the revised Clinical Institute Withdrawal Assessment
  for Alcohol scale (CIWA-Ar). Br J Addict 1989;84(11):1353-1357. Severity
  bands from the ASAM Clinical Practice Guideline on Alcohol Withdrawal
  Management (2020).
- Wesson DR, Ling W. The Clinical Opiate Withdrawal Scale (COWS).
  J Psychoactive Drugs 2003;35(2):253-259.
Item titles and anchors below are our own paraphrase; unlabelled steps
between anchors are shown as their number.
"""

from __future__ import annotations

from .base import Band, Flag, Instrument, Item, Option, points, sum_of_items

# Thresholds shared with the placement gates (DOMAIN.md section 4).
CIWA_AR_MODERATE = 10
CIWA_AR_SEVERE = 19
COWS_MODERATE = 13


def _anchored(top: int, anchors: dict[int, str]) -> tuple[Option, ...]:
    """Options 0..top, labelled by their anchor text or by their number."""
    return tuple(Option(n, anchors.get(n, str(n)), n) for n in range(top + 1))


def _perception(key: str, text: str, mild: str) -> Item:
    return Item(
        key,
        text,
        _anchored(
            7,
            {
                0: "Not present",
                1: f"Very mild {mild}",
                2: f"Mild {mild}",
                3: f"Moderate {mild}",
                4: "Moderately severe hallucinations",
                5: "Severe hallucinations",
                6: "Extremely severe hallucinations",
                7: "Continuous hallucinations",
            },
        ),
    )


CIWA_AR = Instrument(
    code="CIWA-Ar",
    name="Clinical Institute Withdrawal Assessment for Alcohol, revised",
    version="CIWA-Ar (Sullivan 1989)",
    source=(
        "Sullivan JT, Sykora K, Schneiderman J, Naranjo CA, Sellers EM. Assessment of "
        "alcohol withdrawal: the revised Clinical Institute Withdrawal Assessment for "
        "Alcohol scale (CIWA-Ar). Br J Addict 1989;84(11):1353-1357. Bands: ASAM "
        "Clinical Practice Guideline on Alcohol Withdrawal Management, 2020."
    ),
    licence="Not copyrighted; free to reproduce.",
    attribution="CIWA-Ar: Sullivan JT et al., Br J Addict 1989;84:1353-1357.",
    prompt="Rated by a clinician from observation and the client's report.",
    items=(
        Item(
            "1",
            "Nausea and vomiting",
            _anchored(
                7,
                {
                    0: "None",
                    1: "Mild nausea, no vomiting",
                    4: "Intermittent nausea with dry heaves",
                    7: "Constant nausea, frequent dry heaves and vomiting",
                },
            ),
        ),
        Item(
            "2",
            "Tremor (arms extended, fingers spread)",
            _anchored(
                7,
                {
                    0: "No tremor",
                    1: "Not visible, but can be felt fingertip to fingertip",
                    4: "Moderate, with arms extended",
                    7: "Severe, even with arms not extended",
                },
            ),
        ),
        Item(
            "3",
            "Paroxysmal sweats",
            _anchored(
                7,
                {
                    0: "No sweat visible",
                    1: "Barely noticeable; palms moist",
                    4: "Beads of sweat on the forehead",
                    7: "Drenching sweats",
                },
            ),
        ),
        Item(
            "4",
            "Anxiety",
            _anchored(
                7,
                {
                    0: "At ease",
                    1: "Mildly anxious",
                    4: "Moderately anxious or guarded",
                    7: "Like acute panic",
                },
            ),
        ),
        Item(
            "5",
            "Agitation",
            _anchored(
                7,
                {
                    0: "Normal activity",
                    1: "Somewhat more active than normal",
                    4: "Moderately fidgety and restless",
                    7: "Paces or thrashes about constantly",
                },
            ),
        ),
        _perception("6", "Tactile disturbances", "itching, pins and needles or numbness"),
        _perception("7", "Auditory disturbances", "harshness of sounds"),
        _perception("8", "Visual disturbances", "sensitivity to light"),
        Item(
            "9",
            "Headache or fullness in the head",
            _anchored(
                7,
                {
                    0: "Not present",
                    1: "Very mild",
                    2: "Mild",
                    3: "Moderate",
                    4: "Moderately severe",
                    5: "Severe",
                    6: "Very severe",
                    7: "Extremely severe",
                },
            ),
        ),
        # The one item with a shorter range: 0-4 (Sullivan 1989).
        Item(
            "10",
            "Orientation and clouding of the senses",
            _anchored(
                4,
                {
                    0: "Oriented; can do serial additions",
                    1: "Cannot do serial additions or unsure of the date",
                    2: "Date off by no more than 2 days",
                    3: "Date off by more than 2 days",
                    4: "Disoriented to place or person",
                },
            ),
        ),
    ),
    scoring="Sum of items 1-9 (0-7 each) and item 10 (0-4): 0-67.",
    bands=(
        Band("mild", "Mild withdrawal (under 10)", 0, CIWA_AR_MODERATE - 1),
        Band("moderate", "Moderate withdrawal (10-18)", CIWA_AR_MODERATE, CIWA_AR_SEVERE - 1),
        Band("severe", "Severe withdrawal (19 or more)", CIWA_AR_SEVERE, 67),
    ),
    flags=(
        Flag(
            "withdrawal_risk",
            "CIWA-Ar of 10 or more: withdrawal management is needed.",
            lambda answers, total, band: band != "mild",
        ),
    ),
    rate=sum_of_items,
)

COWS = Instrument(
    code="COWS",
    name="Clinical Opiate Withdrawal Scale",
    version="COWS (Wesson and Ling 2003)",
    source=(
        "Wesson DR, Ling W. The Clinical Opiate Withdrawal Scale (COWS). "
        "J Psychoactive Drugs 2003;35(2):253-259."
    ),
    licence=(
        "Published for clinical use (Wesson and Ling 2003; reproduced in SAMHSA "
        "publications). Confirm terms before redistributing."
    ),
    attribution="COWS: Wesson DR, Ling W. J Psychoactive Drugs 2003;35(2):253-259.",
    prompt=(
        "Rated by a clinician. Score what is observed, not what is explained by "
        "room temperature, activity or illness."
    ),
    # Each item has its own points; values not listed are not allowed
    # (Wesson and Ling 2003), e.g. restlessness has no 2.
    items=(
        Item(
            "1",
            "Resting pulse rate (after sitting or lying for one minute)",
            points((0, "80 or below"), (1, "81-100"), (2, "101-120"), (4, "Over 120")),
        ),
        Item(
            "2",
            "Sweating in the past half hour",
            points(
                (0, "No chills or flushing"),
                (1, "Reports chills or flushing"),
                (2, "Flushed or moist face"),
                (3, "Beads of sweat on brow or face"),
                (4, "Sweat streaming off face"),
            ),
        ),
        Item(
            "3",
            "Restlessness during the assessment",
            points(
                (0, "Able to sit still"),
                (1, "Reports trouble sitting still, but can"),
                (3, "Often shifts or moves legs and arms"),
                (5, "Cannot sit still for more than a few seconds"),
            ),
        ),
        Item(
            "4",
            "Pupil size",
            points(
                (0, "Pinned or normal for the light"),
                (1, "Possibly larger than normal"),
                (2, "Moderately dilated"),
                (5, "So dilated that only the rim of the iris shows"),
            ),
        ),
        Item(
            "5",
            "Bone or joint aches",
            points(
                (0, "Not present"),
                (1, "Mild, diffuse discomfort"),
                (2, "Severe, diffuse aching of joints or muscles"),
                (4, "Rubbing joints or muscles; cannot sit still from discomfort"),
            ),
        ),
        Item(
            "6",
            "Runny nose or tearing",
            points(
                (0, "Not present"),
                (1, "Stuffy nose or unusually moist eyes"),
                (2, "Nose running or tearing"),
                (4, "Nose constantly running or tears streaming"),
            ),
        ),
        Item(
            "7",
            "Stomach upset in the past half hour",
            points(
                (0, "No stomach symptoms"),
                (1, "Stomach cramps"),
                (2, "Nausea or loose stool"),
                (3, "Vomiting or diarrhoea"),
                (5, "Repeated vomiting or diarrhoea"),
            ),
        ),
        Item(
            "8",
            "Tremor (hands outstretched)",
            points(
                (0, "No tremor"),
                (1, "Can be felt, not seen"),
                (2, "Slight tremor seen"),
                (4, "Gross tremor or muscle twitching"),
            ),
        ),
        Item(
            "9",
            "Yawning during the assessment",
            points(
                (0, "No yawning"),
                (1, "Once or twice"),
                (2, "Three or more times"),
                (4, "Several times a minute"),
            ),
        ),
        Item(
            "10",
            "Anxiety or irritability",
            points(
                (0, "None"),
                (1, "Reports growing irritability or anxiety"),
                (2, "Clearly irritable or anxious"),
                (4, "So irritable or anxious that the assessment is hard"),
            ),
        ),
        Item(
            "11",
            "Gooseflesh",
            points(
                (0, "Skin is smooth"),
                (3, "Gooseflesh can be felt, or hairs stand up on the arms"),
                (5, "Prominent gooseflesh"),
            ),
        ),
    ),
    scoring="Sum of the 11 items, each with its own points (0-48).",
    bands=(
        Band("none", "No active withdrawal (under 5)", 0, 4),
        Band("mild", "Mild withdrawal (5-12)", 5, 12),
        Band("moderate", "Moderate withdrawal (13-24)", COWS_MODERATE, 24),
        Band("moderately_severe", "Moderately severe withdrawal (25-36)", 25, 36),
        Band("severe", "Severe withdrawal (over 36)", 37, 48),
    ),
    flags=(
        Flag(
            "withdrawal_risk",
            "COWS of 13 or more: withdrawal management is needed.",
            lambda answers, total, band: total is not None and total >= COWS_MODERATE,
        ),
    ),
    rate=sum_of_items,
)
