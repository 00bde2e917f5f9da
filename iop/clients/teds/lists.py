"""The admission and discharge lists screening and aftercare record:
referral source, substances, employment, living arrangement, education,
self-help attendance and the service (SERVICES) from the level of care."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from iop.clients.models.records import LevelOfCare
from iop.clients.teds.codebook import Codes


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
    {
        1: "Individual (includes self-referral)",
        2: "Alcohol/drug use care provider",
        3: "Other health care provider",
        4: "School (educational)",
        5: "Employer/EAP",
        6: "Other community referral",
        7: "Court/criminal justice referral/DUI/DWI",
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
    {1: "Full-time", 2: "Part-time", 3: "Unemployed", 4: "Not in labor force"},
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
    {1: "Homeless", 2: "Dependent living", 3: "Independent living"},
)


class Education(models.TextChoices):
    GRADE_8_OR_LESS = "grade_8", _("Grade 8 or less")
    # Answers recorded before "grade 8 or less" was offered read "less than
    # high school"; they keep this value and code 2.
    BELOW_HIGH_SCHOOL = "below_hs", _("Grades 9 to 11")
    HIGH_SCHOOL = "hs", _("High school diploma or GED")
    SOME_COLLEGE = "some_college", _("Some college or associate degree")
    BACHELOR = "bachelor", _("Bachelor's degree or higher")


EDUC = Codes(
    "EDUC",
    Education,
    {
        Education.GRADE_8_OR_LESS: 1,
        Education.BELOW_HIGH_SCHOOL: 2,
        Education.HIGH_SCHOOL: 3,
        Education.SOME_COLLEGE: 4,
        Education.BACHELOR: 5,
    },
    {
        1: "Less than one school grade, no schooling, nursery school, or kindergarten to grade 8",
        2: "Grades 9 to 11",
        3: "Grade 12 (or GED)",
        4: "1-3 years of college, university, or vocational school",
        5: "4 years of college, university, BA/BS, some postgraduate study, or more",
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
    {
        1: "None",
        2: "Alcohol",
        3: "Cocaine/crack",
        4: "Marijuana/hashish",
        5: "Heroin",
        6: "Non-prescription methadone",
        7: "Other opiates and synthetics",
        8: "PCP",
        9: "Hallucinogens",
        10: "Methamphetamine/speed",
        11: "Other amphetamines",
        12: "Other stimulants",
        13: "Benzodiazepines",
        14: "Other tranquilizers",
        15: "Barbiturates",
        16: "Other sedatives or hypnotics",
        17: "Inhalants",
        18: "Over-the-counter medications",
        19: "Other drugs",
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
    {
        1: "Oral",
        2: "Smoking",
        3: "Inhalation",
        4: "Injection (intravenous, intramuscular, intradermal, or subcutaneous)",
        5: "Other",
    },
)


class Frequency(models.TextChoices):
    NONE = "none", _("No use in the past month")
    MONTHLY = "1_3_month", _("1–3 times in the past month")
    WEEKLY = "1_2_week", _("1–2 times a week")
    MOST_DAYS = "3_6_week", _("3–6 times a week")
    DAILY = "daily", _("Daily")


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
    {1: "No use in the past month", 2: "Some use", 3: "Daily use"},
)


class MutualHelp(models.TextChoices):
    # Attendance at self-help (mutual-help) groups in the past 30 days:
    # at admission (Demographics) and at discharge (the discharge summary).
    NONE = "none", _("No attendance")
    FEW = "1_3", _("1–3 times")
    SOME = "4_7", _("4–7 times")
    OFTEN = "8_30", _("8–30 times")
    DAILY = "daily", _("Daily or more")
    UNKNOWN_FREQUENCY = "some", _("Some attendance, frequency unknown")


SELF_HELP = Codes(
    "FREQ_ATND_SELF_HELP",
    MutualHelp,
    {
        MutualHelp.NONE: 1,
        MutualHelp.FEW: 2,
        MutualHelp.SOME: 3,
        MutualHelp.OFTEN: 4,
        MutualHelp.DAILY: 4,
        MutualHelp.UNKNOWN_FREQUENCY: 5,
    },
    {
        1: "No attendance",
        2: "1-3 times in the past month",
        3: "4-7 times in the past month",
        4: "8-30 times in the past month",
        5: "Some attendance, frequency is unknown",
    },
)

# TEDS SERVICES (and SERVICES_D), from the episode's ASAM level of care
# (LevelOfCare, kept with the episode: it is ASAM's list, not TEDS'). An IOP
# at level 2.1 and partial hospitalisation at 2.5 are "ambulatory, intensive
# outpatient" (6); level 1.0 is "ambulatory, non-intensive outpatient" (7).
# The residential and inpatient levels are not admitted to by an IOP
# (screening refers out to them): they have no code here.
SERVICES = Codes(
    "SERVICES",
    LevelOfCare,
    {
        LevelOfCare.OUTPATIENT: 7,
        LevelOfCare.INTENSIVE_OUTPATIENT: 6,
        LevelOfCare.PARTIAL_HOSPITALIZATION: 6,
    },
    {
        1: "Detox, 24-hour, hospital inpatient",
        2: "Detox, 24-hour, free-standing residential",
        3: "Rehab/residential, hospital (non-detox)",
        4: "Rehab/residential, short term (30 days or fewer)",
        5: "Rehab/residential, long term (more than 30 days)",
        6: "Ambulatory, intensive outpatient",
        7: "Ambulatory, non-intensive outpatient",
        8: "Ambulatory, detoxification",
    },
    unmapped=frozenset(
        {
            LevelOfCare.RESIDENTIAL_CLINICAL,
            LevelOfCare.RESIDENTIAL_MEDICAL,
            LevelOfCare.INPATIENT,
        }
    ),
)
