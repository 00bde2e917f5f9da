"""What the audit app registers with the core's extension points
(iop/extensions.py): the emergency-access banner above the chart and the
administrators' digest line of the last day's emergency accesses."""

from django.utils.translation import gettext_lazy

from iop.audit import emergency
from iop.extensions import CHART_SECTIONS, DIGEST_SOURCES, ChartSection


def register() -> None:
    CHART_SECTIONS.register(
        "emergency-access",
        ChartSection(
            title=gettext_lazy("Emergency access"),
            template="audit/includes/_emergency_banner.html",
            context=emergency.chart_banner,
            region="alerts",
        ),
        order=-10,
    )
    DIGEST_SOURCES.register("emergency-access", emergency.digest_items, order=10)
