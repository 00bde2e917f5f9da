"""Reads of the clinical record. Callers pass querysets from the access
policy (iop.audit.policy), so these never widen it."""

from iop.clients.selectors.records import (
    client_episodes,
    client_search,
    clients_with_current_episode,
)

__all__ = ["client_episodes", "client_search", "clients_with_current_episode"]
