"""The clinical record's own chart sections and timeline sources: sessions
and notes, treatment plan, drug tests, medications, mutual help, and the
chronological timeline of everything documented."""

from datetime import timedelta

from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iop.accounts import roles
from iop.audit.decorators import may_open
from iop.clients.chart import (
    CHART_TIMELINE_ENTRIES,
    chart_timeline,
    day_start,
    newest,
    newest_entries,
)
from iop.clients.chart_overview import overview_section
from iop.clients.models import (
    Appointment,
    DrugTest,
    DrugTestResult,
    Medication,
    MutualHelpMeeting,
    TreatmentPlan,
)
from iop.clients.selectors import clinical
from iop.clients.selectors.diagnoses import chart_diagnoses
from iop.extensions import TimelineEntry


def _sessions(request, client, *, printing=False):
    appointments = clinical.client_appointments(client)
    now = timezone.now()
    past = [a for a in appointments if a.starts_at < now][:10]
    # Every note is on one page (the session's): those it refuses see that a
    # note exists, unlinked.
    note_page = past and reverse(
        "clients:session-document", args=[client.public_id, past[0].public_id]
    )
    return {
        "client": client,
        "upcoming": [a for a in reversed(appointments) if a.starts_at >= now][:5],
        "past": past,
        "can_edit": request.user.has_role(*roles.CLINICIANS),
        "can_open_notes": bool(past) and may_open(request.user, note_page, client=client),
    }


def _plan(request, client, *, printing=False):
    plan = (
        TreatmentPlan.objects.filter(client=client, status=TreatmentPlan.Status.ACTIVE)
        .prefetch_related("problems__goals__objectives")
        .first()
    )
    today = timezone.localdate()
    plan_page = reverse("clients:plan-detail", args=[client.public_id])
    return {
        "client": client,
        "plan": plan,
        "plan_page": plan_page if may_open(request.user, plan_page, client=client) else "",
        "review_overdue": bool(plan and plan.next_review_due and plan.next_review_due < today),
        "review_due_soon": bool(
            plan and plan.next_review_due and today <= plan.next_review_due <= today + timedelta(7)
        ),
    }


def _diagnoses(request, client, *, printing=False):
    page = reverse("clients:diagnoses", args=[client.public_id])
    return {
        "client": client,
        # The same list as the chart header's: one query for both.
        "diagnoses": chart_diagnoses(request, client),
        "page": page if may_open(request.user, page, client=client) else "",
    }


def _drug_tests(request, client, *, printing=False):
    tests = clinical.client_drug_tests(client)
    return {
        "client": client,
        "tests": tests[:12],
        "timeline": list(reversed(tests[:16])),
        "last_unexpected": clinical.last_unexpected_positive(tests),
        "can_edit": request.user.has_role(*roles.CLINICIANS),
    }


def _medications(request, client, *, printing=False):
    medications = list(client.medications.order_by("-start_date"))
    today = timezone.localdate()
    return {
        "client": client,
        "current": [m for m in medications if m.stop_date is None or m.stop_date >= today],
        "past": [m for m in medications if m.stop_date is not None and m.stop_date < today],
        "today": today,
        "can_edit": request.user.has_role(*roles.CLINICIANS),
    }


def _mutual_help(request, client, *, printing=False):
    return {
        "client": client,
        "weeks": clinical.meetings_per_week(client),
        "recent": list(client.meetings.order_by("-attended_on")[:8]),
        "can_edit": request.user.has_role(*roles.CLINICIANS),
    }


def timeline_recent(client, *, viewer) -> dict:
    """The chart's timeline as `viewer` sees it: its newest entries, and
    whether there are more."""
    # One more than shown says whether there is more to see.
    entries = chart_timeline(client, viewer=viewer, limit=CHART_TIMELINE_ENTRIES + 1)
    return {
        "client": client,
        "entries": entries[:CHART_TIMELINE_ENTRIES],
        "more": len(entries) > CHART_TIMELINE_ENTRIES,
    }


def _timeline(request, client, *, printing=False):
    if printing:
        return {"client": client, "entries": chart_timeline(client, viewer=request.user)}
    # Its tab is computed only when opened: the newest entries.
    return timeline_recent(client, viewer=request.user)


# --- timeline sources: one query each ---------------------------------------
# Their links are checked against the viewer by chart_timeline (the roles of
# the page each leads to): every page here is the client's own.


def _appointment_entries(client, *, viewer, limit=None):
    entries = []
    appointments = Appointment.objects.filter(client=client).order_by("-starts_at", "-pk")
    for appointment in newest(appointments.select_related("note"), limit):
        note = getattr(appointment, "note", None)
        detail = appointment.get_status_display()
        if note is not None:
            detail += " · " + (_("note signed") if note.is_signed else _("note in draft"))
        entries.append(
            TimelineEntry(
                when=appointment.starts_at,
                kind="session",
                title=appointment.get_kind_display(),
                detail=detail,
                url=reverse(
                    "clients:session-document", args=[client.public_id, appointment.public_id]
                ),
            )
        )
    return entries


def _drug_test_entries(client, *, viewer, limit=None):
    entries = []
    tests = DrugTest.objects.filter(client=client).order_by("-collected_on", "-pk")
    # Only the results that make a test not negative are read (unexpected
    # positives, invalid and refused: the partial index drugresult_flagged_idx).
    flagged = Prefetch(
        "results",
        queryset=DrugTestResult.objects.filter(
            Q(result=DrugTestResult.Result.POSITIVE, expected=False)
            | Q(result__in=[DrugTestResult.Result.INVALID, DrugTestResult.Result.REFUSED])
        ),
        to_attr="flagged",
    )
    labels = {
        DrugTestResult.Result.POSITIVE: _("Unexpected positive: %s"),
        DrugTestResult.Result.INVALID: _("Invalid: %s"),
        DrugTestResult.Result.REFUSED: _("Refused: %s"),
    }
    for test in newest(tests.prefetch_related(flagged), limit):
        parts = []
        for result, label in labels.items():
            substances = [r.get_substance_display() for r in test.flagged if r.result == result]
            if substances:
                parts.append(label % ", ".join(substances))
        entries.append(
            TimelineEntry(
                when=day_start(test.collected_on),
                kind="drug_test",
                title=_("Drug test (%s)") % test.get_specimen_display(),
                detail="; ".join(parts) if parts else _("No unexpected positive"),
            )
        )
    return entries


def _medication_entries(client, *, viewer, limit=None):
    entries = []
    medications = Medication.objects.filter(client=client).order_by(
        Greatest("start_date", Coalesce("stop_date", "start_date")).desc(), "-pk"
    )
    for medication in newest(medications, limit):
        entries.append(
            TimelineEntry(
                when=day_start(medication.start_date),
                kind="medication",
                title=_("Medication started: %s") % medication,
                detail=f"{medication.dose} · {medication.schedule}",
            )
        )
        if medication.stop_date:
            entries.append(
                TimelineEntry(
                    when=day_start(medication.stop_date),
                    kind="medication",
                    title=_("Medication stopped: %s") % medication,
                )
            )
    return newest_entries(entries, limit)


def _meeting_entries(client, *, viewer, limit=None):
    meetings = MutualHelpMeeting.objects.filter(client=client).order_by("-attended_on", "-pk")
    return [
        TimelineEntry(
            when=day_start(meeting.attended_on),
            kind="meeting",
            title=meeting.get_kind_display(),
            detail=meeting.meeting_name + (" · " + _("verified") if meeting.verified else ""),
        )
        for meeting in newest(meetings, limit)
    ]


def _plan_entries(client, *, viewer, limit=None):
    plans = TreatmentPlan.objects.filter(client=client, signed_at__isnull=False).order_by(
        "-signed_at", "-pk"
    )
    return [
        TimelineEntry(
            when=plan.signed_at,
            kind="plan",
            title=_("Treatment plan version %s signed") % plan.version,
            url=reverse("clients:plan-detail", args=[client.public_id]),
        )
        for plan in newest(plans, limit)
    ]


# (key, title, template, context, order, more ChartSection fields). The
# order is the section navigation's: sessions, groups (20), plan, screening
# (30), drug tests, medications, mutual help, family (55), aftercare (60),
# timeline; the Overview's own part comes first.
SECTIONS = [
    (
        "overview",
        gettext_lazy("Before the session"),
        "_chart_overview.html",
        overview_section,
        5,
        {"region": "overview"},
    ),
    (
        "sessions",
        gettext_lazy("Individual sessions and notes"),
        "_chart_sessions.html",
        _sessions,
        15,
        {"tab_title": gettext_lazy("Sessions and notes")},
    ),
    (
        "plan",
        gettext_lazy("Treatment plan"),
        "_chart_plan.html",
        _plan,
        25,
        {"tab_title": gettext_lazy("Plan")},
    ),
    # The diagnoses open the Plan tab: the plan's problems address them.
    (
        "diagnoses",
        gettext_lazy("Diagnoses"),
        "_chart_diagnoses.html",
        _diagnoses,
        22,
        {"tab": "plan"},
    ),
    ("drug-tests", gettext_lazy("Drug tests"), "_chart_drug_tests.html", _drug_tests, 40, {}),
    ("medications", gettext_lazy("Medications"), "_chart_medications.html", _medications, 45, {}),
    (
        "mutual-help",
        gettext_lazy("Mutual-help meetings"),
        "_chart_mutual_help.html",
        _mutual_help,
        50,
        {"tab_title": gettext_lazy("Mutual help")},
    ),
    ("timeline", gettext_lazy("Timeline"), "_chart_timeline.html", _timeline, 90, {}),
]

# (name, section, entries, order): entries of the same moment follow this order.
TIMELINE = [
    ("appointments", "sessions", _appointment_entries, 10),
    ("drug_tests", "drug-tests", _drug_test_entries, 20),
    ("medications", "medications", _medication_entries, 30),
    ("meetings", "mutual-help", _meeting_entries, 40),
    ("plans", "plan", _plan_entries, 50),
]
