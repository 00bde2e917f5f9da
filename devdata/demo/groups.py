"""Demo Matrix groups, run by `manage.py seed_demo` (its EXTRA_SEEDERS).

Recurring groups for all four tracks (devdata.demo.groups_data.GROUPS) meet from
sixteen weeks before the seeding day, the length of the intensive phase, so
every client in it has the group history of their weeks so far (Early
Recovery Skills in weeks 1-4 included); Social Support, which starts in week
13, from eight weeks before. Their occurrences run eight weeks ahead.
The demo clients were admitted before any group existed, so their enrollments
have no group yet: each one that falls in that window is placed the way
admission would have placed it (the group of its track with the fewest
members and a free place), among the groups no other counselor with a
caseload runs, so the demo's counselors see none of each other's clients
(the access policy's group scope). Past sessions are documented and signed through
the services a counselor uses (attendance, group note, one individual line per
client, signing), with three deliberate exceptions for My day: counselor1's two
latest past sessions are left unsigned (one with attendance saved, one
untouched), one session is cancelled, and today's sessions are left to
document. Each signature is then dated when the counselor would have signed
(see _date_signature), one of them more than 72 hours late. Idempotent: once
the demo groups exist nothing is added.
"""

import random
import re
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from devdata.demo import groups_data as data
from groups.models import Attendance, Enrollment, GroupSession, RecurringGroup, Topic, Track
from groups.selectors import session_roster
from groups.services.enrollment import enrollment_change_group
from groups.services.schedule import group_session_cancel, group_sessions_generate
from groups.services.sessions import Line, session_lines_save, session_sign
from iop.clients.models import Episode
from iop.clients.signing import signature_fields

WEEKS_BACK = 16
# Tracks whose groups start later: Social Support begins in week 13, so
# sixteen weeks back its groups would have met without anyone.
TRACK_WEEKS_BACK = {"social": 8}
WEEKS_AHEAD = 8
# The one note signed late (DOMAIN.md section 5: more than 72 hours after).
LATE_SIGNATURE_AFTER = timedelta(days=4, hours=2)


def seed_groups(*, users, rng: random.Random, today: date) -> str:
    """Seed the demo groups, their sessions and notes; returns a summary line."""
    names = [plan.name for plan in data.GROUPS]
    if RecurringGroup.objects.filter(name__in=names).exists():
        return _summary(placed=None)
    starts_on = today - timedelta(weeks=WEEKS_BACK)
    until = today + timedelta(weeks=WEEKS_AHEAD)
    with transaction.atomic():
        groups = _create_groups(users, rng, today=today)
        for group in groups:
            group_sessions_generate(group=group, until=until, today=group.starts_on)
        placed = _place_enrollments(users, starts_on=starts_on, until=until)
        _document_past(users, rng, groups=groups, today=today)
    return _summary(placed=placed)


def _demo_groups():
    names = [plan.name for plan in data.GROUPS]
    extra = [data.EXTRA_GROUP_NAME.format(weekday=label) for label in RecurringGroup.Weekday.labels]
    return RecurringGroup.objects.filter(name__in=names + extra)


def _summary(*, placed: int | None) -> str:
    groups = _demo_groups()
    sessions = GroupSession.objects.filter(group__in=groups)
    lines = Attendance.objects.filter(session__in=sessions)
    tracks = groups.values("track").distinct().count()
    text = (
        f"Groups: {groups.count()} recurring groups in {tracks} tracks, "
        f"{sessions.count():,} sessions ({sessions.filter(signed_at__isnull=False).count():,} "
        f"signed, {sessions.filter(status=GroupSession.Status.CANCELLED).count()} cancelled), "
        f"{lines.count():,} attendance lines"
    )
    if placed is None:
        return text + " (already there)."
    return text + f"; {placed} enrollments placed in a group."


def _create_groups(users, rng, *, today: date) -> list[RecurringGroup]:
    """The weekly groups, each part-way through its topic cycle (open groups)."""
    plans = list(data.GROUPS)
    counselor1_days = {plan.weekday for plan in plans if plan.facilitator == "counselor1"}
    if today.weekday() not in counselor1_days:
        label = RecurringGroup.Weekday(today.weekday()).label
        plans.append(
            data.EXTRA_GROUP._replace(
                name=data.EXTRA_GROUP_NAME.format(weekday=label), weekday=today.weekday()
            )
        )
    tracks = Track.objects.in_bulk([plan.track for plan in plans], field_name="code")
    cycle = Counter(Topic.objects.filter(track__in=tracks.values()).values_list("track", flat=True))
    groups = []
    for plan in plans:
        track = tracks[plan.track]
        groups.append(
            RecurringGroup.objects.create(
                track=track,
                name=plan.name,
                weekday=plan.weekday,
                start_time=plan.start,
                room=plan.room,
                video_link=plan.video_link,
                facilitator=users[plan.facilitator],
                co_facilitator=users[plan.co_facilitator] if plan.co_facilitator else None,
                starts_on=today - timedelta(weeks=TRACK_WEEKS_BACK.get(plan.track, WEEKS_BACK)),
                next_topic_number=rng.randint(1, max(cycle[track.pk], 1)),
            )
        )
    return groups


def _place_enrollments(users, *, starts_on: date, until: date) -> int:
    """Put each open episode's enrollment without a group, whose weeks meet
    the seeded window, into a group of its track: the one with the fewest
    members that has room, as admission chooses (group_with_room), among the
    groups no other caseload counselor runs; in order of start, so the
    clients of a week spread over the group pair. Enrollments that ended
    before the window keep no group: they would only fill places."""
    supervisor = users["supervisor"]
    counselors = [users[name] for name in data.CASELOAD_COUNSELORS if name in users]
    pending = (
        Enrollment.objects.filter(
            group__isnull=True,
            status=Enrollment.Status.ACTIVE,
            episode__phase__in=Episode.ACTIVE_PHASES,
            start_date__lte=until,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=starts_on))
        .select_related("program_track__track", "episode__client")
        .order_by("start_date", "pk")
    )
    placed = 0
    for enrollment in pending:
        plan = enrollment.program_track
        others = [c for c in counselors if c.pk != enrollment.episode.primary_counselor_id]
        group = _group_with_room(plan.track, on=enrollment.start_date, others=others)
        if group is None:
            continue
        enrollment_change_group(actor=supervisor, enrollment=enrollment, group=group)
        placed += 1
        # Twice-weekly tracks (ERS, RP) meet in a second group on another day,
        # as admission does with groups_for_plan.
        weekdays = [group.weekday]
        for _session in range(plan.sessions_per_week - 1):
            other = _group_with_room(
                plan.track, on=enrollment.start_date, others=others, exclude_weekdays=weekdays
            )
            if other is None:
                break
            Enrollment.objects.create(
                episode=enrollment.episode,
                program_track=plan,
                group=other,
                start_date=enrollment.start_date,
                end_date=enrollment.end_date,
            )
            weekdays.append(other.weekday)
            placed += 1
    return placed


def _group_with_room(track, *, on: date, others, exclude_weekdays=()) -> RecurringGroup | None:
    """As group_with_room, the least full group of the track that has a
    place (members counted as it counts them: enrolled on the day, episode
    open), but among the groups none of `others` facilitates or
    co-facilitates."""
    current = (
        Q(enrollments__status=Enrollment.Status.ACTIVE)
        & (Q(enrollments__end_date__isnull=True) | Q(enrollments__end_date__gte=on))
        & Q(enrollments__episode__phase__in=Episode.ACTIVE_PHASES)
    )
    return (
        RecurringGroup.objects.filter(track=track, active=True)
        .exclude(weekday__in=exclude_weekdays)
        .exclude(Q(facilitator__in=others) | Q(co_facilitator__in=others))
        .annotate(members=Count("enrollments", filter=current))
        .filter(members__lt=track.capacity)
        .order_by("members", "weekday", "start_time", "pk")
        .first()
    )


def _document_past(users, rng, *, groups: list[RecurringGroup], today: date) -> None:
    """Attendance, notes and signatures for the sessions before today."""
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    past = list(
        GroupSession.objects.filter(group__in=groups, starts_at__lt=midnight)
        .select_related("group__track", "group__facilitator", "topic")
        .order_by("starts_at", "pk")
    )
    cancelled = _cancel_one(past, today=today)
    rosters = {session.pk: session_roster(session) for session in past if session.pk != cancelled}
    # counselor1's two latest sessions that had clients stay unsigned for My day.
    counselor1 = users["counselor1"]
    own = [s for s in past if s.group.facilitator_id == counselor1.pk and rosters.get(s.pk)]
    untouched = own[-1].pk if own else None
    unsigned = own[-2].pk if len(own) > 1 else None
    # One of counselor1's sessions about four weeks back is signed late.
    recent = today - timedelta(weeks=4)
    late = next((s.pk for s in own if timezone.localdate(s.starts_at) >= recent), None)
    draws = _Draws(rng)
    for session in past:
        if session.pk in (cancelled, untouched):
            continue
        roster = rosters[session.pk]
        facilitator = session.group.facilitator
        if not roster:
            # Nobody was enrolled that week: the group did not meet.
            group_session_cancel(
                actor=facilitator, session=session, reason="No clients enrolled this week"
            )
            continue
        lines, attended = draws.lines(session, roster)
        summary = draws.summary(session, attended)
        session_lines_save(actor=facilitator, session=session, summary=summary, lines=lines)
        if session.pk == unsigned:
            continue
        session_sign(actor=facilitator, session=session)
        when = draws.signed_at(session, late=session.pk == late)
        _date_signature(session, actor=facilitator, when=when)


def _cancel_one(past: list[GroupSession], *, today: date) -> int | None:
    """Cancel one past occurrence, before any later one is documented, so
    the following sessions step back one topic as they would have."""
    day = today - timedelta(weeks=data.CANCELLED_WEEKS_AGO)
    candidates = [s for s in past if s.group.name == data.CANCELLED_GROUP]
    if not candidates:
        return None
    session = min(candidates, key=lambda s: abs(timezone.localdate(s.starts_at) - day))
    group_session_cancel(
        actor=session.group.facilitator, session=session, reason=data.CANCEL_REASON
    )
    return session.pk


def _date_signature(session: GroupSession, *, actor, when: datetime) -> None:
    """Give the signature just made the time the counselor would have signed.

    session_sign signs at the moment the seed runs, which would mark every
    note older than 72 hours late; the demo shows notes signed on time, as a
    clinic's usually are. The values, late flag included, come from the same
    signature_fields the service uses, only at `when`."""
    fields = signature_fields(actor=actor, service_started_at=session.starts_at, now=when)
    dated = {"signed_at": fields["signed_at"], "signed_late": fields["signed_late"]}
    GroupSession.objects.filter(pk=session.pk).update(**dated)
    Attendance.objects.filter(session=session, signed_by=actor).update(**dated)


def _normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


class _Draws:
    """The random draws of the documentation, from one generator in session
    order; a client keeps their attendance habit and personal story."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.struggling: dict[int, bool] = {}
        self.stories: dict[int, list[str]] = {}

    def _status(self, client_id: int) -> str:
        if client_id not in self.struggling:
            self.struggling[client_id] = self.rng.random() < data.STRUGGLING_SHARE
        weights = (
            data.STRUGGLING_STATUS_WEIGHTS if self.struggling[client_id] else data.STATUS_WEIGHTS
        )
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def _story(self, client_id: int) -> dict[str, list[str]]:
        if client_id not in self.stories:
            self.stories[client_id] = {
                "risk": self.rng.sample(data.RISKS, data.STORY_RISKS),
                "progress": self.rng.sample(data.PROGRESS, data.STORY_PROGRESS),
            }
        return self.stories[client_id]

    def lines(self, session: GroupSession, roster) -> tuple[dict[int, Line], int]:
        """One line per roster client; at least one client attends."""
        duration = session.duration_minutes
        statuses = {entry.client.pk: self._status(entry.client.pk) for entry in roster}
        if not any(status in Attendance.ATTENDED for status in statuses.values()):
            statuses[self.rng.choice(list(statuses))] = "present"
        family = session.group.track.for_family
        topic = _topic_reference(session)
        used_details: set[str] = set()
        used_remarks: set[str] = set()
        lines = {}
        for client_id, status in statuses.items():
            if status not in Attendance.ATTENDED:
                lines[client_id] = Line(status=status, minutes=0)
                continue
            if status == "late":
                minutes = duration - self.rng.choice((10, 15, 20, 25))
            elif self.rng.random() < 0.06:
                minutes = duration - self.rng.choice((15, 20, 30))  # left early
            else:
                minutes = duration
            level = self.rng.choices(
                list(data.PARTICIPATION_WEIGHTS), list(data.PARTICIPATION_WEIGHTS.values())
            )[0]
            remark = self._remark(client_id, level, family=family, topic=topic, used=used_details)
            # Details differ within a session, so remarks do; guard anyway.
            while _normalised(remark) in used_remarks:
                remark = f"{remark} Follow-up planned."
            used_remarks.add(_normalised(remark))
            lines[client_id] = Line(
                status=status, minutes=minutes, participation=level, remark=remark
            )
        attended = sum(1 for line in lines.values() if line.status in Attendance.ATTENDED)
        return lines, attended

    def _remark(self, client_id: int, level: str, *, family: bool, topic: str, used: set) -> str:
        """A remark from the level's templates with a detail no other client of
        the session got: the client's own story first, then the whole bank."""
        if family:
            template = self.rng.choice(data.FAMILY_REMARKS[level])
            kind, pools = "detail", (data.FAMILY_DETAILS, data.RISKS)
        else:
            template = self.rng.choice(data.REMARKS[level])
            kind = "progress" if "{progress}" in template else "risk"
            bank = data.PROGRESS if kind == "progress" else data.RISKS
            pools = (self._story(client_id)[kind], bank)
        choices = [detail for detail in pools[0] if detail not in used]
        choices = choices or [detail for detail in pools[1] if detail not in used] or pools[1]
        detail = self.rng.choice(choices)
        used.add(detail)
        return template.format(topic=topic, **{kind: detail})

    def summary(self, session: GroupSession, attended: int) -> str:
        template = self.rng.choice(data.SUMMARIES[session.group.track.code])
        text = template.format(
            topic=_topic_label(session),
            members=_count(attended, "member"),
            clients=_count(attended, "client"),
        )
        return text[0].upper() + text[1:]

    def signed_at(self, session: GroupSession, *, late: bool) -> datetime:
        """When the facilitator signed: mostly the same day, now and then the
        next morning; the one late note four days after."""
        ended = session.starts_at + timedelta(minutes=session.duration_minutes)
        if late:
            when = session.starts_at + LATE_SIGNATURE_AFTER
        elif self.rng.random() < 0.15:
            morning = datetime.combine(timezone.localdate(ended) + timedelta(days=1), time(8))
            when = timezone.make_aware(morning) + timedelta(minutes=self.rng.randint(0, 120))
        else:
            when = ended + timedelta(minutes=self.rng.randint(10, 180))
        return min(when, timezone.now() - timedelta(minutes=1))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _topic_label(session: GroupSession) -> str:
    topic = session.topic
    if topic is None:
        return "an open topic"
    if topic.placeholder:
        return f"curriculum session {topic.number}"
    return f'"{topic.title}"'


def _topic_reference(session: GroupSession) -> str:
    topic = session.topic
    if topic is None or topic.placeholder:
        return "today's topic"
    return f'"{topic.title}"'
