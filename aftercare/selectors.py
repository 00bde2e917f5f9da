"""Reads for the Aftercare page, the outreach queue and the chart. Each makes
a fixed number of queries, whatever the number of clients."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from aftercare.models import AftercarePlan, CheckIn, DischargeSummary, OutreachAttempt, OutreachTask
from groups.selectors import episode_track_progress
from iop.clients.models import Client, Episode
from iop.clients.notes import NoteAddendum

DUE_SOON_DAYS = 7


def aftercare_worklist(clients: QuerySet[Client], *, counselor=None, today=None) -> dict:
    """Due (within a week), overdue and flagged, oldest first (three queries)."""
    today = today or timezone.localdate()
    check_ins = CheckIn.objects.filter(
        client__in=clients,
        status=CheckIn.Status.SCHEDULED,
        due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
        plan__episode__phase=Episode.Phase.AFTERCARE,
    ).select_related("client", "plan")
    if counselor is not None:
        check_ins = check_ins.filter(plan__episode__primary_counselor=counselor)
    check_ins = list(check_ins.order_by("due_on", "pk"))
    flagged = AftercarePlan.objects.filter(
        client__in=clients,
        flagged_at__isnull=False,
        episode__phase=Episode.Phase.AFTERCARE,
    ).select_related("client")
    if counselor is not None:
        flagged = flagged.filter(episode__primary_counselor=counselor)
    return {
        "overdue": [c for c in check_ins if c.due_on < today],
        "due": [c for c in check_ins if c.due_on >= today],
        "flagged": list(flagged.order_by("flagged_at")),
        "today": today,
    }


def outreach_queue(clients: QuerySet[Client], *, counselor=None) -> list[OutreachTask]:
    """Open outreach tasks with their attempts, oldest first (two queries)."""
    tasks = OutreachTask.objects.filter(
        client__in=clients,
        status=OutreachTask.Status.OPEN,
        check_in__plan__episode__phase=Episode.Phase.AFTERCARE,
    ).select_related("client", "check_in")
    if counselor is not None:
        tasks = tasks.filter(counselor=counselor)
    return list(
        tasks.prefetch_related(
            Prefetch("attempts", queryset=OutreachAttempt.objects.select_related("by"))
        ).order_by("created_at", "pk")
    )


def step_down_readiness(episode: Episode) -> list[dict]:
    """Tracks whose required sessions are not met yet (a warning, not a block)."""
    return [
        item
        for item in episode_track_progress(episode)
        if item["track"].code != "social" and item["attended"] < item["required"]
    ]


def plan_for_chart(client: Client) -> AftercarePlan | None:
    return (
        AftercarePlan.objects.filter(client=client)
        .annotate(
            open_outreach=Count("check_ins__outreach", filter=Q(check_ins__outreach__status="open"))
        )
        .prefetch_related(Prefetch("check_ins", queryset=CheckIn.objects.order_by("due_on")))
        .order_by("-started_on")
        .first()
    )


def flagged_clients(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Clients flagged for three missed check-ins in a row (for caseload lists)."""
    return clients.filter(
        Exists(
            AftercarePlan.objects.filter(
                client=OuterRef("pk"),
                flagged_at__isnull=False,
                episode__phase=Episode.Phase.AFTERCARE,
            )
        )
    )


def summary_addenda(summaries: list[DischargeSummary]) -> dict[int, list[NoteAddendum]]:
    """The addenda of these discharge summaries, by summary, oldest first (one query)."""
    if not summaries:
        return {}
    by_summary: dict[int, list[NoteAddendum]] = {}
    for addendum in NoteAddendum.objects.filter(
        content_type=ContentType.objects.get_for_model(DischargeSummary),
        object_id__in=[summary.pk for summary in summaries],
    ).select_related("author"):
        by_summary.setdefault(addendum.object_id, []).append(addendum)
    return by_summary
