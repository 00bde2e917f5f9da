"""Recurring Matrix groups of every track of the default program, their
weekly sessions over three years and four weeks ahead, enrollments placed
as admission places them (the group, or Monday/Friday pair, with the fewest
current members and a free place), attendance and signed group notes.

Groups open as the clinic grows, so early groups are not empty. Attendance
follows each episode's engagement (about 80% present or late overall) and
falls off in the weeks before a drop-out. Recent sessions are partly left
unsigned, and a few percent of notes are signed more than 72 hours late.
"""

from bisect import bisect_left
from datetime import date

from devdata.load import text
from devdata.load.context import DAY, HISTORY_DAYS, UNSIGNED, Ctx, new_uuid, sign_note
from devdata.load.enrollment import enroll
from devdata.load.people import GROWTH
from groups.models import Attendance, GroupSession, ProgramTrack, RecurringGroup
from groups.models import Topic as TopicModel

# Share of the groups per track: what the seats each track needs per
# admission come to (ERS and RP meet twice a week, so they come in pairs).
TRACK_SHARE = {"ers": 0.20, "rp": 0.42, "family": 0.10, "social": 0.28}
PAIR_DAYS = ((0, 4), (1, 3))  # Monday/Friday as the Matrix manual; Tuesday/Thursday
WEEKLY_DAYS = {"family": (2, 1, 3), "social": (1, 2, 3)}
HOURS = {"ers": (9, 13, 17), "rp": (10, 14, 18), "family": (18, 12), "social": (17, 18, 12)}
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOLIDAYS = ((1, 1), (7, 4), (12, 25))
# Reminders and rosters are kept for sessions this recent (see outbox).
ROSTER_DAYS = 120
PARTICIPATION = (("active", 35), ("prompted", 30), ("attentive", 25), ("withdrawn", 8))
PARTICIPATION += (("disruptive", 2),)


class _Group:
    __slots__ = (
        "id",
        "plan",
        "weekday",
        "hour",
        "room",
        "video",
        "facilitator",
        "sessions",
        "sessions_from",
    )

    def __init__(self, **values):
        # (day, session id, topic title, signature, status, start stamp, public id,
        # attendance saved)
        self.sessions = []
        for name, value in values.items():
            setattr(self, name, value)


def _counts(plans, total: int) -> dict[int, int]:
    """Groups per program track; twice-a-week tracks get an even number and
    the largest weekly track takes what rounding left over."""
    counts, weekly = {}, []
    for plan in plans:
        share = TRACK_SHARE.get(plan.track.code, 1 / len(plans))
        count = max(1, round(total * share))
        if plan.sessions_per_week > 1:
            count = max(2, count - count % 2)
        else:
            weekly.append((share, plan.pk))
        counts[plan.pk] = count
    if weekly:
        largest = max(weekly)[1]
        counts[largest] = max(1, counts[largest] + total - sum(counts.values()))
    return counts


def _opening_day(clock, index: int, count: int) -> int:
    """When the group opens: the clinic adds groups as referrals grow."""
    low, high = GROWTH
    share = index / count
    x = max(0.0, (share * high - low) / (high - low))
    return clock.start + int(x * HISTORY_DAYS)


def _make_groups(ctx: Ctx, rng, plans) -> tuple[dict[int, list[list[_Group]]], list[list]]:
    """Per program track, its places: a pair of groups or a single group."""
    clock, counselors = ctx.clock, ctx.staff.counselors
    counts = _counts(plans, ctx.scale.groups)
    next_id = ctx.loader.reserve(RecurringGroup, sum(counts.values()))
    rows, places = [], {}
    for plan in plans:
        code, track = plan.track.code, plan.track
        per_place = max(1, min(plan.sessions_per_week, 2))
        n_places = counts[plan.pk] // per_place
        places[plan.pk] = []
        for index in range(n_places):
            if per_place == 2:
                weekdays = PAIR_DAYS[index % 2]
            else:
                weekdays = (WEEKLY_DAYS.get(code, (0, 2, 4))[index % 3],)
            hours = HOURS.get(code, (10, 14, 18))
            hour = hours[(index // len(weekdays)) % len(hours)]
            opening = _opening_day(clock, index, n_places)
            facilitator = counselors[(plan.pk * 7 + index) % len(counselors)]
            co = rng.choice(counselors) if code == "rp" and rng.random() < 0.5 else None
            video = track.for_family or code == "social"
            place = []
            for weekday in weekdays:
                group = _Group(
                    id=next_id,
                    plan=plan,
                    weekday=weekday,
                    hour=hour,
                    room=f"Room {rng.randint(1, 8)}",
                    video=f"https://meet.openiop.example/g{next_id}" if video else "",
                    facilitator=facilitator,
                )
                first = opening + (weekday - clock.weekday(opening)) % 7
                letter = chr(ord("A") + index % 26)
                name = (
                    f"{code.upper()} {DAY_NAMES[weekday]} {hour:02d}:00 {letter}{index // 26 or ''}"
                )
                group.sessions_from = first
                rows.append(
                    [
                        next_id,
                        new_uuid(rng),
                        track.pk,
                        name,
                        weekday,
                        f"{hour:02d}:00",
                        group.room,
                        group.video if rng.random() < 0.3 else "",
                        facilitator,
                        co if co != facilitator else None,
                        clock.date(first),
                        True,
                        1,
                    ]
                )
                place.append(group)
                next_id += 1
            places[plan.pk].append(place)
    return places, rows


def _make_sessions(ctx: Ctx, rng, places, group_rows, topics) -> None:
    clock, rows = ctx.clock, []
    groups = [group for track in places.values() for place in track for group in place]
    total = sum(len(range(g.sessions_from, clock.horizon + 1, 7)) for g in groups)
    next_id = ctx.loader.reserve(GroupSession, total)
    for group, row in zip(groups, group_rows, strict=True):
        plan, cycle = group.plan, topics[group.plan.track_id]
        minutes = plan.track.session_minutes
        topic_index = rng.randrange(len(cycle)) if cycle else 0
        for day in range(group.sessions_from, clock.horizon + 1, 7):
            start = day * DAY + group.hour * 60
            moment = date.fromordinal(day)
            holiday = (moment.month, moment.day) in HOLIDAYS
            cancelled = holiday or rng.random() < 0.01
            topic_id, title = cycle[topic_index % len(cycle)] if cycle else (None, "")
            topic_index += 1
            signature = None
            if not cancelled and start + minutes <= clock.now:
                recent = start > clock.now - 3 * DAY
                signature = sign_note(ctx, rng, start, start + minutes, group.facilitator, recent)
            # Unsigned sessions that were held: attendance saved for half of them.
            saved = signature is not None or (start + minutes <= clock.now and rng.random() < 0.5)
            summary = rng.choice(text.GROUP_SUMMARY).format(topic=title) if signature else ""
            status = "cancelled" if cancelled else "scheduled"
            session_id, next_id = next_id, next_id + 1
            public_id = new_uuid(rng)
            group.sessions.append(
                (day, session_id, title, signature, status, start, public_id, saved)
            )
            rows.append(
                (
                    session_id,
                    public_id,
                    group.id,
                    clock.ts(start),
                    clock.ts(start),
                    minutes,
                    topic_id,
                    status,
                    group.room,
                    summary,
                    ("Holiday" if holiday else "Facilitator ill") if cancelled else "",
                    clock.ts(start + minutes + 30),
                    *(signature or UNSIGNED),
                )
            )
        row[-1] = (topic_index % len(cycle)) + 1 if cycle else 1  # next_topic_number
    ctx.loader.copy(
        RecurringGroup,
        (
            "id",
            "public_id",
            "track_id",
            "name",
            "weekday",
            "start_time",
            "room",
            "video_link",
            "facilitator_id",
            "co_facilitator_id",
            "starts_on",
            "active",
            "next_topic_number",
        ),
        [tuple(row) for row in group_rows],
    )
    ctx.loader.copy(
        GroupSession,
        (
            "id",
            "public_id",
            "group_id",
            "starts_at",
            "slot",
            "duration_minutes",
            "topic_id",
            "status",
            "room",
            "summary",
            "cancel_reason",
            "updated_at",
            "signed_by_id",
            "signed_at",
            "signed_late",
            "cosign_required",
            "cosigned_by_id",
            "cosigned_at",
        ),
        rows,
    )


PARTICIPATIONS, PARTICIPATION_WEIGHTS = zip(*PARTICIPATION, strict=True)


def _line(rng, episode, day: int, title: str, minutes: int) -> tuple:
    """status, minutes, participation, remark and objective of one client at
    one session: attendance follows engagement and falls off before a drop-out."""
    chance = episode.attend
    if episode.outcome == "dropped" and episode.discharge and episode.discharge - day < 15:
        chance *= 0.4
    if rng.random() >= chance:
        return ("excused" if rng.random() < 0.25 else "absent"), 0, "", "", None
    late = rng.random() < 0.1
    level = rng.choices(PARTICIPATIONS, PARTICIPATION_WEIGHTS)[0]
    lead, detail = rng.choice(text.REMARK_LEAD[level]), rng.choice(text.REMARK_DETAIL)
    objective = None
    if episode.objectives and rng.random() < 0.6:
        objective = rng.choice(episode.objectives)
    return (
        "late" if late else "present",
        minutes - (rng.randint(5, 30) if late else 0),
        level,
        f"{lead} {title.lower()} {detail}.",
        objective,
    )


def _attend(ctx: Ctx, rng, places, members) -> None:
    clock, rows = ctx.clock, []
    roster_from = clock.now - ROSTER_DAYS * DAY
    rosters = {}
    for group in (g for track in places.values() for place in track for g in place):
        days = [session[0] for session in group.sessions]
        for episode, first, last in members[group.id]:
            index = bisect_left(days, first)
            while index < len(days) and days[index] <= last:
                day, session_id, title, signature, status, start, _, saved = group.sessions[index]
                index += 1
                if not episode.in_care(day):
                    continue
                if start >= roster_from:
                    rosters.setdefault(session_id, []).append(episode.client)
                if status == "cancelled" or not saved:
                    continue  # not held, not yet held, or not documented yet
                minutes = group.plan.track.session_minutes
                line = _line(rng, episode, day, title, minutes)
                rows.append(
                    (
                        session_id,
                        episode.client.id,
                        episode.id,
                        *line,
                        clock.ts(start + minutes),
                        *(signature or UNSIGNED),
                    )
                )
    ctx.loader.copy(
        Attendance,
        (
            "session_id",
            "client_id",
            "episode_id",
            "status",
            "minutes",
            "participation",
            "remark",
            "objective_id",
            "updated_at",
            "signed_by_id",
            "signed_at",
            "signed_late",
            "cosign_required",
            "cosigned_by_id",
            "cosigned_at",
        ),
        rows,
    )
    for group in (g for track in places.values() for place in track for g in place):
        location = group.room or "video"
        for _, session_id, _, _, status, start, public_id, _ in group.sessions:
            if session_id in rosters:
                ctx.group_sessions.append((public_id, start, status, location, rosters[session_id]))


def seed_groups(ctx: Ctx) -> None:
    rng = ctx.rng("groups")
    using = ctx.loader.using
    plans = list(
        ProgramTrack.objects.using(using)
        .filter(program__is_default=True)
        .select_related("track")
        .order_by("start_week", "track__code")
    )
    topics = {}
    for topic in TopicModel.objects.using(using).order_by("track_id", "number"):
        topics.setdefault(topic.track_id, []).append((topic.pk, topic.title))
    places, group_rows = _make_groups(ctx, rng, plans)
    _make_sessions(ctx, rng, places, group_rows, topics)
    members = enroll(ctx, places, plans)
    _attend(ctx, rng, places, members)
