"""What outcomes registers with the core's extension points
(iop/extensions.py): measures made due at admission, step-down and
discharge; the chart's Measures section and the group roster's "due"
markers; the wording of a self-report link's message, and the check that
stops one whose measure was answered meanwhile."""

from django.utils.translation import gettext_lazy

from iop.extensions import (
    ADMISSION_HOOKS,
    CHART_SECTIONS,
    DISCHARGE_HOOKS,
    MESSAGE_RENDERERS,
    ROSTER_MARKERS,
    SEND_CHECKS,
    STEP_DOWN_HOOKS,
    ChartSection,
)
from outcomes import chart, selectors
from outcomes.services import links, plan


def register() -> None:
    ADMISSION_HOOKS.register("due-measures", plan.due_measures_on_admission, order=60)
    STEP_DOWN_HOOKS.register("due-measures", plan.due_measures_on_step_down, order=60)
    DISCHARGE_HOOKS.register("due-measures", plan.due_measures_on_discharge, order=60)
    MESSAGE_RENDERERS.register(links.KIND, links.measure_link_render, order=60)
    SEND_CHECKS.register("measure-link", links.measure_link_check, order=60)
    CHART_SECTIONS.register(
        "measures",
        ChartSection(
            title=gettext_lazy("Measures"),
            template="outcomes/includes/_chart_measures.html",
            context=chart.measures_section,
        ),
        order=35,
    )
    ROSTER_MARKERS.register("due-measures", selectors.roster_due_markers, order=10)
