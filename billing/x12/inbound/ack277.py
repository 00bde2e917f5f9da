"""The 277CA claim acknowledgement (005010X214): the payer's or the
clearinghouse's word on each claim of a batch, before adjudication.

Each claim is a loop 2200D under its patient (HL code PT): TRN*2 echoes our
patient control number (CLM01), STC01 says category:status[:entity], REF*1K
carries the payer's claim control number.

Claim Status Category Codes (X12 external code source 507) and Claim
Status Codes (source 508), as published by X12 (x12.org/codes) and listed
with their descriptions in the hippo gem's code lists
(rubydoc.info/gems/hippo/Hippo/CodeLists/ClaimStatusCategoryCodes). The A
categories are acknowledgements: A0 forwarded, A1 received, A2 accepted
into adjudication are acceptances; A3 returned as unprocessable, A4 not
found, A6 rejected for missing information, A7 rejected for invalid
information, A8 rejected for relational field in error are rejections."""

from dataclasses import dataclass, field

from billing.x12.inbound.reader import X12File, value

CATEGORIES = {
    "A0": "Acknowledgement/Forwarded: the claim has been forwarded to another entity",
    "A1": "Acknowledgement/Receipt: the claim has been received",
    "A2": "Acknowledgement/Acceptance into adjudication system",
    "A3": "Acknowledgement/Returned as unprocessable claim: rejected, not entered "
    "into the adjudication system",
    "A4": "Acknowledgement/Not Found: the claim cannot be found in the adjudication system",
    "A5": "Acknowledgement/Split Claim",
    "A6": "Acknowledgement/Rejected for Missing Information",
    "A7": "Acknowledgement/Rejected for Invalid Information",
    "A8": "Acknowledgement/Rejected for relational field in error",
}
ACCEPTED_CATEGORIES = ("A0", "A1", "A2", "A5")
# The claim status codes our files and the payer simulator use.
STATUS_CODES = {
    "19": "Entity acknowledges receipt of claim/encounter.",
    "20": "Accepted for processing.",
    "21": "Missing or invalid information.",
    "35": "Claim/encounter not found.",
    "187": "Date(s) of service.",
}


@dataclass
class ClaimAck:
    patient_control_number: str  # TRN02 of loop 2200D
    statuses: list[tuple[str, str, str]] = field(default_factory=list)  # (category, status, entity)
    payer_claim_number: str = ""  # REF*1K

    @property
    def accepted(self) -> bool:
        return bool(self.statuses) and all(
            category in ACCEPTED_CATEGORIES for category, _s, _e in self.statuses
        )

    @property
    def codes(self) -> str:
        return " ".join(":".join(part for part in status if part) for status in self.statuses)

    def reason(self) -> str:
        parts = []
        for category, status, _entity in self.statuses:
            text = CATEGORIES.get(category, f"category {category}")
            if status:
                text += f" ({STATUS_CODES.get(status, f'status code {status}')})"
            parts.append(text)
        return "; ".join(parts)


def _status(seg, ref: str) -> tuple[str, str, str]:
    return (value(seg, f"{ref}-1"), value(seg, f"{ref}-2"), value(seg, f"{ref}-3"))


def ack277_parse(x12: X12File) -> list[ClaimAck]:
    """The claims acknowledged, in file order."""
    claims: list[ClaimAck] = []
    level = ""
    current: ClaimAck | None = None
    for seg in x12.segments:
        seg_id = seg.get_seg_id()
        if seg_id == "HL":
            level = value(seg, "HL03")
            current = None
        elif seg_id == "TRN" and level == "PT" and value(seg, "TRN01") == "2":
            current = ClaimAck(patient_control_number=value(seg, "TRN02"))
            claims.append(current)
        elif seg_id == "STC" and current is not None:
            # STC01 is the status; STC10 and STC11 may carry two more.
            for ref in ("STC01", "STC10", "STC11"):
                status = _status(seg, ref)
                if status[0]:
                    current.statuses.append(status)
        elif seg_id == "REF" and current is not None and value(seg, "REF01") == "1K":
            current.payer_claim_number = value(seg, "REF02")
        elif seg_id == "SVC":
            # Service line statuses (loop 2220D) are not the claim's.
            current = None
    return claims
