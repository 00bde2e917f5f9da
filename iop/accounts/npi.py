"""The National Provider Identifier's check digit, for staff (type 1) and
the program (type 2) alike.

CMS, "Requirements for National Provider Identifier (NPI) and NPI
Enumeration" (NPI check digit; the Final Rule, 69 FR 3434, 2004-01-23):
the tenth digit is a Luhn (ISO/IEC 7812 modulus 10 "double-add-double")
check digit computed as if the NPI carried the card issuer prefix 80840
(80 health applications, 840 United States). CMS's own example: the
identifier 123456789 has the check digit 3 (NPI 1234567893)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NPI_PREFIX = "80840"


def npi_check_digit(first_nine: str) -> int:
    """The Luhn check digit of the nine-digit identifier with prefix 80840."""
    digits = [int(c) for c in NPI_PREFIX + first_nine]
    total = 0
    # Double every other digit starting with the rightmost of the payload.
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return (10 - total % 10) % 10


def npi_is_valid(npi: str) -> bool:
    """Ten digits, starting with 1 or 2, whose last is the check digit."""
    if not re.fullmatch(r"[12]\d{9}", npi or ""):
        return False
    return npi_check_digit(npi[:9]) == int(npi[9])


def validate_npi(value: str) -> None:
    if value and not npi_is_valid(value):
        raise ValidationError(
            _("Not a valid NPI: ten digits starting with 1 or 2, the last a check digit."),
            code="invalid_npi",
        )
