"""What aftercare registers with the core's extension points
(iop/extensions.py): its chart section, check-ins for the reminder planner
and its lines of the staff digest."""

from django.utils.translation import gettext_lazy

from aftercare import chart, reminders
from iop.extensions import CHART_SECTIONS, DIGEST_SOURCES, REMINDER_SOURCES, ChartSection


def register() -> None:
    CHART_SECTIONS.register(
        "aftercare",
        ChartSection(
            title=gettext_lazy("Aftercare and discharge"),
            template="aftercare/includes/_chart_aftercare.html",
            context=chart.aftercare_section,
        ),
        order=60,
    )
    REMINDER_SOURCES.register("aftercare-check-ins", reminders.upcoming_check_ins, order=40)
    DIGEST_SOURCES.register("aftercare", reminders.digest_items, order=50)
