"""Writes to the clinical record, one module per responsibility. Each
service validates, changes and writes its audit row in one transaction."""

from iop.clients.services.demographics import demographics_missing, demographics_update
from iop.clients.services.records import (
    EMAIL_CONSENT_WORDING,
    SMS_CONSENT_WORDING,
    appointment_schedule,
    client_create,
    client_update,
    episode_admit,
    episode_assign_counselor,
    episode_discharge,
    episode_open_for_readmission,
    episode_return_to_intensive,
    episode_start_aftercare,
    mrn_next,
)

__all__ = [
    "EMAIL_CONSENT_WORDING",
    "SMS_CONSENT_WORDING",
    "appointment_schedule",
    "client_create",
    "client_update",
    "demographics_missing",
    "demographics_update",
    "episode_admit",
    "episode_assign_counselor",
    "episode_discharge",
    "episode_open_for_readmission",
    "episode_return_to_intensive",
    "episode_start_aftercare",
    "mrn_next",
]
