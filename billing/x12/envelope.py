"""The X12 envelope (ISA/GS/ST and their trailers) and how an element is
written: the delimiters, escaping, numbers and dates as ASC X12 005010
wants them. Pure functions, no database, no clock.

Delimiters: element "*", component ":", repetition "^" (ISA11 in 00501)
and segment "~". Each segment is followed by a newline, which receivers
and pyx12 (x12file.X12Reader strips whitespace between segments) accept,
so a file reads one segment a line."""

import datetime
import re
import unicodedata
from decimal import Decimal

ELEMENT = "*"
COMPONENT = ":"
REPETITION = "^"
TERMINATOR = "~"
SEGMENT_END = TERMINATOR + "\n"

# Characters that would end an element, a component, a repetition or a
# segment early, and control characters: replaced by a space.
_UNSAFE = re.compile(r"[*:^~\r\n\t\x00-\x1f]")
_SPACES = re.compile(r" {2,}")
# Outside the X12 005010 extended character set (letters, digits, space and
# !"&'()*+,-./:;?=%~@[]_{}\|<>^`#$), as pyx12's validation.py (rec_ID_E5)
# checks every AN element: names such as "Ramírez" or "Villaseñor" are
# written without their accents ("Ramirez", "Villasenor"), anything else
# that remains outside the set becomes a space.
_NOT_X12 = re.compile(r"""[^A-Za-z0-9!"&'()*+,\-./:;?= %~@\[\]_{}\\|<>^`#$]""")


def x12_characters(text: str) -> str:
    """`text` in the X12 extended character set (see _NOT_X12)."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_X12.sub(" ", without_marks)


def clean(value) -> str:
    """A value as an element may carry it: in the X12 character set, no
    delimiter, no control character, single spaces, trimmed."""
    text = x12_characters(str(value if value is not None else ""))
    text = _UNSAFE.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def segment(tag: str, *elements) -> str:
    """One segment with its trailing empty elements dropped (X12 syntax:
    no trailing element separators). Elements are cleaned; a composite is
    passed as a tuple or list and joined with the component separator."""
    values = []
    for element in elements:
        if isinstance(element, list | tuple):
            parts = [clean(part) for part in element]
            while parts and not parts[-1]:
                parts.pop()
            values.append(COMPONENT.join(parts))
        else:
            values.append(clean(element))
    while values and not values[-1]:
        values.pop()
    return ELEMENT.join([tag, *values]) + SEGMENT_END


def amount(value: Decimal) -> str:
    """An R (decimal) element: no trailing zeros after the point, no point
    when whole (X12 005010 data element syntax for type R)."""
    text = format(Decimal(value).quantize(Decimal("0.01")), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def date8(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def time4(moment: datetime.datetime) -> str:
    return moment.strftime("%H%M")


def isa(
    *, sender_id: str, receiver_id: str, control_number: int, usage: str, now: datetime.datetime
) -> str:
    """ISA: every element fixed width (x12.control.00501.xml). ISA05/ISA07
    qualifier ZZ (mutually defined); ISA11 the repetition separator;
    ISA12 00501; ISA14 0 (no TA1 requested); ISA16 the component separator."""
    return (
        ELEMENT.join(
            [
                "ISA",
                "00",
                " " * 10,
                "00",
                " " * 10,
                "ZZ",
                clean(sender_id)[:15].ljust(15),
                "ZZ",
                clean(receiver_id)[:15].ljust(15),
                now.strftime("%y%m%d"),
                time4(now),
                REPETITION,
                "00501",
                f"{control_number:09d}",
                "0",
                usage,
                COMPONENT,
            ]
        )
        + SEGMENT_END
    )


def gs(
    *, sender_id: str, receiver_id: str, control_number: int, now: datetime.datetime, version: str
) -> str:
    """GS*HC (health care claim), GS08 the implementation guide's version."""
    return segment(
        "GS",
        "HC",
        sender_id,
        receiver_id,
        date8(now),
        time4(now),
        str(control_number),
        "X",
        version,
    )


def trailers(*, segments_in_st: int, control_number: int) -> str:
    """SE (segments from ST to SE inclusive), GE (one transaction set), IEA
    (one functional group)."""
    return (
        segment("SE", str(segments_in_st), "0001")
        + segment("GE", "1", str(control_number))
        + segment("IEA", "1", f"{control_number:09d}")
    )
