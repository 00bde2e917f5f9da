"""What billing registers with the core's extension points
(iop/extensions.py): re-drafting the charges of a client's week whenever a
documented service of it is signed or changed; its line of the staff digest
(authorizations that need attention); its pages for the billing role (the
home page and the client search lead there, not to the chart); and the link
from the chart's header to the client's billing page, for those who may
open both."""

from django.utils.translation import gettext_lazy

from billing.drafting.service import charges_redraft
from billing.selectors.authorizations import digest_items
from iop.accounts import roles
from iop.extensions import (
    CHART_SECTIONS,
    DIGEST_SOURCES,
    ROLE_PAGES,
    SERVICES_CHANGED,
    ChartSection,
    RolePages,
)


def redraft_on_services_changed(*, client_ids, dates, actor=None) -> None:
    """In the transaction of the signature: the charges commit with it."""
    charges_redraft(client_ids=client_ids, dates=dates, actor=actor)


def _billing_link_visible(user, client) -> bool:
    return user.has_role(*roles.BILLING_STAFF)


def _billing_link(request, client, *, printing=False) -> dict:
    return {"printing": printing}


def register() -> None:
    SERVICES_CHANGED.register("billing-charges", redraft_on_services_changed, order=10)
    DIGEST_SOURCES.register("billing-authorizations", digest_items, order=70)
    ROLE_PAGES.register(
        "billing",
        RolePages(roles=(roles.BILLING,), home="billing:home", client="billing:client"),
        order=10,
    )
    CHART_SECTIONS.register(
        "billing-link",
        ChartSection(
            title=gettext_lazy("Billing"),
            template="billing/coverage/_chart_billing_link.html",
            context=_billing_link,
            region="header",
            visible=_billing_link_visible,
        ),
        order=90,
    )
