"""The billing provider (the program) as superbills print it, from the
settings BILLING_PROVIDER_*, checked at start-up."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core import checks

from iop.accounts.npi import npi_is_valid

# An EIN is nine digits, written NN-NNNNNNN (IRS).
TAX_ID = re.compile(r"^\d{2}-?\d{7}$")
# NUCC taxonomy codes: ten characters, nine alphanumerics and a final X.
TAXONOMY = re.compile(r"^[0-9A-Z]{9}X$")
# 837P loop 2010AA N403: the billing provider's ZIP code must have nine
# digits (005010X222A1, 2010AA N4 note; pyx12 map 837.5010.X222.A1.xml).
ZIP9 = re.compile(r"^\d{9}$")
STATE = re.compile(r"^[A-Z]{2}$")
# ISA06/ISA08: at most 15 characters of the X12 basic character set.
INTERCHANGE_ID = re.compile(r"^[A-Z0-9 ]{1,15}$")


@dataclass(frozen=True)
class Provider:
    name: str
    address: str
    npi: str
    tax_id: str
    taxonomy: str
    street: str = ""
    city: str = ""
    state: str = ""
    zip_code: str = ""


def billing_provider() -> Provider:
    return Provider(
        name=settings.BILLING_PROVIDER_NAME,
        address=settings.BILLING_PROVIDER_ADDRESS,
        npi=settings.BILLING_PROVIDER_NPI,
        tax_id=settings.BILLING_PROVIDER_TAX_ID,
        taxonomy=settings.BILLING_PROVIDER_TAXONOMY,
        street=settings.BILLING_PROVIDER_STREET,
        city=settings.BILLING_PROVIDER_CITY,
        state=settings.BILLING_PROVIDER_STATE,
        zip_code=settings.BILLING_PROVIDER_ZIP,
    )


def _x12_errors(provider: Provider) -> list[checks.CheckMessage]:
    """What an 837P needs of the settings (billing/x12/claim837.py)."""
    errors = []
    if not provider.street.strip() or not provider.city.strip():
        errors.append(
            checks.Error(
                "BILLING_PROVIDER_STREET and BILLING_PROVIDER_CITY must be set.", id="billing.E005"
            )
        )
    if not STATE.match(provider.state):
        errors.append(
            checks.Error(
                f"BILLING_PROVIDER_STATE {provider.state!r} is not a two-letter state code.",
                id="billing.E006",
            )
        )
    if not ZIP9.match(provider.zip_code):
        errors.append(
            checks.Error(
                f"BILLING_PROVIDER_ZIP {provider.zip_code!r} is not a nine-digit ZIP+4 "
                "(837P loop 2010AA requires nine digits).",
                id="billing.E007",
            )
        )
    errors.extend(
        checks.Error(
            f"{name} must be 1 to 15 capital letters, digits or spaces.", id="billing.E008"
        )
        for name in ("X12_SENDER_ID", "X12_RECEIVER_ID")
        if not INTERCHANGE_ID.match(getattr(settings, name))
    )
    if settings.X12_USAGE_INDICATOR not in ("T", "P"):
        errors.append(
            checks.Error(
                "X12_USAGE_INDICATOR must be T (test) or P (production).", id="billing.E009"
            )
        )
    return errors


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
    return errors + _x12_errors(provider)


def register_checks() -> None:
    checks.register(check_billing_provider)
