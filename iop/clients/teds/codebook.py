"""How a choice list maps to a TEDS item's codes, and the codebook's value
labels of that item (the sources are named in iop.clients.teds)."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models

# TEDS: the value is missing, unknown, not collected or invalid.
MISSING = -9


@dataclass(frozen=True)
class Codes:
    """The TEDS codes of one choice list, for the item `item`.

    `labels` holds every code the codebook defines for the item with its
    value label, also codes OpenIOP never writes (SERVICES 1-5, for one):
    the README's table of columns is generated from it."""

    item: str
    choices: type[models.Choices]
    codes: Mapping[str, int]
    labels: Mapping[int, str]
    # Values with no TEDS code on purpose ("client declined", "unknown"...):
    # exported as MISSING.
    unmapped: frozenset[str] = field(default_factory=frozenset)

    def code(self, value) -> int:
        """The TEDS code of a stored value; MISSING for a blank or unmapped one."""
        return self.codes.get(value, MISSING)


def yes_no_labels() -> dict[int, str]:
    return {1: "Yes", 2: "No"}
