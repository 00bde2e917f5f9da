"""What screening registers with the core's extension points
(iop/extensions.py): the safety alerts above the chart and the screening
section, instruments on the timeline, intake staff's view of the clients
they recently screened, and open safety flags in supervisors' digest."""

from django.utils.translation import gettext_lazy

from iop.extensions import (
    CHART_SECTIONS,
    DIGEST_SOURCES,
    INTAKE_SCOPES,
    TIMELINE_SOURCES,
    ChartSection,
    TimelineSource,
)
from screening import chart, digest, policy


def register() -> None:
    CHART_SECTIONS.register(
        "safety-alerts",
        ChartSection(
            title=gettext_lazy("Safety flags"),
            template="screening/includes/_chart_alerts.html",
            context=chart.alerts_section,
            region="header",
        ),
        order=0,
    )
    CHART_SECTIONS.register(
        "screening",
        ChartSection(
            title=gettext_lazy("Screening and measures"),
            template="screening/includes/_chart_section.html",
            context=chart.screening_section,
        ),
        order=30,
    )
    TIMELINE_SOURCES.register(
        "instruments",
        TimelineSource(section="screening", entries=chart.timeline_entries),
        order=60,
    )
    INTAKE_SCOPES.register("screened", policy.recently_screened_by, order=10)
    DIGEST_SOURCES.register("safety-flags", digest.digest_items, order=30)
