"""What each point of a dimension's 0-4 rating means, shown beside the rating.

The scale is The ASAM Criteria's risk rating, 3rd edition (Mee-Lee D, ed.
The ASAM Criteria: Treatment Criteria for Addictive, Substance-Related, and
Co-Occurring Conditions. American Society of Addiction Medicine; 2013,
pp. 54-58): for each dimension, 0 is no current risk or problem and 4 is
severe risk needing immediate, intensive services, judged from the history
and the "here and now". The ASAM text is proprietary (DOMAIN.md section 4):
these anchors are our own short wording of each point, a reminder for the
screener, not the criteria themselves.
"""

from collections.abc import Mapping
from types import MappingProxyType

DIMENSION_ANCHORS: Mapping[str, tuple[str, str, str, str, str]] = MappingProxyType(
    {
        "D1": (
            "No intoxication or withdrawal now; stable on any addiction medication.",
            "Mild intoxication or withdrawal; copes with it, low risk of it getting worse.",
            "Some difficulty with withdrawal; moderate risk of complications, no danger now.",
            "Severe intoxication or withdrawal, or poor tolerance of it; needs close watching.",
            "Withdrawal dangerous now (seizure, delirium) or intoxication incapacitating.",
        ),
        "D2": (
            "No physical health problem, or one that is stable and looked after.",
            "A mild physical problem that gets in the way a little.",
            "A physical problem that needs regular medical care alongside treatment.",
            "A serious physical problem, poorly controlled; needs medical monitoring.",
            "A physical problem so severe it needs hospital care now.",
        ),
        "D3": (
            "No emotional, behavioural or cognitive problem, or one that is stable.",
            "Mild symptoms; coping and functioning mostly intact.",
            "Symptoms that get in the way of daily life or treatment; needs attention.",
            "Severe symptoms; risk to self or others is possible; needs close support.",
            "Severe symptoms with imminent danger to self or others; needs urgent care.",
        ),
        "D4": (
            "Engaged and committed to change; takes part willingly.",
            "Willing, with some ambivalence or doubt about the need to change.",
            "Ambivalent; takes little part, sees few problems in the use.",
            "Does not see a need to change; takes part only under pressure.",
            "Refuses treatment or change, with a risk of harm from continued use.",
        ),
        "D5": (
            "Low risk: has skills and supports to stay well, no cravings to speak of.",
            "Some risk: cravings or triggers, mostly managed with current skills.",
            "Moderate risk: little skill with cravings; use likely without support.",
            "High risk: frequent cravings, little control; use likely soon.",
            "Use is continuing or imminent, with danger, and no skill to stop it.",
        ),
        "D6": (
            "A home and people that support recovery.",
            "Some strain at home or work, with enough support to manage it.",
            "Little support; a home or circle that makes recovery harder.",
            "A home or circle that works against recovery (use, conflict, instability).",
            "An unsafe or chaotic setting, or homelessness, that puts the client in danger.",
        ),
    }
)
