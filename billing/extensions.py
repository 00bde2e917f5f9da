"""What billing registers with the core's extension points
(iop/extensions.py): its pages for the billing role (the home page and the
client search lead there, not to the chart) and the link from the chart's
header to the client's billing page, for those who may open both."""

from django.utils.translation import gettext_lazy

from iop.accounts import roles
from iop.extensions import CHART_SECTIONS, ROLE_PAGES, ChartSection, RolePages


def _billing_link_visible(user, client) -> bool:
    return user.has_role(*roles.BILLING_STAFF)


def _billing_link(request, client, *, printing=False) -> dict:
    return {"printing": printing}


def register() -> None:
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
