"""What the clinical record registers with the core's extension points
(iop/extensions.py): its own chart sections and timeline sources,
appointments for the reminder planner, its lines of the staff digest, and
the diagnosis at discharge, and its
billable services (sessions and drug-test collections)."""

from iop.clients import billing_facts, chart_sections, reminders
from iop.clients.services.diagnoses import discharge_diagnosis_record
from iop.extensions import (
    BILLABLE_SERVICES,
    CHART_SECTIONS,
    DIGEST_SOURCES,
    DISCHARGE_HOOKS,
    REMINDER_SOURCES,
    TIMELINE_SOURCES,
    ChartSection,
    TimelineSource,
)


def register() -> None:
    for key, title, template, context, order, more in chart_sections.SECTIONS:
        CHART_SECTIONS.register(
            key,
            ChartSection(
                title=title, template=f"clients/includes/{template}", context=context, **more
            ),
            order=order,
        )
    for name, section, entries, order in chart_sections.TIMELINE:
        TIMELINE_SOURCES.register(
            name, TimelineSource(section=section, entries=entries), order=order
        )
    REMINDER_SOURCES.register("appointments", reminders.upcoming_appointments, order=10)
    DIGEST_SOURCES.register("clinical-record", reminders.digest_items, order=20)
    DISCHARGE_HOOKS.register("diagnosis-at-discharge", discharge_diagnosis_record, order=5)
    BILLABLE_SERVICES.register("sessions", billing_facts.session_services, order=10)
    BILLABLE_SERVICES.register("drug-tests", billing_facts.drug_test_collections, order=30)
