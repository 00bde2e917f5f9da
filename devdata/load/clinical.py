"""Treatment plans (problems, goals, objectives, interventions) reviewed
about every 30 days in the intensive phase and every 90 in aftercare, and
appointments (assessment, orientation, individual sessions every two weeks,
a few conjoint sessions) with their DAP notes.

Each plan version is its own rows, as the plan service keeps them: older
versions superseded, the newest active, and now and then a draft of the
next review in progress (at most one active and one draft per episode).
"""

from devdata.load import text
from devdata.load.context import DAY, UNSIGNED, Ctx, new_uuid, sign_note
from iop.clients.models import (
    Appointment,
    Goal,
    Intervention,
    Objective,
    Problem,
    SessionNote,
    TreatmentPlan,
)

# Reminders are kept for appointments this recent (see outbox).
RECENT_DAYS = 120
MAX_VERSIONS = 8


def _plan_days(rng, episode, clock) -> tuple[list[int], bool]:
    """Effective days of the signed versions, and whether a draft follows."""
    first = episode.admission + rng.randint(3, 7)
    end = min(episode.discharge or clock.today, clock.today)
    if first > end:
        return [], episode.discharge is None
    days, day = [first], first
    while len(days) < MAX_VERSIONS:
        in_aftercare = episode.step_down is not None and day >= episode.step_down
        day += rng.randint(80, 95) if in_aftercare else rng.randint(26, 34)
        if day > end:
            break
        days.append(day)
    return days, episode.discharge is None and rng.random() < 0.1


def seed_plans(ctx: Ctx) -> None:
    rng = ctx.rng("plans")
    clock, loader = ctx.clock, ctx.loader
    plans = []  # (episode, version, status, effective day or None, problems)
    for episode in ctx.admitted():
        days, draft = _plan_days(rng, episode, clock)
        problems = rng.sample(range(len(text.PROBLEMS)), rng.choice((2, 2, 3)))
        for version, day in enumerate(days, start=1):
            status = "active" if version == len(days) else "superseded"
            plans.append((episode, version, status, day, problems))
        if draft:
            plans.append((episode, len(days) + 1, "draft", None, problems))
    counts = [len(plan[4]) for plan in plans]
    plan_id = loader.reserve(TreatmentPlan, len(plans))
    problem_id = loader.reserve(Problem, sum(counts))
    goal_id = loader.reserve(Goal, sum(counts))
    objective_id = loader.reserve(Objective, 2 * sum(counts))
    rows, problems, goals, objectives, interventions = [], [], [], [], []
    for offset, (episode, version, status, day, chosen) in enumerate(plans):
        pid = plan_id + offset
        author = episode.counselor
        if day is None:
            created = clock.ts(min(clock.now - 60, (clock.today - rng.randint(0, 5)) * DAY + 600))
            signature, effective, review = UNSIGNED, None, None
        else:
            stamp = day * DAY + rng.randint(9 * 60, 16 * 60)
            created = clock.ts(stamp - DAY)
            signature = sign_note(ctx, rng, stamp - 90, stamp, author, False) or UNSIGNED
            if signature[1] is None:  # signing makes a version effective: sign it
                signature = (author, clock.ts(stamp), False, author in ctx.staff.in_training)
                signature += (None, None)
            aftercare = episode.step_down is not None and day >= episode.step_down
            effective = clock.date(day)
            review = clock.date(day + (90 if aftercare else 30))
        rows.append(
            (
                pid,
                new_uuid(rng),
                episode.client.id,
                episode.id,
                version,
                status,
                author,
                created,
                effective,
                review,
                effective,
                "Signed the printed plan" if effective else "",
                *signature,
            )
        )
        current = status == "active" or (status == "draft" and version == 1)
        if current:
            episode.objectives = []
        for number, problem in enumerate(chosen, start=1):
            problems.append((problem_id, pid, number, text.PROBLEMS[problem]))
            goals.append(
                (goal_id, problem_id, 1, text.GOALS[(problem + version) % len(text.GOALS)])
            )
            target = (day or clock.today) + rng.randint(30, 90)
            for sub in (1, 2):
                statement = text.OBJECTIVES[(problem * 3 + sub) % len(text.OBJECTIVES)]
                state = (
                    "active" if status != "superseded" else rng.choice(("met", "active", "revised"))
                )
                objectives.append(
                    (objective_id, goal_id, sub, statement, clock.date(target), state)
                )
                interventions.append(
                    (
                        objective_id,
                        text.INTERVENTIONS[(problem + sub) % len(text.INTERVENTIONS)],
                        "Primary counselor" if sub == 1 else "Group facilitator",
                        rng.choice(text.FREQUENCIES),
                    )
                )
                if current:
                    episode.objectives.append(objective_id)
                objective_id += 1
            problem_id += 1
            goal_id += 1
    loader.copy(
        TreatmentPlan,
        (
            "id",
            "public_id",
            "client_id",
            "episode_id",
            "version",
            "status",
            "author_id",
            "created_at",
            "effective_date",
            "next_review_due",
            "client_agreed_on",
            "client_agreement_note",
            "signed_by_id",
            "signed_at",
            "signed_late",
            "cosign_required",
            "cosigned_by_id",
            "cosigned_at",
        ),
        rows,
    )
    loader.copy(Problem, ("id", "plan_id", "number", "statement"), problems)
    loader.copy(Goal, ("id", "problem_id", "number", "statement"), goals)
    loader.copy(
        Objective, ("id", "goal_id", "number", "statement", "target_date", "status"), objectives
    )
    loader.copy(
        Intervention, ("objective_id", "description", "responsible", "frequency"), interventions
    )


def _weekday_slot(rng, clock, day: int) -> int:
    """A weekday time between 9:00 and 16:30 on or after `day`."""
    weekday = clock.weekday(day)
    if weekday > 4:
        day += 7 - weekday
    return day * DAY + 9 * 60 + 30 * rng.randint(0, 15)


def _appointment_plan(rng, episode, clock, intake: list[int]) -> list[tuple[str, int, int]]:
    """(kind, start stamp, staff member) of an episode's appointments."""
    visits = [("assessment", _weekday_slot(rng, clock, episode.referral + 1), rng.choice(intake))]
    if episode.admission is None:
        return visits
    counselor = episode.counselor
    visits.append(("orientation", _weekday_slot(rng, clock, episode.admission), counselor))
    last = episode.discharge or clock.horizon
    intensive_end = min(episode.intensive_end or last, last)
    day = episode.admission + rng.randint(6, 9)
    while day <= intensive_end:
        visits.append(("individual", _weekday_slot(rng, clock, day), counselor))
        day += rng.randint(11, 17)
    if episode.step_down is not None and rng.random() < 0.4:
        day = episode.step_down + rng.randint(20, 40)
        while day <= last:
            visits.append(("individual", _weekday_slot(rng, clock, day), counselor))
            day += rng.randint(28, 45)
    if rng.random() < 0.12:
        day = episode.admission + rng.randint(20, 60)
        if day <= intensive_end:
            visits.append(("conjoint", _weekday_slot(rng, clock, day), counselor))
    # Only the next future appointment is booked.
    past = [visit for visit in visits if visit[1] <= clock.now]
    future = sorted((visit for visit in visits if visit[1] > clock.now), key=lambda v: v[1])
    return past + future[:1]


def _status(rng, episode, start: int, now: int) -> str:
    if start > now:
        return "scheduled"
    if start > now - DAY and rng.random() < 0.15:
        return "scheduled"  # held today, not documented yet
    if rng.random() < min(0.95, episode.attend + 0.05):
        return "attended"
    return rng.choices(("no_show", "cancelled_client", "cancelled_program"), (55, 30, 15))[0]


def seed_appointments(ctx: Ctx) -> None:
    rng = ctx.rng("appointments")
    clock, loader = ctx.clock, ctx.loader
    planned = [
        (episode, kind, start, staff)
        for episode in ctx.episodes
        for kind, start, staff in _appointment_plan(rng, episode, clock, ctx.staff.intake)
    ]
    first = loader.reserve(Appointment, len(planned))
    rows, notes, recent_from = [], [], clock.now - RECENT_DAYS * DAY
    for offset, (episode, kind, start, staff) in enumerate(planned):
        public_id = new_uuid(rng)
        status = _status(rng, episode, start, clock.now)
        duration = 60 if kind == "assessment" else 50
        mode = "video" if rng.random() < 0.2 else "in_person"
        booked = max(episode.referral * DAY + 480, start - rng.randint(1, 14) * DAY)
        rows.append(
            (
                first + offset,
                public_id,
                episode.client.id,
                episode.id,
                kind,
                clock.ts(start),
                duration,
                staff,
                mode,
                status,
                staff,
                clock.ts(min(booked, start)),
            )
        )
        if start >= recent_from:
            location = "video" if mode == "video" else "Main office"
            ctx.appointments.append((public_id, episode.client, start, status, location))
        if status == "attended":
            notes.append((first + offset, episode, kind, start, duration, staff))
    loader.copy(
        Appointment,
        (
            "id",
            "public_id",
            "client_id",
            "episode_id",
            "kind",
            "starts_at",
            "duration_minutes",
            "counselor_id",
            "mode",
            "status",
            "created_by_id",
            "created_at",
        ),
        rows,
    )
    _copy_notes(ctx, rng, notes)


def _copy_notes(ctx: Ctx, rng, notes) -> None:
    clock, loader = ctx.clock, ctx.loader
    first = loader.reserve(SessionNote, len(notes))
    rows, links = [], []
    for offset, (appointment_id, episode, kind, start, duration, author) in enumerate(notes):
        end = start + duration
        recent = start > clock.now - 3 * DAY
        signature = sign_note(ctx, rng, start, end, author, recent) or UNSIGNED
        minutes = duration - rng.choice((0, 0, 0, 5, 10))
        assessment = kind == "assessment"
        data = rng.choice(text.DAP_DATA).format(days=rng.randint(1, 60), meetings=rng.randint(0, 5))
        rows.append(
            (
                first + offset,
                appointment_id,
                author,
                data,
                rng.choice(text.DAP_ASSESSMENT),
                rng.choice(text.DAP_PLAN),
                "H0001" if assessment else "H0004",
                minutes,
                1 if assessment else minutes // 15,  # H0004 is billed per 15 minutes
                clock.ts(end + 5),
                clock.ts(end + 30),
                *signature,
            )
        )
        if episode.objectives and not assessment and rng.random() < 0.7:
            links.append((first + offset, rng.choice(episode.objectives)))
    loader.copy(
        SessionNote,
        (
            "id",
            "appointment_id",
            "author_id",
            "data",
            "assessment",
            "plan",
            "service_code",
            "minutes",
            "units",
            "created_at",
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
    loader.copy(SessionNote.objectives.through, ("sessionnote_id", "objective_id"), links)
