"""The clinical record's models, one module per responsibility."""

from iop.clients.models.appointments import Appointment
from iop.clients.models.demographics import Demographics
from iop.clients.models.diagnoses import Diagnosis
from iop.clients.models.plans import (
    REVIEW_INTERVAL_DAYS,
    Goal,
    Intervention,
    Objective,
    Problem,
    TreatmentPlan,
)
from iop.clients.models.records import (
    CaseloadAssignment,
    Client,
    Episode,
    LevelOfCare,
)
from iop.clients.models.sessions import ServiceCode, SessionNote
from iop.clients.models.treatment import (
    DrugTest,
    DrugTestResult,
    Medication,
    MutualHelpMeeting,
    Substance,
)
from iop.clients.notes import NoteAddendum

__all__ = [
    "REVIEW_INTERVAL_DAYS",
    "Appointment",
    "CaseloadAssignment",
    "Client",
    "Diagnosis",
    "Demographics",
    "DrugTest",
    "DrugTestResult",
    "Episode",
    "Goal",
    "Intervention",
    "LevelOfCare",
    "Medication",
    "MutualHelpMeeting",
    "NoteAddendum",
    "Objective",
    "Problem",
    "ServiceCode",
    "SessionNote",
    "Substance",
    "TreatmentPlan",
]
