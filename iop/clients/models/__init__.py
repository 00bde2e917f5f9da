"""The clinical record's models, one module per responsibility."""

from iop.clients.models.appointments import Appointment
from iop.clients.models.records import (
    CaseloadAssignment,
    Client,
    Episode,
    LevelOfCare,
)
from iop.clients.notes import NoteAddendum

__all__ = [
    "Appointment",
    "CaseloadAssignment",
    "Client",
    "Episode",
    "LevelOfCare",
    "NoteAddendum",
]
