"""The one registry of instrument definitions, keyed by code."""

from __future__ import annotations

from types import MappingProxyType

from .audit import AUDIT, AUDIT_C
from .bam import BAM
from .base import Instrument
from .cssrs import C_SSRS
from .dast import DAST_10
from .mood import GAD_7, PHQ_2, PHQ_9
from .withdrawal import CIWA_AR, COWS

REGISTRY: MappingProxyType[str, Instrument] = MappingProxyType(
    {
        instrument.code: instrument
        for instrument in (
            *(AUDIT, AUDIT_C, DAST_10, PHQ_9, PHQ_2, GAD_7, CIWA_AR, COWS, C_SSRS, BAM),
        )
    }
)

INSTRUMENT_CODES: tuple[str, ...] = tuple(REGISTRY)


def get_instrument(code: str) -> Instrument:
    """The definition for ``code``; KeyError naming the known codes otherwise."""
    try:
        return REGISTRY[code]
    except (KeyError, TypeError):
        raise KeyError(
            f"unknown instrument {code!r}; known: {', '.join(INSTRUMENT_CODES)}"
        ) from None
