"""The resource types the API serves: importing a module registers its
types (interop.api.registry). InteropConfig.ready() imports this package."""

from interop.resources import (  # noqa: F401
    careplans,
    conditions,
    consents,
    coverage,
    encounters,
    episodes,
    groups,
    medications,
    observations,
    organizations,
    patients,
    questionnaires,
)
