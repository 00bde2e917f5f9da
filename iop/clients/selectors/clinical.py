"""Reads for the chart's clinical sections and the counselor's worklists.
Each function makes a fixed number of queries, whatever the history length."""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.utils import timezone

from iop.audit.policy import COVERING_AFTER, clients_visible_to
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
        .prefetch_related("problems__goals__objectives__interventions", "problems__diagnoses")
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
    program's expectation (MUTUAL_HELP_PER_WEEK, default 2) from the week of
    the latest admission on: a week before it expected nothing ("meets" is
    None). Two queries."""
    expected = settings.MUTUAL_HELP_PER_WEEK
    admitted = (
        Episode.objects.filter(client=client, admission_date__isnull=False)
        .order_by("-admission_date")
        .values_list("admission_date", flat=True)
        .first()
    )
    expected_from = week_start(admitted) if admitted else None
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
        meets = (
            None if expected_from is None or monday < expected_from else row["total"] >= expected
        )
        rows.append({"week_of": monday, **row, "meets": meets})
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
    """The user's draft notes, oldest first. A draft stays its author's (only
    the person who provided a service documents it), but access to its client
    can end while it waits: the client reassigned or discharged, a covering
    window closed. `client_visible` says whether the author may still open
    the client; a list names the client only then (same single query)."""
    visible = Q(appointment__client__in=clients_visible_to(user))
    return (
        SessionNote.objects.filter(author=user, signed_at__isnull=True)
        .annotate(client_visible=ExpressionWrapper(visible, output_field=BooleanField()))
        .select_related("appointment__client")
        .order_by("appointment__starts_at", "pk")
    )


def drafts_beyond_their_author(clients: QuerySet[Client]) -> QuerySet[SessionNote]:
    """Unsigned session notes, among `clients`, whose session started more
    than 72 hours ago and whose author is not the primary counselor of the
    appointment's episode: once a covering window has closed (COVERING_AFTER,
    the 72 hours in which a note is on time) or the client was reassigned,
    the author may no longer open the client, so a supervisor reassigns or
    follows up. Oldest first, one query."""
    return (
        SessionNote.objects.filter(
            signed_at__isnull=True,
            appointment__starts_at__lt=timezone.now() - COVERING_AFTER,
            appointment__client__in=clients,
        )
        .exclude(author=F("appointment__episode__primary_counselor"))
        .select_related("appointment__client", "author")
        .order_by("appointment__starts_at", "pk")
    )


def notes_awaiting_cosignature(clients: QuerySet[Client]) -> QuerySet[SessionNote]:
    return (
        SessionNote.objects.filter(
            cosign_required=True, cosigned_at__isnull=True, appointment__client__in=clients
        )
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
