"""The referral-to-admission workflow. Each service validates, changes and
audits in one transaction; scoring is delegated to screening.instruments.

referrals: registering a referral; screenings: the visit, its ratings,
addenda and co-signature; administrations: instruments given and the safety
flags they raise; decisions: completing (signing) a screening and acting on
its decision.
"""

from screening.instruments import InstrumentValidationError
from screening.services.administrations import (
    administration_record,
    safety_flag_address,
    safety_flag_raise,
)
from screening.services.decisions import screening_complete
from screening.services.referrals import referral_register
from screening.services.screenings import (
    screening_addendum_add,
    screening_cosign,
    screening_rate_dimensions,
    screening_refresh_recommendation,
    screening_start,
)

__all__ = [
    "InstrumentValidationError",
    "administration_record",
    "referral_register",
    "safety_flag_address",
    "safety_flag_raise",
    "screening_addendum_add",
    "screening_complete",
    "screening_cosign",
    "screening_rate_dimensions",
    "screening_refresh_recommendation",
    "screening_start",
]
