"""Full IOP days for some demo clients, run by `manage.py seed_demo` (its
EXTRA_SEEDERS) after the groups and the clinical record exist.

The Matrix groups alone give a client at most 2 1/2 hours a day (Early
Recovery Skills and Relapse Prevention on the same morning, DOMAIN.md
section 2), while the IOP per diem H0015 asks for at least 3 hours a day on
at least 3 days a week (DOMAIN.md section 13). A program that bills the per
diem fills its days: besides the client's own Matrix groups, the open
groups the clinic runs that day (Matrix groups are open: a client may join
any session) and an individual session with the primary counselor. Here a
few intensive-phase clients of both caseloads have such weeks in the
recent past; in their other weeks, and for the other clients, the days stay
as the groups made them and bill component codes.

Everything is documented through the services staff use (a drop-in line on
the group's roster, signed by its facilitator; an individual session with a
DAP note, signed by the counselor), and each signature is dated the day of
the service, as the groups seeder does. Only groups run by the supervisor
or by the client's own counselor are joined, so the counselors still see
none of each other's clients (the access policy's group scope).
Idempotent: once any demo drop-in exists nothing is added.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from devdata.demo import groups_data
from devdata.demo.clients import in_clinic_hours
from groups.models import Attendance, GroupSession
from groups.services.sessions import Line, session_add_client, session_lines_save, session_sign
from iop.audit.policy import clients_visible_to
from iop.clients.models import Appointment, Episode, SessionNote, TreatmentPlan
from iop.clients.services import appointment_schedule
from iop.clients.services import sessions as session_services
from iop.clients.signing import signature_fields

# The per diem's defaults (billing.models.Payer): 3 hours, 3 days a week.
DAY_MINUTES = 180
DAYS_A_WEEK = 3
# How many clients, and how many of the last complete weeks, get full days.
CLIENTS = 6
WEEKS = 4
INDIVIDUAL_MINUTES = (50, 55, 60)

DROP_IN_REMARKS = (
    "Joined this session to complete a full program day; shared about {risk} and took "
    "part in the discussion of {topic}.",
    "Attended as part of the IOP day; related {topic} to {risk} and listened to peers.",
    "Came to this open session on the program day; described {risk} when the group "
    "discussed {topic}.",
)
NOTE = {
    "data": "Program-day individual session after group. Client reports {risk} this week.",
    "assessment": "Engaged; linking group material to personal triggers. Risk moderate.",
    "plan": "Continue the IOP schedule; review the relapse prevention plan next session.",
}


@dataclass
class _Day:
    day: date
    minutes: int = 0
    busy: list[tuple[datetime, datetime]] = field(default_factory=list)
    drop_ins: list[GroupSession] = field(default_factory=list)
    individual: int = 0

    def total(self) -> int:
        return self.minutes + sum(s.duration_minutes for s in self.drop_ins) + self.individual


def seed_iop_days(*, users, rng: random.Random, today: date) -> str:
    if Attendance.objects.filter(drop_in=True, client__email__endswith="@example.org").exists():
        return "IOP days: already there."
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=n) for n in range(WEEKS, 0, -1)]
    days = weeks_made = 0
    for episode in _chosen_episodes(weeks[0]):
        for week in weeks:
            plan = _plan_week(users, episode, week, rng)
            if plan is None:
                continue
            with transaction.atomic():
                for planned in plan:
                    _document_day(users, episode, planned, rng)
            days += len(plan)
            weeks_made += 1
    return f"IOP days: {days} full program days in {weeks_made} client-weeks."


def _chosen_episodes(first_monday: date) -> list[Episode]:
    """Intensive-phase clients admitted before the first week, alternating
    between the two caseloads."""
    episodes = list(
        Episode.objects.filter(
            phase=Episode.Phase.INTENSIVE,
            admission_date__lt=first_monday,
            client__email__endswith="@example.org",
        )
        .select_related("client", "primary_counselor")
        .order_by("-admission_date", "pk")
    )
    by_counselor: dict[int, list[Episode]] = {}
    for episode in episodes:
        by_counselor.setdefault(episode.primary_counselor_id, []).append(episode)
    chosen = []
    for rank in range(CLIENTS):
        for own in by_counselor.values():
            if rank < len(own) and len(chosen) < CLIENTS:
                chosen.append(own[rank])
    return chosen


def _local(at: datetime) -> datetime:
    return timezone.localtime(at)


def _plan_week(users, episode: Episode, monday: date, rng) -> list[_Day] | None:
    """The week's three fullest group days, topped up to three hours each;
    None when the client did not come to groups on three days."""
    since = timezone.make_aware(datetime.combine(monday, time.min))
    until = since + timedelta(days=5)
    lines = Attendance.objects.filter(
        client=episode.client,
        status__in=Attendance.ATTENDED,
        signed_at__isnull=False,
        session__starts_at__gte=since,
        session__starts_at__lt=until,
    ).select_related("session")
    days: dict[date, _Day] = {}
    for line in lines:
        start = _local(line.session.starts_at)
        entry = days.setdefault(start.date(), _Day(start.date()))
        entry.minutes += line.minutes
        entry.busy.append((start, start + timedelta(minutes=line.session.duration_minutes)))
    if len(days) < DAYS_A_WEEK:
        return None
    appointments = Appointment.objects.filter(
        client=episode.client, starts_at__gte=since, starts_at__lt=until
    )
    for appointment in appointments:
        entry = days.get(_local(appointment.starts_at).date())
        if entry is None:
            continue
        start = _local(appointment.starts_at)
        entry.busy.append((start, start + timedelta(minutes=appointment.duration_minutes)))
        note = SessionNote.objects.filter(appointment=appointment, signed_at__isnull=False).first()
        entry.minutes += note.minutes if note else 0
    runners = {users["supervisor"].pk, episode.primary_counselor_id}
    open_sessions = list(
        GroupSession.objects.filter(
            starts_at__gte=since,
            starts_at__lt=until,
            status=GroupSession.Status.SCHEDULED,
            signed_at__isnull=False,
            group__facilitator_id__in=runners,
        )
        .exclude(attendance__client=episode.client)
        .select_related("group")
        .order_by("-duration_minutes", "starts_at")
    )
    full = []
    for entry in sorted(days.values(), key=lambda d: (-d.minutes, d.day)):
        for session in open_sessions:
            if entry.total() >= DAY_MINUTES:
                break
            start = _local(session.starts_at)
            span = (start, start + timedelta(minutes=session.duration_minutes))
            if start.date() == entry.day and not _overlaps(span, entry.busy):
                entry.drop_ins.append(session)
                entry.busy.append(span)
        if entry.total() < DAY_MINUTES:
            entry.individual = max(rng.choice(INDIVIDUAL_MINUTES), DAY_MINUTES - entry.total())
            if entry.individual > max(INDIVIDUAL_MINUTES) or _slot(entry) is None:
                continue
        full.append(entry)
        if len(full) == DAYS_A_WEEK:
            return full
    return None


def _overlaps(span, busy) -> bool:
    return any(span[0] < end and start < span[1] for start, end in busy)


def _slot(entry: _Day) -> datetime | None:
    """A time for the individual session that day: right after the client's
    last group, or else before the first, within clinic hours."""
    minutes = entry.individual
    ends = sorted(end for _start, end in entry.busy)
    starts = sorted(start for start, _end in entry.busy)
    candidates = [end + timedelta(minutes=15) for end in ends]
    candidates += [start - timedelta(minutes=minutes + 15) for start in starts]
    for at in candidates:
        at = at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)
        span = (at, at + timedelta(minutes=minutes))
        if in_clinic_hours(at, minutes) and not _overlaps(span, entry.busy):
            return at
    return None


def _document_day(users, episode: Episode, entry: _Day, rng) -> None:
    client = episode.client
    risk = rng.choice(groups_data.RISKS)
    for session in entry.drop_ins:
        facilitator = session.group.facilitator
        session_add_client(
            actor=facilitator,
            session=session,
            client=client,
            visible_clients=clients_visible_to(facilitator),
        )
        topic = f'"{session.topic.title}"' if session.topic else "today's topic"
        # Payers deny cloned notes: no other line of the session says the same.
        taken = set(session.attendance.values_list("remark", flat=True))
        remark = next(
            text
            for detail in [risk, *rng.sample(groups_data.RISKS, len(groups_data.RISKS))]
            if (text := rng.choice(DROP_IN_REMARKS).format(risk=detail, topic=topic)) not in taken
        )
        line = Line(
            status=Attendance.Status.PRESENT,
            minutes=session.duration_minutes,
            participation="active" if rng.random() < 0.6 else "attentive",
            remark=remark,
        )
        session_lines_save(
            actor=facilitator, session=session, summary=None, lines={client.pk: line}
        )
        session_sign(actor=facilitator, session=session, accept_identical=True)
        # Signed with the group note, as every other line of the session.
        Attendance.objects.filter(session=session, client=client).update(
            signed_at=session.signed_at, signed_late=session.signed_late
        )
    if entry.individual:
        _individual(episode, entry, risk)


def _individual(episode: Episode, entry: _Day, risk: str) -> None:
    counselor = episode.primary_counselor
    starts_at = _slot(entry)
    appointment = appointment_schedule(
        actor=counselor,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=starts_at,
        counselor=counselor,
        duration_minutes=entry.individual,
    )
    plan = TreatmentPlan.objects.filter(episode=episode, status="active").first()
    objectives = list(plan.problems.first().goals.first().objectives.all()) if plan else []
    note = session_services.session_document(
        actor=counselor,
        appointment=appointment,
        status=Appointment.Status.ATTENDED,
        data=NOTE["data"].format(risk=risk),
        assessment=NOTE["assessment"],
        plan=NOTE["plan"],
        minutes=entry.individual,
        objectives=objectives,
    )
    session_services.session_note_sign(actor=counselor, note=note)
    when = starts_at + timedelta(minutes=entry.individual + 20)
    fields = signature_fields(actor=counselor, service_started_at=starts_at, now=when)
    SessionNote.objects.filter(pk=note.pk).update(
        signed_at=fields["signed_at"], signed_late=fields["signed_late"]
    )
