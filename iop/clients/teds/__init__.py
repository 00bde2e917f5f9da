"""The Treatment Episode Data Set's choice lists, their codes and the
codebook's value labels, in one package: screening records them at referral
(TEDS-A, admission), the chart and intake record the demographics, aftercare
records the discharge (TEDS-D), and the dashboard's TEDS export writes the
codes (iop.dashboard.teds); the README's table of TEDS columns is generated
from here (manage.py teds_columns).

Sources (SAMHSA, Center for Behavioral Health Statistics and Quality):
- Treatment Episode Data Set - Admissions (TEDS-A) 2020 public-use file
  codebook (datafiles.samhsa.gov, TEDS-A-2020-DS0001): the items and value
  labels of GENDER, RACE, ETHNIC, MARSTAT, EDUC, EMPLOY, DETNLF, PREG, VET,
  LIVARAG, PRIMINC, ARRESTS, SERVICES, METHUSE, PSOURCE, NOPRIOR, SUB1-3,
  ROUTE1-3, FREQ1-3, DSMCRIT, HLTHINS, PRIMPAY, FREQ_ATND_SELF_HELP;
- Treatment Episode Data Set - Discharges (TEDS-D) 2016 codebook: REASON,
  LOS and the discharge items (SERVICES_D, EMPLOY_D, LIVARAG_D, ARRESTS_D,
  FREQ1_D, FREQ_ATND_SELF_HELP_D) with the admission items' labels;
- TEDS State Instruction Manual with the STSS Guide, version 3.2 (May 2014):
  the System, Minimum and Supplemental Data Sets (transaction type, provider
  and client identifiers, dates) and -9 for missing.

Each list is a TextChoices class whose values are what the forms post and
the database stores; beside it, its `Codes` map each value to the TEDS code
the export writes, with the codebook's labels. A value that has no code is
listed in `unmapped`, on purpose, and exported as missing (-9). Changing a
value needs a data migration; changing a code changes only the export.
"""

from iop.clients.teds.codebook import MISSING, Codes
from iop.clients.teds.demographics import (
    ARRESTS,
    DECLINED,
    DETNLF,
    ETHNIC,
    HLTHINS,
    MARSTAT,
    NOT_ANSWERED,
    PREG,
    PRIMINC,
    PRIMPAY,
    RACE,
    SEX,
    UNKNOWN,
    VET,
    Arrests,
    Ethnicity,
    HealthInsurance,
    IncomeSource,
    MaritalStatus,
    NotInLaborForce,
    PaymentSource,
    Race,
    YesNo,
    race_code,
)
from iop.clients.teds.diagnosis import DSMCRIT_LABELS, dsmcrit
from iop.clients.teds.lists import (
    EDUC,
    EMPLOY,
    FREQ,
    LIVARAG,
    PSOURCE,
    ROUTE,
    SELF_HELP,
    SERVICES,
    SUB,
    SUB_NONE,
    Education,
    Employment,
    Frequency,
    LevelOfCare,
    Living,
    MutualHelp,
    ReferralSource,
    Route,
    Substance,
)

# Every list's codes, for the export's documentation and its tests.
CODES = (
    PSOURCE,
    SUB,
    ROUTE,
    FREQ,
    EMPLOY,
    LIVARAG,
    EDUC,
    SERVICES,
    SELF_HELP,
    SEX,
    RACE,
    ETHNIC,
    MARSTAT,
    HLTHINS,
    PRIMPAY,
    PRIMINC,
    DETNLF,
    ARRESTS,
    VET,
    PREG,
)

__all__ = [
    "ARRESTS",
    "CODES",
    "DECLINED",
    "DETNLF",
    "DSMCRIT_LABELS",
    "EDUC",
    "EMPLOY",
    "ETHNIC",
    "FREQ",
    "HLTHINS",
    "LIVARAG",
    "MARSTAT",
    "MISSING",
    "NOT_ANSWERED",
    "PREG",
    "PRIMINC",
    "PRIMPAY",
    "PSOURCE",
    "RACE",
    "ROUTE",
    "SELF_HELP",
    "SERVICES",
    "SEX",
    "SUB",
    "SUB_NONE",
    "UNKNOWN",
    "VET",
    "Arrests",
    "Codes",
    "Education",
    "Employment",
    "Ethnicity",
    "Frequency",
    "HealthInsurance",
    "IncomeSource",
    "LevelOfCare",
    "Living",
    "MaritalStatus",
    "MutualHelp",
    "NotInLaborForce",
    "PaymentSource",
    "Race",
    "ReferralSource",
    "Route",
    "Substance",
    "YesNo",
    "dsmcrit",
    "race_code",
]
