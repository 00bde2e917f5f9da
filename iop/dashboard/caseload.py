"""The counselor's caseload table: per client the phase, week in program,
Matrix progress, last attendance, last drug test, next appointment and the
flags that need attention. A fixed number of queries, whatever the caseload."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from aftercare.models import CheckIn
from groups.models import Attendance, Enrollment
from iop.clients.models import Appointment, DrugTest, DrugTestResult, Episode, TreatmentPlan

SORTS = {
    "name": lambda row: (row["client"].legal_last_name, row["client"].legal_first_name),
    "phase": lambda row: (row["episode"].phase, row["client"].legal_last_name),
    "week": lambda row: (-(row["week"] or 0), row["client"].legal_last_name),
    "last_attended": lambda row: (row["last_attended"] is None, row["last_attended"] or 0),
    "next_appointment": lambda row: (row["next_appointment"] is None, row["next_appointment"] or 0),
    "flags": lambda row: (-len(row["flags"]), row["client"].legal_last_name),
}


def caseload_rows(clients, *, counselor, sort: str = "name") -> list[dict]:
    today = timezone.localdate()
    now = timezone.now()
    last_test = DrugTest.objects.filter(client=OuterRef("client")).order_by("-collected_on", "-pk")
    unexpected = DrugTestResult.objects.filter(
        test=OuterRef("last_test_id"), result=DrugTestResult.Result.POSITIVE, expected=False
    )
    episodes = list(
        Episode.objects.filter(
            client__in=clients,
            primary_counselor=counselor,
            phase__in=[Episode.Phase.INTENSIVE, Episode.Phase.AFTERCARE],
        )
        .select_related("client")
        .annotate(
            last_attended=Max(
                "group_attendance__session__starts_at",
                filter=Q(group_attendance__status__in=["present", "late"]),
            ),
            last_test_on=Subquery(last_test.values("collected_on")[:1]),
            last_test_id=Subquery(last_test.values("pk")[:1]),
            next_appointment=Subquery(
                Appointment.objects.filter(
                    episode=OuterRef("pk"), status="scheduled", starts_at__gte=now
                )
                .order_by("starts_at")
                .values("starts_at")[:1]
            ),
            review_overdue=Exists(
                TreatmentPlan.objects.filter(
                    episode=OuterRef("pk"), status="active", next_review_due__lt=today
                )
            ),
            missed_check_in=Exists(
                CheckIn.objects.filter(plan__episode=OuterRef("pk")).filter(
                    Q(
                        outcome__in=["missed", "unable_to_reach"],
                        signed_at__gte=now - timedelta(days=30),
                    )
                    | Q(status="scheduled", due_on__lt=today)
                )
            ),
        )
        .annotate(unexpected_positive=Exists(unexpected))
    )
    ids = [episode.pk for episode in episodes]
    progress = _progress(ids)
    two_absences = _two_absences_in_a_row(ids)
    rows = []
    for episode in episodes:
        flags = []
        if episode.pk in two_absences:
            flags.append("two_absences")
        if episode.unexpected_positive:
            flags.append("unexpected_positive")
        if episode.review_overdue:
            flags.append("review_overdue")
        if episode.missed_check_in:
            flags.append("missed_check_in")
        week = None
        if episode.admission_date:
            week = (today - episode.admission_date).days // 7 + 1
        rows.append(
            {
                "client": episode.client,
                "episode": episode,
                "week": week,
                "progress": progress.get(episode.pk, []),
                "last_attended": episode.last_attended,
                "last_test_on": episode.last_test_on,
                "next_appointment": episode.next_appointment,
                "flags": flags,
            }
        )
    rows.sort(key=SORTS.get(sort, SORTS["name"]))
    return rows


def _progress(episode_ids: list[int]) -> dict[int, list[dict]]:
    """Sessions attended of required per track, two queries for everyone."""
    required = (
        Enrollment.objects.filter(episode_id__in=episode_ids)
        .values(
            "episode_id",
            "program_track__track__code",
            "program_track__track__name",
            "program_track__start_week",
        )
        .annotate(required=Min("program_track__sessions_required"))
        .order_by("episode_id", "program_track__start_week", "program_track__track__name")
    )
    attended = {
        (row["episode_id"], row["session__group__track__code"]): row["n"]
        for row in Attendance.objects.filter(
            episode_id__in=episode_ids,
            status__in=["present", "late"],
            session__status="scheduled",
        )
        .values("episode_id", "session__group__track__code")
        .annotate(n=Count("id"))
    }
    progress: dict[int, list[dict]] = defaultdict(list)
    for row in required:
        code = row["program_track__track__code"]
        done = attended.get((row["episode_id"], code), 0)
        progress[row["episode_id"]].append(
            {
                "code": code,
                "name": row["program_track__track__name"],
                "attended": done,
                "required": row["required"],
                "percent": min(100, round(100 * done / row["required"])) if row["required"] else 0,
            }
        )
    return progress


def _two_absences_in_a_row(episode_ids: list[int]) -> set[int]:
    """Episodes whose two most recent group sessions were both absences."""
    latest = (
        Attendance.objects.filter(episode_id__in=episode_ids, session__status="scheduled")
        .exclude(status="excused")
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("episode_id")], order_by=F("session__starts_at").desc()
            )
        )
        .filter(rank__lte=2)
        .values_list("episode_id", "status")
    )
    statuses: dict[int, list[str]] = defaultdict(list)
    for episode_id, status in latest:
        statuses[episode_id].append(status)
    return {
        episode_id
        for episode_id, values in statuses.items()
        if len(values) == 2 and all(value == "absent" for value in values)
    }
