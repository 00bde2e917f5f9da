from billing.models.authorizations import Authorization, UtilizationReview
from billing.models.charges import Charge, ChargeEvidence
from billing.models.coverage import Coverage, CoverageVerification
from billing.models.payers import FeeRate, Payer

__all__ = [
    "Authorization",
    "Charge",
    "ChargeEvidence",
    "Coverage",
    "CoverageVerification",
    "FeeRate",
    "Payer",
    "UtilizationReview",
]
