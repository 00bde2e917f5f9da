"""The counselor's caseload table: per client the phase, week in program,
Matrix progress, last attendance, last drug test, next appointment, the
flags that need attention and the measures' "not on track" flags
(outcomes.rules). A fixed number of queries, whatever the caseload."""

import heapq
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Exists,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from aftercare.models import CheckIn
from groups.models import Attendance, Enrollment, GroupSession
from iop.clients.models import Appointment, DrugTest, DrugTestResult, Episode, TreatmentPlan
from outcomes.selectors import episodes_standing

SORTS = {
    "name": lambda row: (row["client"].legal_last_name, row["client"].legal_first_name),
    "phase": lambda row: (row["episode"].phase, row["client"].legal_last_name),
    "week": lambda row: (-(row["week"] or 0), row["client"].legal_last_name),
    "last_attended": lambda row: (row["last_attended"] is None, row["last_attended"] or 0),
    "next_appointment": lambda row: (row["next_appointment"] is None, row["next_appointment"] or 0),
    "flags": lambda row: (-len(row["flags"]), row["client"].legal_last_name),
    "not_on_track": lambda row: (-len(row["not_on_track"]), row["client"].legal_last_name),
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
            phase__in=Episode.ACTIVE_PHASES,
        )
        .select_related("client")
        .annotate(
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
    attendance = _attendance_summary(ids)
    progress = _progress(ids, attendance.attended)
    # Rules, administrations and due measures: three queries for the table.
    standings = episodes_standing(episodes, today=today)
    rows = []
    for episode in episodes:
        flags = []
        if episode.pk in attendance.two_absences:
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
                "last_attended": attendance.last_attended.get(episode.pk),
                "last_test_on": episode.last_test_on,
                "next_appointment": episode.next_appointment,
                "flags": flags,
                "not_on_track": standings[episode.pk].flags if episode.pk in standings else [],
            }
        )
    rows.sort(key=SORTS.get(sort, SORTS["name"]))
    return rows


@dataclass
class _Attendance:
    attended: dict[tuple[int, str], int]
    last_attended: dict[int, datetime]
    two_absences: set[int]


def _attendance_summary(episode_ids: list[int]) -> _Attendance:
    """One pass over the episodes' group attendance (one query): sessions
    attended (present or late) per track, of scheduled sessions; the latest
    session attended; and the episodes whose two most recent scheduled
    sessions, excused ones left out, were both absences."""
    rows = (
        Attendance.objects.filter(episode_id__in=episode_ids)
        .order_by()
        .values_list(
            "episode_id",
            "status",
            "session__starts_at",
            "session__status",
            "session__group__track__code",
        )
    )
    attended: dict[tuple[int, str], int] = defaultdict(int)
    last_attended: dict[int, datetime] = {}
    latest: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for episode_id, status, starts_at, session_status, track_code in rows:
        present = status in Attendance.ATTENDED
        if present and (episode_id not in last_attended or starts_at > last_attended[episode_id]):
            last_attended[episode_id] = starts_at
        if session_status != GroupSession.Status.SCHEDULED:
            continue
        if present:
            attended[episode_id, track_code] += 1
        if status != Attendance.Status.EXCUSED:
            latest[episode_id].append((starts_at, status))
    two_absences = set()
    for episode_id, sessions in latest.items():
        last_two = heapq.nlargest(2, sessions, key=lambda item: item[0])
        if len(last_two) == 2 and all(status == "absent" for _, status in last_two):
            two_absences.add(episode_id)
    return _Attendance(attended, last_attended, two_absences)


def _progress(
    episode_ids: list[int], attended: dict[tuple[int, str], int]
) -> dict[int, list[dict]]:
    """Sessions attended of required per track: one query for the tracks
    required, the attendance counted by _attendance_summary."""
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
