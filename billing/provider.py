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
