"""What the groups app registers with the core's extension points
(iop/extensions.py): its chart section and attendance on the timeline, a
counselor's view of the members of the groups they run, enrollment on
admission, Social Support into aftercare and enrollments ended on
discharge, and its sessions for the reminder planner and the digest, and attendance as
billable services."""

from django.utils.translation import gettext_lazy

from groups import billing_facts, chart, policy, reminders
from groups.services import enrollment
from iop.extensions import (
    ADMISSION_HOOKS,
    BILLABLE_SERVICES,
    CHART_SECTIONS,
    COUNSELOR_SCOPES,
    DIGEST_SOURCES,
    DISCHARGE_HOOKS,
    REMINDER_SOURCES,
    STEP_DOWN_HOOKS,
    TIMELINE_SOURCES,
    ChartSection,
    TimelineSource,
)


def register() -> None:
    CHART_SECTIONS.register(
        "groups",
        ChartSection(
            title=gettext_lazy("Matrix groups and IOP hours"),
            template="groups/includes/_chart_progress.html",
            context=chart.progress_section,
            tab_title=gettext_lazy("Groups"),
        ),
        order=20,
    )
    CHART_SECTIONS.register(
        "groups-week",
        ChartSection(
            title=gettext_lazy("Group attendance this week"),
            template="groups/includes/_chart_week.html",
            context=chart.week_section,
            region="overview",
        ),
        order=20,
    )
    TIMELINE_SOURCES.register(
        "groups", TimelineSource(section="groups", entries=chart.timeline_entries), order=70
    )
    COUNSELOR_SCOPES.register("group", policy.facilitated_group_members, order=10)
    ADMISSION_HOOKS.register("groups", enrollment.on_admission, order=10)
    STEP_DOWN_HOOKS.register("groups", enrollment.on_step_down, order=10)
    DISCHARGE_HOOKS.register("groups", enrollment.on_discharge, order=10)
    REMINDER_SOURCES.register("group-sessions", reminders.upcoming_sessions, order=20)
    DIGEST_SOURCES.register("groups", reminders.digest_items, order=40)
    BILLABLE_SERVICES.register("group-attendance", billing_facts.group_attendance, order=20)
