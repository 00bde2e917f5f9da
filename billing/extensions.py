"""What billing registers with the core's extension points
(iop/extensions.py): its line of the staff digest."""

from billing.selectors.authorizations import digest_items
from iop.extensions import DIGEST_SOURCES


def register() -> None:
    DIGEST_SOURCES.register("billing-authorizations", digest_items, order=70)
