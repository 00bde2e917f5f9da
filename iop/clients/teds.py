"""The Treatment Episode Data Set's choice lists and their codes, in one
module: screening records them at referral (TEDS-A, admission), aftercare at
discharge (TEDS-D), and the dashboard's TEDS export writes their codes.

Source: SAMHSA, Treatment Episode Data Set (TEDS) State Instruction Manual,
and the TEDS-A (admissions) and TEDS-D (discharges) codebooks, for the items
PSOURCE, SUB1-3, ROUTE1-3, FREQ1-3, EMPLOY (EMPLOY_D), LIVARAG (LIVARAG_D),
EDUC, SERVICES and FREQ_ATND_SELF_HELP_D (DOMAIN.md section 12). The
discharge reason (REASON) is Episode.DischargeReason, whose values are the
codes themselves.

Each list is a TextChoices class whose values are what the forms post and
the database stores; beside it, its `Codes` map each value to the TEDS code
the export writes. A value that has no code is listed in `unmapped`, on
purpose, and exported as missing (-9). Changing a value needs a data
migration; changing a code changes only the export.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from iop.clients.models import LevelOfCare

# TEDS: the value is missing or was not collected.
MISSING = -9


@dataclass(frozen=True)
class Codes:
    """The TEDS codes of one choice list, for the item `item`."""

    item: str
    choices: type[models.Choices]
    codes: Mapping[str, int]
    # Values with no TEDS code on purpose: exported as MISSING.
    unmapped: frozenset[str] = field(default_factory=frozenset)

    def code(self, value) -> int:
        """The TEDS code of a stored value; MISSING for a blank or unmapped one."""
        return self.codes.get(value, MISSING)


class ReferralSource(models.TextChoices):
    # TEDS referral source categories.
    SELF = "self", _("Individual (includes self-referral)")
    SUD_PROVIDER = "sud_provider", _("Alcohol/drug use care provider")
    HEALTH_PROVIDER = "health_provider", _("Other health care provider")
    SCHOOL = "school", _("School (educational)")
    EMPLOYER = "employer", _("Employer / EAP")
    COMMUNITY = "community", _("Other community referral")
    JUSTICE = "justice", _("Court / criminal justice / DUI")


PSOURCE = Codes(
    "PSOURCE",
    ReferralSource,
    {
        ReferralSource.SELF: 1,
        ReferralSource.SUD_PROVIDER: 2,
        ReferralSource.HEALTH_PROVIDER: 3,
        ReferralSource.SCHOOL: 4,
        ReferralSource.EMPLOYER: 5,
        ReferralSource.COMMUNITY: 6,
        ReferralSource.JUSTICE: 7,
    },
)


class Employment(models.TextChoices):
    """At admission (the referral) and at discharge (the discharge summary)."""

    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    UNEMPLOYED = "unemployed", _("Unemployed")
    NOT_IN_LABOR_FORCE = "not_in_labor_force", _("Not in labor force")


EMPLOY = Codes(
    "EMPLOY",
    Employment,
    {
        Employment.FULL_TIME: 1,
        Employment.PART_TIME: 2,
        Employment.UNEMPLOYED: 3,
        Employment.NOT_IN_LABOR_FORCE: 4,
    },
)


class Living(models.TextChoices):
    """At admission (the referral) and at discharge (the discharge summary)."""

    HOMELESS = "homeless", _("Homeless")
    DEPENDENT = "dependent", _("Dependent living")
    INDEPENDENT = "independent", _("Independent living")


LIVARAG = Codes(
    "LIVARAG",
    Living,
    {Living.HOMELESS: 1, Living.DEPENDENT: 2, Living.INDEPENDENT: 3},
)


class Education(models.TextChoices):
    BELOW_HIGH_SCHOOL = "below_hs", _("Less than high school")
    HIGH_SCHOOL = "hs", _("High school diploma or GED")
    SOME_COLLEGE = "some_college", _("Some college or associate degree")
    BACHELOR = "bachelor", _("Bachelor's degree or higher")


# TEDS EDUC: 1 <=8 years, 2 9-11, 3 12 or GED, 4 13-15, 5 16 or more. The
# codes are those exported so far; checking them against the codebook
# (which code "less than high school" takes) is a change of its own.
EDUC = Codes(
    "EDUC",
    Education,
    {
        Education.BELOW_HIGH_SCHOOL: 2,
        Education.HIGH_SCHOOL: 3,
        Education.SOME_COLLEGE: 4,
        Education.BACHELOR: 5,
    },
)


class Substance(models.TextChoices):
    """Primary, secondary and tertiary substance at referral."""

    ALCOHOL = "alcohol", _("Alcohol")
    COCAINE = "cocaine", _("Cocaine / crack")
    MARIJUANA = "marijuana", _("Marijuana / hashish")
    HEROIN = "heroin", _("Heroin")
    METHADONE = "methadone", _("Non-prescription methadone")
    OPIOIDS = "opioids", _("Other opiates and synthetics (incl. fentanyl)")
    PCP = "pcp", _("PCP")
    HALLUCINOGENS = "hallucinogens", _("Hallucinogens")
    METHAMPHETAMINE = "methamphetamine", _("Methamphetamine")
    AMPHETAMINES = "amphetamines", _("Other amphetamines")
    STIMULANTS = "stimulants", _("Other stimulants")
    BENZODIAZEPINES = "benzodiazepines", _("Benzodiazepines")
    SEDATIVES = "sedatives", _("Other sedatives, hypnotics, tranquilizers")
    INHALANTS = "inhalants", _("Inhalants")
    OTC = "otc", _("Over-the-counter medications")
    OTHER = "other", _("Other")


# TEDS SUB: 1 is "none", written for a secondary or tertiary substance the
# referral does not name (iop.dashboard.teds).
SUB_NONE = 1
SUB = Codes(
    "SUB",
    Substance,
    {
        Substance.ALCOHOL: 2,
        Substance.COCAINE: 3,
        Substance.MARIJUANA: 4,
        Substance.HEROIN: 5,
        Substance.METHADONE: 6,
        Substance.OPIOIDS: 7,
        Substance.PCP: 8,
        Substance.HALLUCINOGENS: 9,
        Substance.METHAMPHETAMINE: 10,
        Substance.AMPHETAMINES: 11,
        Substance.STIMULANTS: 12,
        Substance.BENZODIAZEPINES: 13,
        Substance.SEDATIVES: 16,
        Substance.INHALANTS: 17,
        Substance.OTC: 18,
        Substance.OTHER: 19,
    },
)


class Route(models.TextChoices):
    ORAL = "oral", _("Oral")
    SMOKING = "smoking", _("Smoking")
    INHALATION = "inhalation", _("Inhalation")
    INJECTION = "injection", _("Injection")
    OTHER = "other", _("Other")


ROUTE = Codes(
    "ROUTE",
    Route,
    {Route.ORAL: 1, Route.SMOKING: 2, Route.INHALATION: 3, Route.INJECTION: 4, Route.OTHER: 5},
)


class Frequency(models.TextChoices):
    NONE = "none", _("No use in the past month")
    MONTHLY = "1_3_month", _("1–3 times in the past month")
    WEEKLY = "1_2_week", _("1–2 times a week")
    MOST_DAYS = "3_6_week", _("3–6 times a week")
    DAILY = "daily", _("Daily")


# TEDS FREQ: 1 no use in the past month, 2 some use, 3 daily use.
FREQ = Codes(
    "FREQ",
    Frequency,
    {
        Frequency.NONE: 1,
        Frequency.MONTHLY: 2,
        Frequency.WEEKLY: 2,
        Frequency.MOST_DAYS: 2,
        Frequency.DAILY: 3,
    },
)


class MutualHelp(models.TextChoices):
    # TEDS frequency of attendance at self-help programs, past 30 days.
    NONE = "none", _("No attendance")
    FEW = "1_3", _("1–3 times")
    SOME = "4_7", _("4–7 times")
    OFTEN = "8_30", _("8–30 times")
    DAILY = "daily", _("Daily or more")


# TEDS-D FREQ_ATND_SELF_HELP: 1 none, 2 1-3 times, 3 4-7, 4 8-30 in the past month.
SELF_HELP = Codes(
    "FREQ_ATND_SELF_HELP",
    MutualHelp,
    {
        MutualHelp.NONE: 1,
        MutualHelp.FEW: 2,
        MutualHelp.SOME: 3,
        MutualHelp.OFTEN: 4,
        MutualHelp.DAILY: 4,
    },
)

# TEDS SERVICES, from the episode's ASAM level of care (LevelOfCare, kept with
# the episode: it is ASAM's list, not TEDS'). The codes are those exported so
# far: 7 for intensive, 8 for non-intensive outpatient; DOMAIN.md section 12
# reads 6 and 7, and checking them against the codebook is a change of its
# own. The residential and inpatient levels are not admitted to by an IOP
# (screening refers out to them): they have no code here.
SERVICES = Codes(
    "SERVICES",
    LevelOfCare,
    {
        LevelOfCare.OUTPATIENT: 8,
        LevelOfCare.INTENSIVE_OUTPATIENT: 7,
        LevelOfCare.PARTIAL_HOSPITALIZATION: 7,
    },
    unmapped=frozenset(
        {
            LevelOfCare.RESIDENTIAL_CLINICAL,
            LevelOfCare.RESIDENTIAL_MEDICAL,
            LevelOfCare.INPATIENT,
        }
    ),
)

# Every list's codes, for the export's documentation and its tests.
CODES = (PSOURCE, SUB, ROUTE, FREQ, EMPLOY, LIVARAG, EDUC, SERVICES, SELF_HELP)
