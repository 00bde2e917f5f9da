"""The demographic and social items recorded on an episode's Demographics
(iop.clients.models.demographics): race, ethnicity, marital status, health
insurance, payment source, income, detailed "not in labor force", arrests,
pregnancy and veteran status, and sex from the client's record.

Every list but sex ends with "client declined" and "unknown": an answer
staff record on purpose, exported as missing (-9) like a blank one, but no
longer counted as a missing item by the intake checklist."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from iop.clients.models.records import Client
from iop.clients.teds.codebook import MISSING, Codes, yes_no_labels

DECLINED = "declined"
UNKNOWN = "unknown"
NOT_ANSWERED = frozenset({DECLINED, UNKNOWN})


def _declined_unknown():
    return [(DECLINED, _("Client declined to answer")), (UNKNOWN, _("Unknown"))]


SEX = Codes(
    "GENDER",
    Client.Sex,
    {Client.Sex.MALE: 1, Client.Sex.FEMALE: 2},
    {1: "Male", 2: "Female"},
    unmapped=frozenset({Client.Sex.INTERSEX, Client.Sex.UNKNOWN}),
)


class Race(models.TextChoices):
    """One or more, by the OMB categories; American Indian or Alaska Native
    is asked as its two TEDS codes."""

    ALASKA_NATIVE = "alaska_native", _("Alaska Native (Aleut, Eskimo, Indian)")
    AMERICAN_INDIAN = "american_indian", _("American Indian (other than Alaska Native)")
    ASIAN = "asian", _("Asian")
    BLACK = "black", _("Black or African American")
    PACIFIC_ISLANDER = "pacific_islander", _("Native Hawaiian or Other Pacific Islander")
    WHITE = "white", _("White")
    OTHER = "other", _("Another race")
    DECLINED = DECLINED, _("Client declined to answer")
    UNKNOWN = UNKNOWN, _("Unknown")


RACE = Codes(
    "RACE",
    Race,
    {
        Race.ALASKA_NATIVE: 1,
        Race.AMERICAN_INDIAN: 2,
        Race.BLACK: 4,
        Race.WHITE: 5,
        Race.ASIAN: 6,
        Race.OTHER: 7,
        Race.PACIFIC_ISLANDER: 9,
    },
    {
        1: "Alaska Native (Aleut, Eskimo, Indian)",
        2: "American Indian (other than Alaska Native)",
        3: "Asian or Pacific Islander",
        4: "Black or African American",
        5: "White",
        6: "Asian",
        7: "Other single race",
        8: "Two or more races",
        9: "Native Hawaiian or Other Pacific Islander",
    },
    unmapped=NOT_ANSWERED,
)
RACE_TWO_OR_MORE = 8


def race_code(values) -> int:
    """RACE of the races recorded: one race its own code, two or more 8,
    none (or declined, unknown) missing. Code 3 (Asian or Pacific Islander)
    is the codebook's older combined category; OpenIOP asks them apart."""
    races = {value for value in values or () if value not in NOT_ANSWERED}
    if not races:
        return MISSING
    if len(races) > 1:
        return RACE_TWO_OR_MORE
    return RACE.code(races.pop())


class Ethnicity(models.TextChoices):
    PUERTO_RICAN = "puerto_rican", _("Puerto Rican")
    MEXICAN = "mexican", _("Mexican")
    CUBAN_OTHER = "cuban_other", _("Cuban or other specific Hispanic origin")
    NOT_HISPANIC = "not_hispanic", _("Not of Hispanic or Latino origin")
    HISPANIC = "hispanic", _("Hispanic or Latino, origin not specified")
    DECLINED = DECLINED, _("Client declined to answer")
    UNKNOWN = UNKNOWN, _("Unknown")


ETHNIC = Codes(
    "ETHNIC",
    Ethnicity,
    {
        Ethnicity.PUERTO_RICAN: 1,
        Ethnicity.MEXICAN: 2,
        Ethnicity.CUBAN_OTHER: 3,
        Ethnicity.NOT_HISPANIC: 4,
        Ethnicity.HISPANIC: 5,
    },
    {
        1: "Puerto Rican",
        2: "Mexican",
        3: "Cuban or other specific Hispanic",
        4: "Not of Hispanic or Latino origin",
        5: "Hispanic or Latino, specific origin not specified",
    },
    unmapped=NOT_ANSWERED,
)


class MaritalStatus(models.TextChoices):
    NEVER_MARRIED = "never_married", _("Never married")
    MARRIED = "married", _("Now married")
    SEPARATED = "separated", _("Separated")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")
    DECLINED = DECLINED, _("Client declined to answer")
    UNKNOWN = UNKNOWN, _("Unknown")


MARSTAT = Codes(
    "MARSTAT",
    MaritalStatus,
    {
        MaritalStatus.NEVER_MARRIED: 1,
        MaritalStatus.MARRIED: 2,
        MaritalStatus.SEPARATED: 3,
        MaritalStatus.DIVORCED: 4,
        MaritalStatus.WIDOWED: 4,
    },
    {1: "Never married", 2: "Now married", 3: "Separated", 4: "Divorced, widowed"},
    unmapped=NOT_ANSWERED,
)


class HealthInsurance(models.TextChoices):
    PRIVATE = "private", _("Private insurance, Blue Cross/Blue Shield, HMO")
    MEDICAID = "medicaid", _("Medicaid")
    MEDICARE = "medicare", _("Medicare")
    OTHER = "other", _("Other (e.g. TRICARE)")
    NONE = "none", _("None")
    DECLINED = DECLINED, _("Client declined to answer")
    UNKNOWN = UNKNOWN, _("Unknown")


HLTHINS = Codes(
    "HLTHINS",
    HealthInsurance,
    {
        HealthInsurance.PRIVATE: 1,
        HealthInsurance.MEDICAID: 2,
        HealthInsurance.MEDICARE: 3,
        HealthInsurance.OTHER: 3,
        HealthInsurance.NONE: 4,
    },
    {
        1: "Private insurance, Blue Cross/Blue Shield, HMO",
        2: "Medicaid",
        3: "Medicare, other (e.g. TRICARE, CHAMPUS)",
        4: "None",
    },
    unmapped=NOT_ANSWERED,
)


class PaymentSource(models.TextChoices):
    SELF_PAY = "self_pay", _("Self-pay")
    PRIVATE = "private", _("Private insurance (incl. workers' compensation)")
    MEDICARE = "medicare", _("Medicare")
    MEDICAID = "medicaid", _("Medicaid")
    OTHER_GOVERNMENT = "other_government", _("Other government payments")
    NO_CHARGE = "no_charge", _("No charge (free, charity, research, teaching)")
    OTHER = "other", _("Other")
    DECLINED = DECLINED, _("Client declined to answer")
    UNKNOWN = UNKNOWN, _("Unknown")


PRIMPAY = Codes(
    "PRIMPAY",
    PaymentSource,
    {
        PaymentSource.SELF_PAY: 1,
        PaymentSource.PRIVATE: 2,
        PaymentSource.MEDICARE: 3,
        PaymentSource.MEDICAID: 4,
        PaymentSource.OTHER_GOVERNMENT: 5,
        PaymentSource.NO_CHARGE: 6,
        PaymentSource.OTHER: 7,
    },
    {
        1: "Self-pay",
        2: "Private insurance (Blue Cross/Blue Shield, other health insurance, workers "
        "compensation)",
        3: "Medicare",
        4: "Medicaid",
        5: "Other government payments",
        6: "No charge (free, charity, special research, teaching)",
        7: "Other",
    },
    unmapped=NOT_ANSWERED,
)


class IncomeSource(models.TextChoices):
    WAGES = "wages", _("Wages or salary")
    PUBLIC_ASSISTANCE = "public_assistance", _("Public assistance")
    RETIREMENT_DISABILITY = "retirement_disability", _("Retirement, pension or disability")
    OTHER = "other", _("Other")
    NONE = "none", _("None")
    DECLINED = DECLINED, _("Client declined to answer")
    UNKNOWN = UNKNOWN, _("Unknown")


PRIMINC = Codes(
    "PRIMINC",
    IncomeSource,
    {
        IncomeSource.WAGES: 1,
        IncomeSource.PUBLIC_ASSISTANCE: 2,
        IncomeSource.RETIREMENT_DISABILITY: 3,
        IncomeSource.OTHER: 4,
        IncomeSource.NONE: 5,
    },
    {
        1: "Wages/salary",
        2: "Public assistance",
        3: "Retirement/pension, disability",
        4: "Other",
        5: "None",
    },
    unmapped=NOT_ANSWERED,
)


class NotInLaborForce(models.TextChoices):
    """Asked when employment is "not in labor force"."""

    HOMEMAKER = "homemaker", _("Homemaker")
    STUDENT = "student", _("Student")
    RETIRED_DISABLED = "retired_disabled", _("Retired or disabled")
    INSTITUTION = "institution", _("Resident of an institution")
    OTHER = "other", _("Other")
    DECLINED = DECLINED, _("Client declined to answer")
    UNKNOWN = UNKNOWN, _("Unknown")


DETNLF = Codes(
    "DETNLF",
    NotInLaborForce,
    {
        NotInLaborForce.HOMEMAKER: 1,
        NotInLaborForce.STUDENT: 2,
        NotInLaborForce.RETIRED_DISABLED: 3,
        NotInLaborForce.INSTITUTION: 4,
        NotInLaborForce.OTHER: 5,
    },
    {
        1: "Homemaker",
        2: "Student",
        3: "Retired, disabled",
        4: "Resident of institution",
        5: "Other",
    },
    unmapped=NOT_ANSWERED,
)


class Arrests(models.TextChoices):
    """Arrests in the past 30 days (at admission and at discharge)."""

    NONE = "none", _("None")
    ONCE = "once", _("Once")
    TWO_OR_MORE = "two_or_more", _("Two or more times")
    DECLINED = DECLINED, _("Client declined to answer")
    UNKNOWN = UNKNOWN, _("Unknown")


ARRESTS = Codes(
    "ARRESTS",
    Arrests,
    {Arrests.NONE: 0, Arrests.ONCE: 1, Arrests.TWO_OR_MORE: 2},
    {0: "None", 1: "Once", 2: "Two or more times"},
    unmapped=NOT_ANSWERED,
)


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    DECLINED = DECLINED, _("Client declined to answer")
    UNKNOWN = UNKNOWN, _("Unknown")


VET = Codes("VET", YesNo, {YesNo.YES: 1, YesNo.NO: 2}, yes_no_labels(), unmapped=NOT_ANSWERED)
PREG = Codes("PREG", YesNo, {YesNo.YES: 1, YesNo.NO: 2}, yes_no_labels(), unmapped=NOT_ANSWERED)
