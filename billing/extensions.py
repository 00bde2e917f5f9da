"""What billing registers with the core's extension points
(iop/extensions.py): re-drafting the charges of a client's week whenever a
documented service of it is signed or changed, and its line of the staff
digest (authorizations that need attention)."""

from billing.drafting.service import charges_redraft
from billing.selectors.authorizations import digest_items
from iop.extensions import DIGEST_SOURCES, SERVICES_CHANGED


def redraft_on_services_changed(*, client_ids, dates, actor=None) -> None:
    """In the transaction of the signature: the charges commit with it."""
    charges_redraft(client_ids=client_ids, dates=dates, actor=actor)


def register() -> None:
    SERVICES_CHANGED.register("billing-charges", redraft_on_services_changed, order=10)
    DIGEST_SOURCES.register("billing-authorizations", digest_items, order=70)
