"""What the family app registers with the core's extension points
(iop/extensions.py): its chart sections (only for those who hold the
record) and consents on the timeline, its sections of the group session
page and the session note page, Family Education sessions for the reminder
planner and the disclosure check when a family reminder is sent."""

from django.utils.translation import gettext_lazy

from family import chart, reminders, sections
from iop.audit.policy import holds_record
from iop.extensions import (
    CHART_SECTIONS,
    NOTE_SECTIONS,
    REMINDER_SOURCES,
    SEND_CHECKS,
    SESSION_SECTIONS,
    TIMELINE_SOURCES,
    ChartSection,
    TimelineSource,
)


def register() -> None:
    CHART_SECTIONS.register(
        "family",
        ChartSection(
            title=gettext_lazy("Family"),
            template="family/includes/_chart_family.html",
            context=chart.family_section,
            visible=holds_record,
            tab_title=gettext_lazy("Family and consents"),
        ),
        order=55,
    )
    CHART_SECTIONS.register(
        "consents",
        ChartSection(
            title=gettext_lazy("Consents and disclosures (42 CFR Part 2)"),
            template="family/includes/_chart_consents.html",
            context=chart.consents_section,
            visible=holds_record,
            tab="family",
        ),
        order=56,
    )
    TIMELINE_SOURCES.register(
        "consents", TimelineSource(section="consents", entries=chart.timeline_entries), order=80
    )
    SESSION_SECTIONS.register("family", sections.session_family_section, order=10)
    NOTE_SECTIONS.register("family", sections.conjoint_note_section, order=10)
    REMINDER_SOURCES.register("family-education", reminders.upcoming_family_sessions, order=30)
    SEND_CHECKS.register("family-disclosure", reminders.send_check, order=10)
