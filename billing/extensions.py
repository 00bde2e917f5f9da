"""What the billing app registers with the core's extension points
(iop/extensions.py): re-drafting the charges of a client's week whenever a
documented service of it is signed or changed."""

from billing.drafting.service import charges_redraft
from iop.extensions import SERVICES_CHANGED


def redraft_on_services_changed(*, client_ids, dates, actor=None) -> None:
    """In the transaction of the signature: the charges commit with it."""
    charges_redraft(client_ids=client_ids, dates=dates, actor=actor)


def register() -> None:
    SERVICES_CHANGED.register("billing-charges", redraft_on_services_changed, order=10)
