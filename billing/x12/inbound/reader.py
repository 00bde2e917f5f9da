"""Reading an X12 file received: validated against its implementation
guide's map with pyx12, then handed over as a list of segments.

pyx12 (a HIPAA X12 validator that ships the guides' maps) does both jobs:
x12n_document walks the file against the map of its GS08 version
(999.5010X231.A1.xml, 277.5010.X214.xml, 835.5010.X221.A1.xml) and reports
every structural, element and code error; pyx12.x12file.X12Reader reads the
segments with whatever terminator and separators the ISA declares. We
read values with our own small loop-aware readers over those segments
(ack999, ack277, remit835) rather than X12ContextReader: the three
transactions are shallow, one pass with a few remembered loops reads them,
and the readers stay plain Python that a test can follow."""

import io
import json
import logging
from dataclasses import dataclass

import pyx12.errors
import pyx12.params
import pyx12.segment
import pyx12.x12file
import pyx12.x12n_document
from django.utils.translation import gettext as _

# (ST01, GS08) -> the kind of file (InboundFile.Kind's values). Versions
# from the guides: 999 005010X231A1 (and its base 005010X231), 277CA
# 005010X214, 835 005010X221A1; each has its map in pyx12's maps.xml.
KINDS = {
    ("999", "005010X231A1"): "999",
    ("999", "005010X231"): "999",
    ("277", "005010X214"): "277CA",
    ("835", "005010X221A1"): "835",
}
# pyx12 logs each finding as an error; we report them on the file instead.
logging.getLogger("pyx12").setLevel(logging.CRITICAL)
# How many of pyx12's findings a refusal names.
ERRORS_SHOWN = 5


class X12Refused(Exception):
    """The file cannot be read: the message says why, in plain words."""


@dataclass
class X12File:
    kind: str
    segments: list[pyx12.segment.Segment]
    group_control_number: str

    def of(self, seg_id: str) -> list[pyx12.segment.Segment]:
        return [seg for seg in self.segments if seg.get_seg_id() == seg_id]


def value(seg: pyx12.segment.Segment, ref: str) -> str:
    """An element's value ("" when absent), e.g. value(seg, "CLP01"),
    a component as "SVC01-2"."""
    return (seg.get_value(ref) or "").strip()


def _segments(content: str) -> list[pyx12.segment.Segment]:
    try:
        return list(pyx12.x12file.X12Reader(io.StringIO(content)))
    except (pyx12.errors.X12Error, pyx12.errors.EngineError) as error:
        raise X12Refused(
            _("This is not a readable X12 file: %(error)s") % {"error": error}
        ) from error


def _findings(tree: dict) -> list[str]:
    """pyx12's findings, in file order, as "line N: message"."""
    found = []

    def take(node):
        for error in node.get("errors", []):
            line = node.get("cur_line")
            text = error.get("err_str") or error.get("err_cde", "")
            found.append(f"line {line}: {text}" if line else text)
        for key in ("groups", "transactions", "segments", "elements", "children", "loops"):
            for child in node.get(key, []) or []:
                if isinstance(child, dict):
                    take(child)

    for interchange in tree.get("interchanges", []):
        take(interchange)
    return found


def _validate(content: str) -> None:
    """Refuse the file unless pyx12 finds it valid against its map."""
    out = io.StringIO()
    try:
        valid = pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(),
            src_file=io.StringIO(content),
            fd_997=None,
            fd_html=None,
            fd_json=out,
        )
    except (pyx12.errors.X12Error, pyx12.errors.EngineError, KeyError, ValueError) as error:
        raise X12Refused(
            _("The file could not be validated: %(error)s") % {"error": error}
        ) from error
    if valid:
        return
    try:
        findings = _findings(json.loads(out.getvalue() or "{}"))
    except ValueError:
        findings = []
    shown = "; ".join(findings[:ERRORS_SHOWN]) or _("no detail given")
    raise X12Refused(
        _("The file is not valid X12 for its implementation guide (%(count)d errors): %(errors)s.")
        % {"count": max(len(findings), 1), "errors": shown}
    )


def x12_kind(content: str) -> tuple[str, list[pyx12.segment.Segment]]:
    """The kind of an X12 file (without validating it) and its segments;
    X12Refused for text that is not X12 or a kind not received here."""
    text = (content or "").strip()
    if not text.startswith("ISA"):
        raise X12Refused(_("This is not an X12 file: it does not begin with an ISA segment."))
    segments = _segments(text)
    gs = next((seg for seg in segments if seg.get_seg_id() == "GS"), None)
    st = next((seg for seg in segments if seg.get_seg_id() == "ST"), None)
    if gs is None or st is None:
        raise X12Refused(_("This X12 file has no functional group (GS) or transaction (ST)."))
    kind = KINDS.get((value(st, "ST01"), value(gs, "GS08")))
    if kind is None:
        raise X12Refused(
            _(
                "This file is a %(st)s transaction of version %(version)s; only 999, "
                "277CA (005010X214) and 835 (005010X221A1) files are read here."
            )
            % {"st": value(st, "ST01") or "?", "version": value(gs, "GS08") or "?"}
        )
    return kind, segments


def x12_read(content: str) -> X12File:
    """Read and validate an X12 file of one of the kinds received here.
    Raises X12Refused with the reason in plain words."""
    kind, segments = x12_kind(content)
    _validate(content.strip())
    gs = next(seg for seg in segments if seg.get_seg_id() == "GS")
    return X12File(kind=kind, segments=segments, group_control_number=value(gs, "GS06"))
