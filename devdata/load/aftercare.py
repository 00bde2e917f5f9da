"""One-year aftercare plans with the program's check-in schedule (the real
aftercare.schedule), recorded check-ins with outcomes, outreach after a
missed check-in, the missed-in-a-row flag, and the discharge summaries of
discharged episodes."""

from datetime import date

from django.conf import settings

from aftercare.models import AftercarePlan, CheckIn, DischargeSummary, OutreachAttempt, OutreachTask
from aftercare.schedule import check_in_dates, plan_end
from devdata.load import text
from devdata.load.context import DAY, UNSIGNED, Ctx, new_uuid, sign_note

RECENT_DAYS = 120
MISSED_IN_A_ROW = 3
SUBSTANCE_WORDS = {"marijuana": "cannabis", "opioids": "opioids", "heroin": "heroin"}


def _outcome(rng, episode, day: int) -> str:
    chance = 0.8
    if episode.outcome == "dropped" and episode.discharge and episode.discharge - day < 45:
        chance = 0.35
    if rng.random() < chance:
        return "completed"
    return "missed" if rng.random() < 0.55 else "unable_to_reach"


def _completed_fields(rng, episode) -> tuple:
    """days_of_use, substances_used, meetings, employment, housing, risk,
    note, re_engagement, detail of a completed check-in."""
    used = rng.random() < 0.08
    risk = rng.choices(("low", "moderate", "high"), (75, 20, 5))[0]
    if used and rng.random() < 0.5:
        risk = "high"
    substance = SUBSTANCE_WORDS.get(episode.client.substance, episode.client.substance)
    action, detail = "", ""
    if used or risk == "high":
        action = rng.choice(("extra_session", "referral"))
        detail = "Booked an extra session" if action == "extra_session" else "Referred to OP"
    return (
        rng.randint(1, 5) if used else 0,
        substance if used else "",
        rng.randint(0, 10),
        rng.choices(("employed", "unemployed", "not_in_labor_force"), (65, 25, 10))[0],
        rng.choices(("stable", "unstable", "homeless"), (85, 12, 3))[0],
        risk,
        "Doing well; attending Social Support." if not used else "Reported a lapse.",
        action,
        detail,
    )


EMPTY = (0, "", 0, "", "", "", "", "", "")


def seed_aftercare(ctx: Ctx) -> None:
    rng = ctx.rng("aftercare")
    clock, loader = ctx.clock, ctx.loader
    episodes = [episode for episode in ctx.episodes if episode.step_down is not None]
    plan_id = loader.reserve(AftercarePlan, len(episodes))
    plans, check_ins, outreach = [], [], []
    hour = settings.AFTERCARE_CHECKIN_HOUR * 60
    for offset, episode in enumerate(episodes):
        pid, counselor = plan_id + offset, episode.counselor
        started = date.fromordinal(episode.step_down)
        streak, flagged = 0, None
        for number, due in enumerate(check_in_dates(started), start=1):
            day = due.toordinal()
            stamp = day * DAY + hour
            fields, outcome, contacted, signature = EMPTY, "", None, UNSIGNED
            if episode.discharge is not None and day > episode.discharge:
                status = "cancelled"
            elif stamp > clock.now or (stamp > clock.now - 2 * DAY and rng.random() < 0.3):
                status = "scheduled"
            else:
                status, outcome = "recorded", _outcome(rng, episode, day)
                contacted = clock.date(day + (rng.random() < 0.1))
                recent = stamp > clock.now - 3 * DAY
                signature = sign_note(ctx, rng, stamp, stamp + 20, counselor, recent)
                signature = signature or (counselor, clock.ts(stamp + 25), False, False, None, None)
                if outcome == "completed":
                    fields, streak, flagged = _completed_fields(rng, episode), 0, None
                else:
                    streak += 1
                    if streak == MISSED_IN_A_ROW:
                        flagged = clock.ts(stamp + 30)
                    outreach.append((len(check_ins), episode, stamp))
            public_id = new_uuid(rng)
            check_ins.append(
                (
                    public_id,
                    pid,
                    episode.client.id,
                    number,
                    clock.date(day),
                    clock.ts(stamp),
                    status,
                    contacted,
                    rng.choices(("phone", "in_person", "video"), (70, 20, 10))[0],
                    outcome,
                    *fields,
                    counselor if status == "recorded" else None,
                    *signature,
                )
            )
            if stamp >= clock.now - RECENT_DAYS * DAY:
                ctx.check_ins.append((public_id, episode.client, stamp, status))
        plans.append(
            (
                pid,
                new_uuid(rng),
                episode.id,
                episode.client.id,
                clock.date(episode.step_down),
                plan_end(started).isoformat(),
                *text.PLAN_TEXTS.values(),
                flagged,
                counselor,
                clock.ts(episode.step_down * DAY + 11 * 60),
            )
        )
    loader.copy(
        AftercarePlan,
        (
            "id",
            "public_id",
            "episode_id",
            "client_id",
            "started_on",
            "ends_on",
            *text.PLAN_TEXTS,
            "flagged_at",
            "created_by_id",
            "created_at",
        ),
        plans,
    )
    first = loader.reserve(CheckIn, len(check_ins))
    loader.copy(
        CheckIn,
        (
            "id",
            "public_id",
            "plan_id",
            "client_id",
            "number",
            "due_on",
            "scheduled_at",
            "status",
            "contacted_on",
            "mode",
            "outcome",
            "days_of_use",
            "substances_used",
            "mutual_help_meetings",
            "employment",
            "housing",
            "risk_level",
            "note",
            "re_engagement",
            "re_engagement_detail",
            "recorded_by_id",
            "signed_by_id",
            "signed_at",
            "signed_late",
            "cosign_required",
            "cosigned_by_id",
            "cosigned_at",
        ),
        ((first + index, *row) for index, row in enumerate(check_ins)),
    )
    _outreach(ctx, rng, [(first + index, episode, stamp) for index, episode, stamp in outreach])


def _outreach(ctx: Ctx, rng, missed) -> None:
    """An outreach task per missed check-in, closed after one to three tries
    unless it is recent."""
    clock, loader = ctx.clock, ctx.loader
    first = loader.reserve(OutreachTask, len(missed))
    tasks, attempts = [], []
    methods = ("phone", "text", "email", "letter")
    for offset, (check_in_id, episode, stamp) in enumerate(missed):
        task_id = first + offset
        opened = stamp + 60
        tries = rng.randint(1, 3)
        times = [opened + (n + 1) * rng.randint(600, 2880) for n in range(tries)]
        closed = times[-1] if times[-1] <= clock.now and rng.random() < 0.85 else None
        tasks.append(
            (
                task_id,
                new_uuid(rng),
                check_in_id,
                episode.client.id,
                episode.counselor,
                "closed" if closed else "open",
                clock.ts(opened),
                clock.ts(closed) if closed else None,
            )
        )
        for number, moment in enumerate(times, start=1):
            if moment > clock.now:
                break
            last = number == tries and closed
            outcome = "reached" if last else rng.choice(("no_answer", "left_message"))
            attempts.append(
                (task_id, clock.ts(moment), rng.choice(methods), outcome, "", episode.counselor)
            )
    loader.copy(
        OutreachTask,
        (
            "id",
            "public_id",
            "check_in_id",
            "client_id",
            "counselor_id",
            "status",
            "created_at",
            "closed_at",
        ),
        tasks,
    )
    loader.copy(
        OutreachAttempt, ("task_id", "attempted_at", "method", "outcome", "note", "by_id"), attempts
    )


def seed_discharge_summaries(ctx: Ctx) -> None:
    rng = ctx.rng("discharge")
    clock, rows = ctx.clock, []
    for episode in ctx.admitted():
        if episode.discharge is None or rng.random() < 0.1:
            continue
        stamp = episode.discharge * DAY + 15 * 60
        completed = episode.reason == 1
        signature = sign_note(ctx, rng, stamp, stamp + 30, episode.counselor, False) or UNSIGNED
        rows.append(
            (
                new_uuid(rng),
                episode.id,
                "" if completed or rng.random() < 0.5 else episode.client.substance,
                rng.choice(("full_time", "part_time", "unemployed", "not_in_labor_force")),
                rng.choices(("independent", "dependent", "homeless"), (62, 32, 6))[0],
                rng.choice(("4_7", "8_30", "1_3") if completed else ("none", "1_3", "4_7")),
                text.DISCHARGE_SUMMARY[episode.reason],
                episode.counselor,
                clock.ts(stamp),
                *signature,
            )
        )
    ctx.loader.copy(
        DischargeSummary,
        (
            "public_id",
            "episode_id",
            "substances_at_discharge",
            "employment",
            "living_arrangement",
            "mutual_help",
            "summary",
            "author_id",
            "created_at",
            "signed_by_id",
            "signed_at",
            "signed_late",
            "cosign_required",
            "cosigned_by_id",
            "cosigned_at",
        ),
        rows,
    )
