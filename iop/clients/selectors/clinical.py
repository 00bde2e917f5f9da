"""Reads for the chart's clinical sections and the counselor's worklists.
Each function makes a fixed number of queries, whatever the history length."""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from iop.clients.models import (
    Appointment,
    Client,
    DrugTest,
    DrugTestResult,
    Episode,
    MutualHelpMeeting,
    Objective,
    SessionNote,
    TreatmentPlan,
)
from iop.clients.services.treatment import active_medications, random_test_weekday, week_start


def client_appointments(client: Client) -> list[Appointment]:
    """All appointments with their notes, newest first (two queries)."""
    return list(
        Appointment.objects.filter(client=client)
        .select_related("counselor", "note", "note__signed_by")
        .order_by("-starts_at")
    )


def client_plans(client: Client) -> list[TreatmentPlan]:
    """Every plan version with its whole tree, newest first."""
    return list(
        TreatmentPlan.objects.filter(client=client)
        .select_related("signed_by", "author")
        .prefetch_related("problems__goals__objectives__interventions")
        .order_by("-version")
    )


def plan_objectives(client: Client) -> QuerySet[Objective]:
    """Objectives of the client's active plan, for notes to address."""
    return Objective.objects.filter(
        goal__problem__plan__client=client,
        goal__problem__plan__status=TreatmentPlan.Status.ACTIVE,
    ).select_related("goal__problem")


def client_drug_tests(client: Client) -> list[DrugTest]:
    return list(
        DrugTest.objects.filter(client=client)
        .prefetch_related(
            Prefetch("results", queryset=DrugTestResult.objects.order_by("substance"))
        )
        .order_by("-collected_on", "-id")
    )


def last_unexpected_positive(tests: list[DrugTest]) -> DrugTest | None:
    for test in tests:
        if any(result.unexpected_positive for result in test.results.all()):
            return test
    return None


def meetings_per_week(client: Client, *, weeks: int = 8) -> list[dict]:
    """Mutual-help meetings per week for the last `weeks` weeks, against the
    program's expectation (MUTUAL_HELP_PER_WEEK, default 2)."""
    expected = settings.MUTUAL_HELP_PER_WEEK
    this_week = week_start(timezone.localdate())
    first = this_week - timedelta(weeks=weeks - 1)
    counts: dict[date, dict] = defaultdict(lambda: {"total": 0, "verified": 0})
    for meeting in MutualHelpMeeting.objects.filter(client=client, attended_on__gte=first):
        week = counts[week_start(meeting.attended_on)]
        week["total"] += 1
        week["verified"] += int(meeting.verified)
    rows = []
    for offset in range(weeks):
        monday = this_week - timedelta(weeks=offset)
        row = counts.get(monday, {"total": 0, "verified": 0})
        rows.append({"week_of": monday, **row, "meets": row["total"] >= expected})
    return rows


def drug_tests_due(clients: QuerySet[Client], day: date | None = None) -> list[Client]:
    """Clients in the intensive phase whose random test day is `day` and who
    have no test yet this week (two queries; the day is computed per client)."""
    day = day or timezone.localdate()
    monday = week_start(day)
    if day.weekday() >= 5:
        return []
    candidates = (
        clients.filter(episodes__phase=Episode.Phase.INTENSIVE)
        .annotate(
            tests_this_week=Count(
                "drug_tests",
                filter=Q(
                    drug_tests__collected_on__gte=monday,
                    drug_tests__collected_on__lt=monday + timedelta(days=7),
                ),
                distinct=True,
            )
        )
        .order_by("legal_last_name", "legal_first_name")
        .distinct()
    )
    return [
        client
        for client in candidates
        if client.tests_this_week == 0 and random_test_weekday(client, monday) == day.weekday()
    ]


def unsigned_session_notes(user) -> QuerySet[SessionNote]:
    return (
        SessionNote.objects.filter(author=user, signed_at__isnull=True)
        .select_related("appointment__client")
        .order_by("appointment__starts_at")
    )


def notes_awaiting_cosignature() -> QuerySet[SessionNote]:
    return (
        SessionNote.objects.filter(cosign_required=True, cosigned_at__isnull=True)
        .exclude(signed_at__isnull=True)
        .select_related("appointment__client", "signed_by")
        .order_by("signed_at")
    )


def plans_due_for_review(clients: QuerySet[Client], *, counselor=None) -> QuerySet[TreatmentPlan]:
    """Active plans whose review date has come, oldest first."""
    plans = TreatmentPlan.objects.filter(
        client__in=clients,
        status=TreatmentPlan.Status.ACTIVE,
        next_review_due__lte=timezone.localdate(),
    )
    if counselor is not None:
        plans = plans.filter(episode__primary_counselor=counselor)
    # The id breaks ties, so pages of the list neither repeat nor skip a plan.
    return plans.select_related("client").order_by("next_review_due", "pk")


def current_medications(client: Client):
    return list(active_medications(client, timezone.localdate()))
