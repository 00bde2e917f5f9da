"""Checking an 837P before it may be sent: our own pre-checks on the claim
records (what a person can fix, in plain words), then pyx12 4.0 run on the
generated text against the 005010X222A1 map it ships. Each finding is
{"claim": patient control number or None, "segment": "SV1 (line 57)",
"message": plain words, "detail": pyx12's own text}.

pyx12's error codes are those of the 999 acknowledgement (segment errors
IK304, element errors IK403; code lists in pyx12/map/999.5010X231.A1.xml);
they are put in plain words below, pyx12's text kept beside them."""

import io
import json
import logging

import pyx12.params
import pyx12.x12n_document
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.x12.claim837 import MAX_DIAGNOSES, MAX_LINES, MAX_POINTERS
from billing.x12.envelope import TERMINATOR
from billing.x12.records import ClaimRecord, Person

# IK304, Implementation Segment Syntax Error Code.
SEGMENT_ERRORS = {
    "1": gettext_lazy("This segment is not recognised here."),
    "2": gettext_lazy("This segment is not expected here."),
    "3": gettext_lazy("A required segment is missing."),
    "4": gettext_lazy("A loop repeats more often than allowed."),
    "5": gettext_lazy("A segment repeats more often than allowed."),
    "6": gettext_lazy("This segment does not belong to an 837P."),
    "7": gettext_lazy("This segment is out of order."),
    "8": gettext_lazy("This segment has errors in its elements."),
}
# IK403, Implementation Data Element Syntax Error Code.
ELEMENT_ERRORS = {
    "1": gettext_lazy("A required value is missing."),
    "2": gettext_lazy("A value required by another value is missing."),
    "3": gettext_lazy("There are more values than allowed."),
    "4": gettext_lazy("A value is too short."),
    "5": gettext_lazy("A value is too long."),
    "6": gettext_lazy("A value has characters that are not allowed."),
    "7": gettext_lazy("A code is not one the guide allows."),
    "8": gettext_lazy("A date is not valid."),
    "9": gettext_lazy("A time is not valid."),
    "10": gettext_lazy("A value is given where it must be left out."),
    "12": gettext_lazy("A value repeats more often than allowed."),
    "13": gettext_lazy("A value has more parts than allowed."),
}


def _finding(claim, segment, message, detail=""):
    return {"claim": claim, "segment": segment, "message": message, "detail": detail}


def _address_problems(pcn: str, who: str, person: Person) -> list[dict]:
    problems = []
    if not (person.address_line1 and person.city and person.state and person.postal_code):
        problems.append(
            _finding(
                pcn,
                "N3/N4",
                _("The %(who)s has no complete address (street, city, state, ZIP code).")
                % {"who": who},
            )
        )
    if person.birth_date is None:
        problems.append(_finding(pcn, "DMG", _("The %(who)s has no date of birth.") % {"who": who}))
    return problems


def precheck(claims: list[ClaimRecord]) -> list[dict]:
    """What we can say in plain words before pyx12 runs."""
    problems = []
    for claim in claims:
        pcn = claim.patient_control_number
        # N3/N4 and DMG are required of whoever is the patient: the
        # subscriber (2010BA) when self, else the patient (2010CA).
        problems += _address_problems(pcn, _("client"), claim.patient or claim.subscriber)
        if not claim.member_id:
            problems.append(_finding(pcn, "NM1*IL", _("The coverage has no member ID.")))
        if not claim.payer_id:
            problems.append(_finding(pcn, "NM1*PR", _("The payer has no electronic payer ID.")))
        if claim.patient is not None and not claim.subscriber.last_name:
            problems.append(_finding(pcn, "NM1*IL", _("The coverage has no subscriber name.")))
        if not claim.diagnosis_codes:
            problems.append(_finding(pcn, "HI", _("The claim has no diagnosis.")))
        if len(claim.diagnosis_codes) > MAX_DIAGNOSES:
            problems.append(_finding(pcn, "HI", _("The claim has more than 12 diagnoses.")))
        if claim.frequency in ("7", "8") and not claim.payer_claim_number:
            problems.append(
                _finding(pcn, "REF*F8", _("The payer's claim number of the original is unknown."))
            )
        if not claim.lines:
            problems.append(_finding(pcn, "LX", _("The claim has no service line.")))
        if len(claim.lines) > MAX_LINES:
            problems.append(_finding(pcn, "LX", _("The claim has more than 50 service lines.")))
        for line in claim.lines:
            where = f"SV1 ({_('service line')} {line.number})"
            pointers = line.pointers
            if not pointers:
                problems.append(_finding(pcn, where, _("A service line has no diagnosis pointer.")))
            elif len(pointers) > MAX_POINTERS or any(
                p < 1 or p > len(claim.diagnosis_codes) for p in pointers
            ):
                problems.append(
                    _finding(pcn, where, _("A service line points at a diagnosis the claim lacks."))
                )
    return problems


def _claims_by_line(text: str) -> list[str | None]:
    """For each segment (one a line, from 1), the CLM01 of the claim it
    belongs to: a claim starts at its subscriber HL (HL03 22)."""
    owners: list[str | None] = [None]
    starts: list[int] = []
    pcns: list[str] = []
    segments = [s.strip() for s in text.split(TERMINATOR) if s.strip()]
    for index, seg in enumerate(segments, start=1):
        parts = seg.split("*")
        if parts[0] == "HL" and len(parts) > 3 and parts[3] == "22":
            starts.append(index)
        elif parts[0] == "CLM" and len(parts) > 1:
            pcns.append(parts[1])
    boundaries = list(zip(starts, pcns, strict=False))
    current = None
    cursor = 0
    for index, seg in enumerate(segments, start=1):
        while cursor < len(boundaries) and boundaries[cursor][0] <= index:
            current = boundaries[cursor][1]
            cursor += 1
        owners.append(None if seg.startswith(("SE*", "GE*", "IEA*")) else current)
    return owners


def _walk(doc: dict):
    """(segment dict or None, error dict, element dict or None) of every
    finding in pyx12's JSON error tree."""
    for isa in doc.get("interchanges", []):
        for error in isa["errors"]:
            yield {"seg_id": "ISA", "cur_line": 1}, error, None
        for group in isa["groups"]:
            for error in group["errors"]:
                yield {"seg_id": "GS", "cur_line": 2}, error, None
            for st in group["transactions"]:
                for error in st["errors"]:
                    yield {"seg_id": "ST", "cur_line": st.get("cur_line")}, error, None
                for seg in st["segments"]:
                    for error in seg["errors"]:
                        yield seg, error, None
                    for element in seg["elements"]:
                        for error in element["errors"]:
                            yield seg, error, element


def pyx12_findings(text: str) -> list[dict]:
    """Run pyx12 on the text; its findings, each with the claim it concerns."""
    out = io.StringIO()
    logger = logging.getLogger("pyx12")
    level = logger.level
    # pyx12 logs each error at ERROR as well: they are returned instead.
    logger.setLevel(logging.CRITICAL)
    try:
        ok = pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(),
            src_file=io.StringIO(text),
            fd_997=None,
            fd_html=None,
            fd_json=out,
        )
    finally:
        logger.setLevel(level)
    raw = out.getvalue()
    doc = json.loads(raw) if raw else {}
    owners = _claims_by_line(text)
    findings = []
    for seg, error, element in _walk(doc):
        line = seg.get("cur_line")
        claim = owners[line] if isinstance(line, int) and 0 < line < len(owners) else None
        code = str(error.get("err_cde", ""))
        plain = (ELEMENT_ERRORS if element else SEGMENT_ERRORS).get(
            code, _("The file is not valid.")
        )
        name = seg.get("seg_id") or "?"
        segment = f"{name} (line {line})" if line else name
        findings.append(_finding(claim, segment, str(plain), error.get("err_str", "")))
    if not ok and not findings:
        findings.append(_finding(None, "ISA", _("The file could not be read as X12.")))
    return findings


def validate_837p(text: str, claims: list[ClaimRecord]) -> list[dict]:
    """Every finding: our pre-checks first, then pyx12's."""
    return precheck(claims) + pyx12_findings(text)
