"""The codes a charge carries out of the program: procedure codes (HCPCS
Level II and CPT), modifiers and places of service (DOMAIN.md section 13).

Sources: HCPCS Level II codes and modifiers from CMS's HCPCS quarterly
update file (www.cms.gov/medicare/coding-billing/healthcare-common-procedure-system);
CPT codes from the AMA's CPT code set, with descriptions in our own short
words (the AMA's descriptors are licensed); places of service from CMS's
Place of Service Code Set (www.cms.gov/medicare/coding-billing/place-of-service-codes).

Checked: the modifiers' meanings against the HCPCS Level II modifier list
(HQ group setting, HF substance abuse program, HP/HO/HN/HM by degree level:
doctoral, master's, bachelor's, less than bachelor's,
GT interactive audio and video, 95 synchronous telemedicine, as CPT
Appendix P and CMS's telehealth list use it); the places of service against
CMS's code set and CMS Transmittal 11045 (Change Request 12427, effective
January 1, 2022), which created POS 10 and renamed POS 02.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from iop.accounts.models import DegreeLevel


class UnitBasis(models.TextChoices):
    # How a service's minutes become units.
    PER_DIEM = "per_diem", _("Per day")
    PER_SESSION = "per_session", _("Per session")
    PER_15_MINUTES = "per_15", _("Per 15 minutes (8-minute rule)")
    BY_TIME_BAND = "time_band", _("One code per time band")
    PER_TEST = "per_test", _("Per test or collection")


@dataclass(frozen=True)
class ProcedureCode:
    code: str
    description: str
    basis: str


PROCEDURE_CODES = {
    entry.code: entry
    for entry in (
        ProcedureCode(
            "H0015",
            _("Alcohol and/or drug services; intensive outpatient, per diem"),
            UnitBasis.PER_DIEM,
        ),
        ProcedureCode(
            "H0005", _("Alcohol and/or drug services; group counseling"), UnitBasis.PER_SESSION
        ),
        ProcedureCode(
            "H0004",
            _("Behavioral health counseling and therapy, per 15 minutes"),
            UnitBasis.PER_15_MINUTES,
        ),
        ProcedureCode("H0001", _("Alcohol and/or drug assessment"), UnitBasis.PER_SESSION),
        ProcedureCode(
            "H0048", _("Alcohol and/or other drug testing: specimen collection"), UnitBasis.PER_TEST
        ),
        ProcedureCode("90853", _("Group psychotherapy"), UnitBasis.PER_SESSION),
        ProcedureCode("90832", _("Psychotherapy, 30 minutes (16-37)"), UnitBasis.BY_TIME_BAND),
        ProcedureCode("90834", _("Psychotherapy, 45 minutes (38-52)"), UnitBasis.BY_TIME_BAND),
        ProcedureCode("90837", _("Psychotherapy, 60 minutes (53 or more)"), UnitBasis.BY_TIME_BAND),
        ProcedureCode("90791", _("Psychiatric diagnostic evaluation"), UnitBasis.PER_SESSION),
        ProcedureCode(
            "90846", _("Family psychotherapy without the patient"), UnitBasis.PER_SESSION
        ),
        ProcedureCode("90847", _("Family psychotherapy with the patient"), UnitBasis.PER_SESSION),
        ProcedureCode(
            "80305", _("Drug test, presumptive, read by direct observation"), UnitBasis.PER_TEST
        ),
    )
}

PROCEDURE_CODE_CHOICES = [
    (code, f"{code} {entry.description}") for code, entry in PROCEDURE_CODES.items()
]


class Modifier(models.TextChoices):
    HQ = "HQ", _("HQ Group setting")
    HF = "HF", _("HF Substance abuse program")
    TELEHEALTH_95 = "95", _("95 Synchronous telemedicine")
    GT = "GT", _("GT Interactive audio and video telecommunication")
    HP = "HP", _("HP Doctoral level")
    HO = "HO", _("HO Master's degree level")
    HN = "HN", _("HN Bachelor's degree level")
    HM = "HM", _("HM Less than bachelor's degree level")


# A clinician's degree level (accounts.User.degree_level) -> its modifier.
DEGREE_MODIFIERS = {
    DegreeLevel.DOCTORAL: Modifier.HP,
    DegreeLevel.MASTERS: Modifier.HO,
    DegreeLevel.BACHELORS: Modifier.HN,
    DegreeLevel.BELOW_BACHELORS: Modifier.HM,
}


class PlaceOfService(models.TextChoices):
    OFFICE = "11", _("11 Office")
    TELEHEALTH_ELSEWHERE = "02", _("02 Telehealth provided other than in patient's home")
    TELEHEALTH_HOME = "10", _("10 Telehealth provided in patient's home")
    SUD_FACILITY = "57", _("57 Non-residential substance abuse treatment facility")
