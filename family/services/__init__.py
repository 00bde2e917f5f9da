"""The family app's writes, one module per sub-domain."""

from family.services.consents import (
    consent_event_occurred,
    consent_record,
    consent_revoke,
    release_of_information_export,
)
from family.services.members import (
    family_member_add,
    family_member_link,
    family_member_update,
)
from family.services.participation import (
    conjoint_attendees_set,
    family_attendance_record,
    roster_disclosures_record,
)

__all__ = [
    "conjoint_attendees_set",
    "consent_event_occurred",
    "consent_record",
    "consent_revoke",
    "family_attendance_record",
    "family_member_add",
    "family_member_link",
    "family_member_update",
    "release_of_information_export",
    "roster_disclosures_record",
]
