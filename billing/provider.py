"""The billing provider (the program) as superbills print it, from the
settings BILLING_PROVIDER_*, checked at start-up."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core import checks

# CMS, "Requirements for National Provider Identifier (NPI) and NPI
# Enumeration" (NPI check digit; the Final Rule, 69 FR 3434, 2004-01-23):
# the tenth digit is a Luhn (ISO/IEC 7812 modulus 10 "double-add-double")
# check digit computed as if the NPI carried the card issuer prefix 80840
# (80 health applications, 840 United States). CMS's own example: the
# identifier 123456789 has the check digit 3 (NPI 1234567893).
NPI_PREFIX = "80840"
# An EIN is nine digits, written NN-NNNNNNN (IRS).
TAX_ID = re.compile(r"^\d{2}-?\d{7}$")
# NUCC taxonomy codes: ten characters, nine alphanumerics and a final X.
TAXONOMY = re.compile(r"^[0-9A-Z]{9}X$")


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


@dataclass(frozen=True)
class Provider:
    name: str
    address: str
    npi: str
    tax_id: str
    taxonomy: str


def billing_provider() -> Provider:
    return Provider(
        name=settings.BILLING_PROVIDER_NAME,
        address=settings.BILLING_PROVIDER_ADDRESS,
        npi=settings.BILLING_PROVIDER_NPI,
        tax_id=settings.BILLING_PROVIDER_TAX_ID,
        taxonomy=settings.BILLING_PROVIDER_TAXONOMY,
    )


def check_billing_provider(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    provider = billing_provider()
    errors = []
    if not provider.name.strip():
        errors.append(checks.Error("BILLING_PROVIDER_NAME is empty.", id="billing.E001"))
    if not npi_is_valid(provider.npi):
        errors.append(
            checks.Error(
                f"BILLING_PROVIDER_NPI {provider.npi!r} is not a valid NPI (ten digits "
                "starting with 1 or 2 whose last is the Luhn check digit with prefix 80840).",
                id="billing.E002",
            )
        )
    if not TAX_ID.match(provider.tax_id):
        errors.append(
            checks.Error(
                f"BILLING_PROVIDER_TAX_ID {provider.tax_id!r} is not an EIN (NN-NNNNNNN).",
                id="billing.E003",
            )
        )
    if provider.taxonomy and not TAXONOMY.match(provider.taxonomy):
        errors.append(
            checks.Error(
                f"BILLING_PROVIDER_TAXONOMY {provider.taxonomy!r} is not a NUCC taxonomy code.",
                id="billing.E004",
            )
        )
    return errors


def register_checks() -> None:
    checks.register(check_billing_provider)
