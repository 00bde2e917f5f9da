"""DAST-10, the ten-item Drug Abuse Screening Test.

Source: Skinner HA. The Drug Abuse Screening Test. Addict Behav
1982;7(4):363-371; ten-item version and its bands from the DAST-10 guide,
(c) 1982 Harvey A. Skinner, PhD, and the Centre for Addiction and Mental
Health, Toronto. Item wording below is our own short paraphrase.
"""

from __future__ import annotations

from .base import Band, Instrument, Item, sum_of_items, yes_no

DAST_10 = Instrument(
    code="DAST-10",
    name="Drug Abuse Screening Test (10 items)",
    version="DAST-10 (Skinner 1982)",
    source=(
        "Skinner HA. The Drug Abuse Screening Test. Addict Behav 1982;7(4):363-371. "
        "DAST-10 (c) 1982 Harvey A. Skinner, PhD, and the Centre for Addiction and "
        "Mental Health, Toronto."
    ),
    licence="Free for non-commercial use with attribution.",
    attribution=(
        "DAST-10 (c) 1982 Harvey A. Skinner, PhD, and the Centre for Addiction "
        "and Mental Health, Toronto. Used with attribution for non-commercial "
        "clinical care."
    ),
    prompt=(
        "These questions are about your use of drugs in the past 12 months, not "
        "counting alcohol or medicines taken as prescribed."
    ),
    items=(
        Item("1", "Have you used drugs other than those needed for medical reasons?", yes_no()),
        Item("2", "Do you use more than one drug at a time?", yes_no()),
        # The one reversed item: being unable to stop is the problem, so
        # "no" scores the point (Skinner 1982).
        Item(
            "3",
            "Are you always able to stop using drugs when you want to?",
            yes_no(yes=0, no=1),
        ),
        Item("4", "Have you had blackouts or flashbacks from drug use?", yes_no()),
        Item("5", "Do you ever feel bad or guilty about your drug use?", yes_no()),
        Item(
            "6",
            "Does your spouse or a parent ever complain about your drug use?",
            yes_no(),
        ),
        Item("7", "Have you neglected your family because of drug use?", yes_no()),
        Item("8", "Have you done something illegal to get drugs?", yes_no()),
        Item(
            "9",
            "Have you had withdrawal symptoms or felt sick when you stopped using drugs?",
            yes_no(),
        ),
        Item(
            "10",
            "Has drug use caused you medical problems (such as memory loss, "
            "hepatitis, seizures or bleeding)?",
            yes_no(),
        ),
    ),
    scoring="One point for each yes, except item 3, where no scores the point (0-10).",
    bands=(
        Band("none", "No problems reported", 0, 0),
        Band("low", "Low level", 1, 2),
        Band("moderate", "Moderate level", 3, 5),
        Band("substantial", "Substantial level", 6, 8),
        Band("severe", "Severe level", 9, 10),
    ),
    flags=(),
    rate=sum_of_items,
)
