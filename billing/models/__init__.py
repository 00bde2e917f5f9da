from billing.models.authorizations import Authorization, UtilizationReview
from billing.models.charges import Charge, ChargeEvidence
from billing.models.claims import Claim, ClaimBatch, ClaimLine
from billing.models.coverage import Coverage, CoverageVerification
from billing.models.payers import FeeRate, Payer
from billing.models.remittances import (
    AdjustmentReason,
    ClaimPayment,
    ClaimStatusEvent,
    Denial,
    InboundFile,
    Posting,
    Remittance,
)

__all__ = [
    "AdjustmentReason",
    "Authorization",
    "Charge",
    "ChargeEvidence",
    "Claim",
    "ClaimBatch",
    "ClaimLine",
    "ClaimPayment",
    "ClaimStatusEvent",
    "Coverage",
    "CoverageVerification",
    "Denial",
    "FeeRate",
    "InboundFile",
    "Payer",
    "Posting",
    "Remittance",
    "UtilizationReview",
]
