"""The 999 implementation acknowledgement (005010X231A1): the receiver's
word on each functional group and transaction set we sent.

AK1 names our group by its control number (GS06, which our batches take
from ClaimBatch.control_number); AK2/IK5 answer each transaction set; IK3
and IK4 say which segment and element was wrong; AK9 answers the group.
The code lists are those of the guide's elements, as pyx12's map
999.5010X231.A1.xml lists them; their descriptions are X12's element code
lists (elements 620 IK304, 621 IK403, 717 IK501/AK901, 618 IK502, 716
AK905), as Stedi's X12 reference (stedi.com/edi/x12) and openx12's code
enums print them."""

from dataclasses import dataclass, field

from billing.x12.inbound.reader import X12File, value

ACCEPTED_CODES = ("A", "E")  # E: accepted, but errors were noted

# IK501 / AK901, Transaction Set (717) / Functional Group (715) Acknowledge Code.
ACK_CODES = {
    "A": "Accepted",
    "E": "Accepted but errors were noted",
    "M": "Rejected, message authentication code (MAC) failed",
    "P": "Partially accepted, at least one transaction set was rejected",
    "R": "Rejected",
    "W": "Rejected, assurance failed validity tests",
    "X": "Rejected, content after decryption could not be analyzed",
}
# IK304, Segment Syntax Error Code (620).
SEGMENT_ERRORS = {
    "1": "Unrecognized segment ID",
    "2": "Unexpected segment",
    "3": "Mandatory segment missing",
    "4": "Loop occurs over maximum times",
    "5": "Segment exceeds maximum use",
    "6": "Segment not in defined transaction set",
    "7": "Segment not in proper sequence",
    "8": "Segment has data element errors",
    "I4": "Implementation 'not used' segment present",
    "I6": "Implementation dependent segment missing",
    "I7": "Implementation loop occurs under minimum times",
    "I8": "Implementation segment below minimum use",
    "I9": "Implementation dependent 'not used' segment present",
}
# IK403, Implementation Data Element Syntax Error Code (621).
ELEMENT_ERRORS = {
    "1": "Required data element missing",
    "2": "Conditional required data element missing",
    "3": "Too many data elements",
    "4": "Data element too short",
    "5": "Data element too long",
    "6": "Invalid character in data element",
    "7": "Invalid code value",
    "8": "Invalid date",
    "9": "Invalid time",
    "10": "Exclusion condition violated",
    "12": "Too many repetitions",
    "13": "Too many components",
    "I6": "Code value not used in implementation",
    "I9": "Implementation dependent data element missing",
    "I10": "Implementation 'not used' data element present",
    "I11": "Implementation too few repetitions",
    "I12": "Implementation pattern match failure",
    "I13": "Implementation dependent 'not used' data element present",
}
# IK502-IK506, Implementation Transaction Set Syntax Error Code (618).
TRANSACTION_ERRORS = {
    "1": "Transaction set not supported",
    "2": "Transaction set trailer missing",
    "3": "Transaction set control number in header and trailer do not match",
    "4": "Number of included segments does not match actual count",
    "5": "One or more segments in error",
    "6": "Missing or invalid transaction set identifier",
    "7": "Missing or invalid transaction set control number",
    "23": "Transaction set control number not unique within the functional group",
    "I5": "Implementation one or more segments in error",
    "I6": "Implementation convention not supported",
}
# AK905-AK909, Functional Group Syntax Error Code (716).
GROUP_ERRORS = {
    "1": "Functional group not supported",
    "2": "Functional group version not supported",
    "3": "Functional group trailer missing",
    "4": "Group control number in the functional group header and trailer do not agree",
    "5": "Number of included transaction sets does not match actual count",
    "6": "Group control number violates syntax",
}


def describe(codes: dict, code: str) -> str:
    return codes.get(code, f"code {code}")


@dataclass
class TransactionAck:
    control_number: str  # AK202: our ST02
    code: str = ""  # IK501
    errors: list[str] = field(default_factory=list)  # in plain words

    @property
    def accepted(self) -> bool:
        return self.code in ACCEPTED_CODES


@dataclass
class Ack999:
    group_control_number: str  # AK102: our GS06
    code: str = ""  # AK901
    group_errors: list[str] = field(default_factory=list)
    transactions: list[TransactionAck] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.code in ACCEPTED_CODES

    def reason(self) -> str:
        """Why, in plain words: the group's answer and every error named."""
        parts = [describe(ACK_CODES, self.code)]
        parts += self.group_errors
        for transaction in self.transactions:
            if len(self.transactions) == 1:
                parts += transaction.errors
            else:
                parts += [
                    f"transaction {transaction.control_number}: {e}" for e in transaction.errors
                ]
        return "; ".join(parts)


def _segment_error(seg) -> str:
    # IK301 segment ID, IK302 position in the transaction set, IK303 loop.
    where = f"segment {value(seg, 'IK301')} at position {value(seg, 'IK302')}"
    if value(seg, "IK303"):
        where += f" (loop {value(seg, 'IK303')})"
    return f"{where}: {describe(SEGMENT_ERRORS, value(seg, 'IK304'))}"


def _element_error(seg, segment_id: str) -> str:
    # IK401-1 element position, IK402 element reference number, IK404 the bad value.
    position = value(seg, "IK401-1") or value(seg, "IK401")
    text = f"{segment_id}{int(position):02d}" if position.isdigit() else f"{segment_id} element"
    text += f": {describe(ELEMENT_ERRORS, value(seg, 'IK403'))}"
    if value(seg, "IK404"):
        text += f" (value '{value(seg, 'IK404')}')"
    return text


def ack999_parse(x12: X12File) -> list[Ack999]:
    """One Ack999 per AK1 (one per functional group acknowledged)."""
    acks: list[Ack999] = []
    current: TransactionAck | None = None
    segment_id = ""
    for seg in x12.segments:
        seg_id = seg.get_seg_id()
        if seg_id == "AK1":
            acks.append(Ack999(group_control_number=value(seg, "AK102")))
        elif seg_id == "AK2" and acks:
            current = TransactionAck(control_number=value(seg, "AK202"))
            acks[-1].transactions.append(current)
        elif seg_id == "IK3" and current is not None:
            segment_id = value(seg, "IK301")
            current.errors.append(_segment_error(seg))
        elif seg_id == "IK4" and current is not None:
            current.errors.append(_element_error(seg, segment_id))
        elif seg_id == "IK5" and current is not None:
            current.code = value(seg, "IK501")
            for ref in ("IK502", "IK503", "IK504", "IK505", "IK506"):
                if value(seg, ref):
                    current.errors.append(describe(TRANSACTION_ERRORS, value(seg, ref)))
        elif seg_id == "AK9" and acks:
            acks[-1].code = value(seg, "AK901")
            for ref in ("AK905", "AK906", "AK907", "AK908", "AK909"):
                if value(seg, ref):
                    acks[-1].group_errors.append(describe(GROUP_ERRORS, value(seg, ref)))
    return acks
