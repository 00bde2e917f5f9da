"""DSM-5-TR substance use disorders: the criteria, the severity they give and
the ICD-10-CM code the DSM-5-TR coding table assigns (DOMAIN.md section 11).
Pure functions, no database: `sud_diagnosis` is the rule a test checks
against the coding table, and the diagnosis form calls it.

Sources, checked when this module was written:
- The criteria, severity bands and remission specifiers: American Psychiatric
  Association, DSM-5-TR (2022), "Substance-Related and Addictive Disorders",
  criterion A of each use disorder (2 or more of 11 within 12 months; 2-3
  mild, 4-5 moderate, 6 or more severe), as reproduced e.g. by the BC Centre
  on Substance Use, "Appendix 2: DSM-5-TR Criteria for Opioid Use Disorder"
  (bccsu.helpjuice.com), with the note that tolerance and withdrawal are "not
  considered to be met for those taking opioids solely under appropriate
  medical supervision".
- Hallucinogen (phencyclidine and other) and inhalant use disorders list no
  withdrawal criterion: DSM-5-TR notes that withdrawal is not established
  for them (DSM-IV-TR text on hallucinogen dependence: "Withdrawal has not
  been demonstrated", dsm.wikia.org/wiki/Hallucinogen_Dependence).
- The codes: DSM-5-TR's coding table, which follows the APA "DSM-5 Update"
  supplement (psychiatryonline.org, October 2018: ICD-10-CM coding updates in
  force since 2017-10-01): mild F1x.10; moderate or severe F1x.20; mild in
  early or sustained remission F1x.11 (it was F1x.10 before that update);
  moderate or severe in remission F1x.21. Every code is checked against the
  shipped ICD-10-CM list by tests/clients/test_diagnosis_rule.py.
"""

from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubstanceClass(models.TextChoices):
    """The DSM-5-TR substance classes coded with F10-F19 (tobacco, F17, and
    caffeine are not among a program's use disorders here)."""

    ALCOHOL = "alcohol", _("Alcohol")
    OPIOID = "opioid", _("Opioid")
    CANNABIS = "cannabis", _("Cannabis")
    SEDATIVE = "sedative", _("Sedative, hypnotic or anxiolytic")
    COCAINE = "cocaine", _("Cocaine")
    STIMULANT = "stimulant", _("Amphetamine-type or other stimulant")
    HALLUCINOGEN = "hallucinogen", _("Hallucinogen (including phencyclidine)")
    INHALANT = "inhalant", _("Inhalant")
    OTHER = "other", _("Other (or unknown) substance")


# ICD-10-CM category of each class (DSM-5-TR coding table).
CATEGORY = {
    SubstanceClass.ALCOHOL: "F10",
    SubstanceClass.OPIOID: "F11",
    SubstanceClass.CANNABIS: "F12",
    SubstanceClass.SEDATIVE: "F13",
    SubstanceClass.COCAINE: "F14",
    SubstanceClass.STIMULANT: "F15",
    SubstanceClass.HALLUCINOGEN: "F16",
    SubstanceClass.INHALANT: "F18",
    SubstanceClass.OTHER: "F19",
}


class Criterion(models.TextChoices):
    """Criterion A of every DSM-5-TR substance use disorder, in its order."""

    LARGER_AMOUNTS = (
        "larger_amounts",
        _("Taken in larger amounts or over a longer period than intended"),
    )
    CUT_DOWN = "cut_down", _("Persistent desire or unsuccessful efforts to cut down or control use")
    TIME_SPENT = (
        "time_spent",
        _("Much time spent obtaining, using or recovering from the substance"),
    )
    CRAVING = "craving", _("Craving, or a strong desire or urge to use")
    ROLE_FAILURE = "role_failure", _("Recurrent use resulting in failure at work, school or home")
    SOCIAL_PROBLEMS = "social_problems", _("Continued use despite social or interpersonal problems")
    ACTIVITIES_GIVEN_UP = "activities_given_up", _("Important activities given up or reduced")
    HAZARDOUS_USE = "hazardous_use", _("Recurrent use in physically hazardous situations")
    USE_DESPITE_PROBLEMS = (
        "use_despite_problems",
        _("Continued use despite a physical or psychological problem it causes or worsens"),
    )
    TOLERANCE = "tolerance", _("Tolerance")
    WITHDRAWAL = "withdrawal", _("Withdrawal")


# Not counted when they occur only under appropriate medical supervision with
# prescribed medication (DSM-5-TR, the note under criteria 10 and 11).
PHYSIOLOGICAL = frozenset({Criterion.TOLERANCE, Criterion.WITHDRAWAL})

# Classes whose use disorder has no withdrawal criterion (10 criteria).
NO_WITHDRAWAL = frozenset({SubstanceClass.HALLUCINOGEN, SubstanceClass.INHALANT})


class Severity(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")


class Remission(models.TextChoices):
    # Early: 3 to 12 months with no criterion but craving; sustained: 12 months or more.
    EARLY = "early", _("In early remission")
    SUSTAINED = "sustained", _("In sustained remission")


class SudDiagnosis(NamedTuple):
    """What the checklist gives: no disorder is (None, None)."""

    severity: Severity | None
    icd10_code: str | None


def criteria_for(substance_class) -> tuple[Criterion, ...]:
    """The criteria a class's checklist asks, in DSM order."""
    klass = SubstanceClass(substance_class)
    return tuple(c for c in Criterion if not (c == Criterion.WITHDRAWAL and klass in NO_WITHDRAWAL))


def criteria_counted(substance_class, criteria_met, *, supervised_medication=False) -> int:
    """How many criteria count toward severity.

    Raises ValueError for an unknown class or criterion, or withdrawal for a
    class that has no withdrawal criterion (refused, never silently dropped).
    """
    klass = SubstanceClass(substance_class)
    met = {Criterion(c) for c in criteria_met}
    if Criterion.WITHDRAWAL in met and klass in NO_WITHDRAWAL:
        raise ValueError(f"{klass.label} use disorder has no withdrawal criterion")
    if supervised_medication:
        met -= PHYSIOLOGICAL
    return len(met)


def severity_for(count: int) -> Severity | None:
    """DSM-5-TR: 2-3 mild, 4-5 moderate, 6 or more severe; under 2, no disorder."""
    if count >= 6:
        return Severity.SEVERE
    if count >= 4:
        return Severity.MODERATE
    if count >= 2:
        return Severity.MILD
    return None


def code_for(substance_class, severity, *, remission=None) -> str:
    """The ICD-10-CM code of a use disorder of this class, severity and remission."""
    category = CATEGORY[SubstanceClass(substance_class)]
    mild = Severity(severity) == Severity.MILD
    in_remission = remission not in (None, "")
    if in_remission:
        Remission(remission)  # a ValueError for anything but early/sustained
    return f"{category}.{'1' if mild else '2'}{'1' if in_remission else '0'}"


def sud_diagnosis(
    substance_class, criteria_met, *, remission=None, supervised_medication=False
) -> SudDiagnosis:
    """Severity and ICD-10-CM code of a substance use disorder from its checklist.

    `criteria_met`: the Criterion values met (within 12 months; for a disorder
    in remission, those met when it was diagnosed). `remission`: None,
    "early" or "sustained". `supervised_medication`: tolerance and withdrawal
    occurred only under appropriate medical supervision with prescribed
    medication, so they are not counted.
    """
    count = criteria_counted(
        substance_class, criteria_met, supervised_medication=supervised_medication
    )
    if remission not in (None, ""):
        Remission(remission)
    severity = severity_for(count)
    if severity is None:
        return SudDiagnosis(None, None)
    return SudDiagnosis(severity, code_for(substance_class, severity, remission=remission))
