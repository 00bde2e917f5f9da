"""Reads for the group pages, My day and the chart's progress section. Each
function makes a fixed number of queries, whatever the roster or history."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from groups.models import Attendance, Enrollment, GroupSession, RecurringGroup
from iop.audit.policy import clients_visible_to
from iop.clients.models import Appointment, Client, Episode, Objective, TreatmentPlan
from iop.extensions import roster_markers

# IOP: at least 9 hours a week for adults; a day of 3+ hours, in a week with
# 3+ such days, counts toward H0015 (DOMAIN.md sections 1 and 5a).
IOP_WEEKLY_MINUTES = 9 * 60
H0015_DAY_MINUTES = 3 * 60
H0015_DAYS_PER_WEEK = 3


@dataclass
class RosterEntry:
    client: Client
    episode_id: int
    attendance: Attendance | None
    enrolled: bool
    # Whether the viewer the roster was read for may open the client's chart
    # (a past roster holds clients since discharged or moved on).
    chart_visible: bool = False
    # Whether the page may name the client: always when read without a
    # viewer (services), else only when the viewer may open the chart; a
    # former member stays a row of the session, without name or line.
    named: bool = True
    # Other apps' short markers ("BAM due"), from ROSTER_MARKERS.
    markers: list[str] = field(default_factory=list)

    @property
    def drop_in(self) -> bool:
        return not self.enrolled

    @property
    def label(self) -> str:
        return self.client.display_name if self.named else gettext("a former member")


def session_roster(session: GroupSession, *, viewer=None) -> list[RosterEntry]:
    """Enrolled clients of the group on the session's day, plus anyone with a
    line on the session (drop-ins, clients since moved). Two queries. With a
    viewer, each entry says whether the viewer may open the client's chart,
    read in the same two queries."""
    day = timezone.localdate(session.starts_at)
    enrollments = (
        Enrollment.objects.filter(
            group_id=session.group_id,
            status=Enrollment.Status.ACTIVE,
            start_date__lte=day,
            episode__phase__in=Episode.ACTIVE_PHASES,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("episode__client")
        .annotate(chart_visible=_visible_to(viewer, "episode__client"))
    )
    rows = {
        row.client_id: row
        for row in session.attendance.select_related("client").annotate(
            chart_visible=_visible_to(viewer, "client")
        )
    }
    entries: dict[int, RosterEntry] = {}
    for enrollment in enrollments:
        client = enrollment.episode.client
        entries[client.pk] = RosterEntry(
            client=client,
            episode_id=enrollment.episode_id,
            attendance=rows.get(client.pk),
            enrolled=True,
            chart_visible=enrollment.chart_visible,
            named=viewer is None or enrollment.chart_visible,
        )
    for client_id, row in rows.items():
        if client_id not in entries:
            entries[client_id] = RosterEntry(
                client=row.client,
                episode_id=row.episode_id,
                attendance=row,
                enrolled=False,
                chart_visible=row.chart_visible,
                named=viewer is None or row.chart_visible,
            )
    return sorted(
        entries.values(), key=lambda entry: (entry.client.legal_last_name, entry.client.pk)
    )


def roster_mark(roster: list[RosterEntry], day: date) -> list[RosterEntry]:
    """Put other apps' markers (iop.extensions.ROSTER_MARKERS) on the
    entries the page names, for the session's day: one query per marker
    for the whole roster."""
    markers = roster_markers([entry.client.pk for entry in roster if entry.named], day)
    for entry in roster:
        entry.markers = markers.get(entry.client.pk, []) if entry.named else []
    return roster


def _visible_to(viewer, client_field: str):
    """Whether the row's client is one `viewer` may see (the access policy),
    as an expression of the row's own query: an uncorrelated IN, as the
    policy's scopes are."""
    if viewer is None:
        return Value(False)
    if viewer.sees_whole_program:
        return Value(True)
    return ExpressionWrapper(
        Q(**{f"{client_field}__in": clients_visible_to(viewer).values("pk")}),
        output_field=BooleanField(),
    )


def groups_visible_to(user) -> QuerySet[RecurringGroup]:
    """Supervisors and administrators see every group; a counselor the groups
    they facilitate or co-facilitate."""
    groups = RecurringGroup.objects.select_related("track", "facilitator", "co_facilitator")
    if user.sees_whole_program:
        return groups
    if user.is_counselor:
        return groups.filter(Q(facilitator=user) | Q(co_facilitator=user))
    return groups.none()


def sessions_visible_to(user) -> QuerySet[GroupSession]:
    return GroupSession.objects.filter(group__in=groups_visible_to(user)).select_related(
        "group__track", "topic"
    )


def counselor_day(user, day: date | None = None) -> dict:
    """My day: today's groups and individual sessions, and the last 7 days'
    sessions whose notes are not signed. Three queries.

    An appointment names its client, so only those of clients the user may
    open are listed (booking a counselor opens the client to them for the
    appointment's window; a cancelled one, or one of a client since
    discharged or reassigned, does not)."""
    day = day or timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = start + timedelta(days=1)
    mine = Q(group__facilitator=user) | Q(group__co_facilitator=user)
    sessions = (
        GroupSession.objects.filter(mine, starts_at__gte=start, starts_at__lt=end)
        .select_related("group__track", "topic")
        .annotate(marked=Count("attendance"))
        .order_by("starts_at")
    )
    appointments = (
        Appointment.objects.filter(
            counselor=user,
            starts_at__gte=start,
            starts_at__lt=end,
            client__in=clients_visible_to(user),
        )
        # The note, if any, for the link to it.
        .select_related("client", "note")
        .order_by("starts_at")
    )
    unsigned = (
        GroupSession.objects.filter(
            mine,
            starts_at__gte=start - timedelta(days=7),
            starts_at__lt=timezone.now(),
            status=GroupSession.Status.SCHEDULED,
            signed_at__isnull=True,
        )
        .exclude(starts_at__gte=start)
        .select_related("group__track", "topic")
        .order_by("starts_at")
    )
    return {
        "day": day,
        "sessions": list(sessions),
        "appointments": list(appointments),
        "unsigned_sessions": list(unsigned),
    }


def episode_track_progress(episode: Episode) -> list[dict]:
    """Per enrolled track, once: sessions attended of required, topics
    covered and absences, since the track's first enrollment. A client moved
    to another group of the same track has an enrollment per group, and the
    counts are the track's: the current enrollment (the active one, else the
    latest) stands for the track. Three queries."""
    enrollments = list(
        episode.enrollments.select_related("program_track__track", "group").order_by(
            "program_track__start_week", "start_date", "pk"
        )
    )
    current: dict[int, Enrollment] = {}
    first_day: dict[int, date] = {}
    for enrollment in enrollments:
        track_id = enrollment.program_track.track_id
        first_day.setdefault(track_id, enrollment.start_date)
        kept = current.get(track_id)
        if (
            kept is None
            or enrollment.status == Enrollment.Status.ACTIVE
            or (kept.status != Enrollment.Status.ACTIVE)
        ):
            current[track_id] = enrollment
    counts = (
        Attendance.objects.filter(episode=episode, session__status=GroupSession.Status.SCHEDULED)
        .values("session__group__track_id")
        .annotate(
            attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED)),
            absent=Count("pk", filter=Q(status="absent")),
            excused=Count("pk", filter=Q(status="excused")),
        )
    )
    by_track = {row["session__group__track_id"]: row for row in counts}
    topics = defaultdict(list)
    covered = (
        Attendance.objects.filter(
            episode=episode,
            status__in=Attendance.ATTENDED,
            session__topic__isnull=False,
            session__status=GroupSession.Status.SCHEDULED,
        )
        .values_list("session__group__track_id", "session__topic__number", "session__topic__title")
        .distinct()
        .order_by("session__group__track_id", "session__topic__number")
    )
    for track_id, number, title in covered:
        topics[track_id].append((number, title))
    progress = []
    for enrollment in current.values():
        track = enrollment.program_track.track
        row = by_track.get(track.pk, {})
        required = enrollment.program_track.sessions_required
        attended = row.get("attended", 0)
        progress.append(
            {
                "enrollment": enrollment,
                "started_on": first_day[track.pk],
                "track": track,
                "required": required,
                "attended": attended,
                "percent": min(100, round(100 * attended / required)) if required else 0,
                "absent": row.get("absent", 0),
                "excused": row.get("excused", 0),
                "topics": topics.get(track.pk, []),
            }
        )
    return progress


def episode_weekly_hours(episode: Episode) -> list[dict]:
    """Attended hours per week (groups and attended individual sessions),
    against the 9-hour IOP minimum, and whether each week qualifies for
    H0015 (3 or more days of 3 or more hours). Two queries."""
    tz = timezone.get_current_timezone()
    per_day: dict[date, int] = defaultdict(int)
    group_days = (
        Attendance.objects.filter(
            episode=episode,
            status__in=Attendance.ATTENDED,
            session__status=GroupSession.Status.SCHEDULED,
        )
        .annotate(day=TruncDate("session__starts_at", tzinfo=tz))
        .values("day")
        .annotate(minutes=Sum("minutes"))
    )
    for row in group_days:
        per_day[row["day"]] += row["minutes"] or 0
    session_days = (
        Appointment.objects.filter(episode=episode, status=Appointment.Status.ATTENDED)
        .annotate(day=TruncDate("starts_at", tzinfo=tz))
        .values("day")
        .annotate(minutes=Sum("duration_minutes"))
    )
    for row in session_days:
        per_day[row["day"]] += row["minutes"] or 0
    weeks: dict[date, dict] = {}
    for day, minutes in sorted(per_day.items()):
        monday = day - timedelta(days=day.weekday())
        week = weeks.setdefault(monday, {"week_of": monday, "minutes": 0, "full_days": 0})
        week["minutes"] += minutes
        if minutes >= H0015_DAY_MINUTES:
            week["full_days"] += 1
    for week in weeks.values():
        week["hours"] = round(week["minutes"] / 60, 1)
        week["meets_minimum"] = week["minutes"] >= IOP_WEEKLY_MINUTES
        week["h0015"] = week["full_days"] >= H0015_DAYS_PER_WEEK
    return sorted(weeks.values(), key=lambda week: week["week_of"], reverse=True)


def unsigned_group_sessions(user, *, days: int = 30) -> QuerySet[GroupSession]:
    """Past sessions of the user's groups whose note is not signed."""
    now = timezone.now()
    return (
        GroupSession.objects.filter(
            Q(group__facilitator=user) | Q(group__co_facilitator=user),
            starts_at__lt=now,
            starts_at__gte=now - timedelta(days=days),
            status=GroupSession.Status.SCHEDULED,
            signed_at__isnull=True,
        )
        .select_related("group")
        .order_by("starts_at")
    )


def sessions_awaiting_cosignature() -> QuerySet[GroupSession]:
    return (
        GroupSession.objects.filter(cosign_required=True, cosigned_at__isnull=True)
        .exclude(signed_at__isnull=True)
        .select_related("group", "signed_by")
        .order_by("signed_at")
    )


def active_objectives_by_client(client_ids: list[int]) -> dict[int, list]:
    """Objectives of each client's active treatment plan, for the per-client
    lines of a group session to address (one query for the whole roster)."""
    objectives = (
        Objective.objects.filter(
            goal__problem__plan__client_id__in=client_ids,
            goal__problem__plan__status=TreatmentPlan.Status.ACTIVE,
        )
        .select_related("goal__problem__plan")
        .order_by("goal__problem__number", "goal__number", "number")
    )
    by_client: dict[int, list] = defaultdict(list)
    for objective in objectives:
        by_client[objective.goal.problem.plan.client_id].append(objective)
    return dict(by_client)


def drop_in_candidates(user, *, on_roster, text: str = "") -> QuerySet[Client]:
    """Clients with an open episode the user may see, not on the roster; with
    `text`, only those whose name or record number holds it."""
    candidates = (
        clients_visible_to(user)
        .filter(episodes__phase__in=Episode.ACTIVE_PHASES)
        .exclude(pk__in=on_roster)
        .distinct()
    )
    if text:
        candidates = candidates.filter(
            Q(legal_last_name__icontains=text)
            | Q(legal_first_name__icontains=text)
            | Q(preferred_name__icontains=text)
            | Q(mrn__icontains=text)
        )
    return candidates


def drop_in_choices(candidates: QuerySet[Client], *, limit: int) -> list[tuple[Client, str]]:
    """The first `limit` candidates by name with their label (the client's
    str()), in one query reading only what the label needs."""
    clients = candidates.order_by("legal_last_name", "legal_first_name", "pk").only(
        "pk", "preferred_name", "legal_first_name", "legal_last_name", "mrn"
    )[:limit]
    return [(client, str(client)) for client in clients]
