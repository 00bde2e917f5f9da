"""Referrals with their TEDS fields, screening visits with the six
dimension ratings, instrument administrations scored by the real scoring
functions (screening.instruments), re-administrations of the PHQ-9 and GAD-7
during care, and the safety flags the answers raise."""

import json
from functools import lru_cache

from django.urls import reverse

from devdata.load.context import DAY, Ctx, new_uuid
from iop.reminders.models import StaffNotification
from screening.instruments import recommend_level, score
from screening.models import (
    DimensionRating,
    InstrumentAdministration,
    Referral,
    ReferralSubstance,
    SafetyFlag,
    Screening,
)

SOURCES = (
    ("self", 30),
    ("justice", 28),
    ("health_provider", 14),
    ("sud_provider", 12),
    ("community", 8),
    ("employer", 6),
    ("school", 2),
)
ROUTES = {
    "alcohol": "oral",
    "marijuana": "smoking",
    "heroin": "injection",
    "opioids": "oral",
    "methamphetamine": "smoking",
    "cocaine": "inhalation",
    "benzodiazepines": "oral",
}
SECONDARY = ("alcohol", "marijuana", "cocaine", "methamphetamine", "benzodiazepines", "opioids")
FREQUENCIES = ("daily", "3_6_week", "1_2_week", "1_3_month", "none")
OPIOIDS = ("opioids", "heroin")
FLAG_ACTIONS = ("safety_plan", "same_day_evaluation", "emergency_referral")


@lru_cache(maxsize=200_000)
def _scored(code: str, answers: tuple, sex: str):
    """score() of the answers (as sorted pairs), memoised: answers repeat."""
    return score(code, dict(answers), sex=sex or None)


def _points(rng, severity: float, top: int) -> int:
    return min(top, int(rng.random() * severity * (top + 1.5)))


def _answers(rng, code: str, severity: float) -> dict:
    if code == "AUDIT":
        answers = {"1": _points(rng, severity + 0.2, 4)}
        if answers["1"]:
            answers |= {"2": _points(rng, severity, 4), "3": _points(rng, severity, 4)}
            if answers["2"] + answers["3"]:
                answers |= {str(item): _points(rng, severity, 4) for item in range(4, 9)}
        return answers | {item: rng.choice((0, 0, 2, 4)) for item in ("9", "10")}
    if code == "DAST-10":
        answers = {str(item): "yes" if rng.random() < severity else "no" for item in range(1, 11)}
        answers["3"] = "no" if rng.random() < severity else "yes"  # reversed item
        return answers
    if code in ("PHQ-9", "GAD-7"):
        items = 9 if code == "PHQ-9" else 7
        answers = {str(item): _points(rng, severity, 3) for item in range(1, items + 1)}
        if code == "PHQ-9":
            answers["9"] = 1 if rng.random() < 0.04 else 0
        return answers
    if code == "C-SSRS":
        answers = {"1": "yes" if rng.random() < 0.07 else "no"}
        answers["2"] = "yes" if answers["1"] == "yes" and rng.random() < 0.4 else "no"
        if answers["2"] == "yes":
            answers |= {item: "yes" if rng.random() < 0.1 else "no" for item in ("3", "4", "5")}
        answers["6"] = "yes" if rng.random() < 0.04 else "no"
        if answers["6"] == "yes":
            answers["6b"] = "yes" if rng.random() < 0.2 else "no"
        return answers
    if code == "CIWA-Ar":
        return {
            str(item): _points(rng, severity * 0.5, 7 if item < 10 else 4) for item in range(1, 11)
        }
    # COWS: each item's own points.
    options = (
        (0, 1, 2, 4),
        (0, 1, 2, 3, 4),
        (0, 1, 3, 5),
        (0, 1, 2, 5),
        (0, 1, 2, 4),
        (0, 1, 2, 4),
    )
    options += ((0, 1, 2, 3, 5), (0, 1, 2, 4), (0, 1, 2, 4), (0, 1, 2, 4), (0, 3, 5))
    return {
        str(item): values[_points(rng, severity * 0.5, len(values) - 1)]
        for item, values in enumerate(options, start=1)
    }


class _Writer:
    """Collects administrations, their flags and the supervisors' notifications."""

    def __init__(self, ctx: Ctx, rng):
        self.ctx, self.rng = ctx, rng
        self.rows, self.flags, self.notes = [], [], []
        self.next_id = 0

    def add(self, episode, screening_id, code, severity, stamp, actor):
        client = episode.client
        sex = client.sex if code == "AUDIT-C" else ""
        answers = _answers(self.rng, code, severity)
        result = _scored(code, tuple(sorted(answers.items())), sex)
        clock = self.ctx.clock
        self.rows.append(
            (
                self.next_id,
                new_uuid(self.rng),
                client.id,
                episode.id,
                screening_id,
                code,
                result.version,
                json.dumps(result.answers),
                sex,
                result.total,
                result.band,
                result.band_label,
                json.dumps(result.flags),
                actor,
                clock.ts(stamp),
            )
        )
        if "suicide_risk" in result.flags:
            self._flag(episode, code, result, stamp)
        self.next_id += 1
        return result

    def _flag(self, episode, code, result, stamp):
        rng, clock, staff = self.rng, self.ctx.clock, self.ctx.staff
        if code == "PHQ-9":
            reason = f"PHQ-9 item 9 (thoughts of self-harm) answered {result.answers['9']}"
        else:
            reason = f"C-SSRS screener: {result.band} risk"
        addressed = stamp + rng.randint(10, 600)
        done = addressed < clock.now and rng.random() < 0.97
        self.flags.append(
            (
                new_uuid(rng),
                episode.client.id,
                self.next_id,
                "suicide_risk",
                reason,
                clock.ts(stamp, 30),
                rng.choice(FLAG_ACTIONS) if done else "",
                "Safety plan reviewed; crisis line numbers given." if done else "",
                rng.choice(staff.supervisors) if done else None,
                clock.ts(addressed) if done else None,
            )
        )
        link = reverse("clients:client-detail", args=[episode.client.public_id])
        for supervisor in staff.supervisors:
            read = rng.random() < 0.9 and addressed < clock.now
            self.notes.append(
                (
                    supervisor,
                    "safety_flag",
                    episode.client.id,
                    f"Safety flag for a client: {reason}",
                    link,
                    clock.ts(stamp, 30),
                    clock.ts(addressed) if read else None,
                )
            )


def seed_screening(ctx: Ctx) -> None:
    rng = ctx.rng("screening")
    clock, staff, loader = ctx.clock, ctx.staff, ctx.loader
    episodes = ctx.episodes
    referral_id = loader.reserve(Referral, len(episodes))
    screening_id = loader.reserve(Screening, len(episodes))
    writer = _Writer(ctx, rng)
    referrals, substances, screenings, ratings = [], [], [], []
    sources, weights = zip(*SOURCES, strict=True)
    for index, episode in enumerate(episodes):
        client, intake = episode.client, rng.choice(staff.intake)
        stamp = episode.referral * DAY + rng.randint(8 * 60, 16 * 60)
        substance = client.substance
        referrals.append(
            (
                referral_id + index,
                episode.id,
                rng.choices(sources, weights)[0],
                rng.randint(0, 4) if rng.random() < 0.45 else 0,
                substance in OPIOIDS and rng.random() < 0.6,
                rng.choice(("full_time", "part_time", "unemployed", "unemployed")),
                rng.choices(("independent", "dependent", "homeless"), (60, 32, 8))[0],
                rng.choice(("below_hs", "hs", "hs", "some_college", "bachelor")),
                rng.random() < 0.07,
                (rng.random() < 0.04) if client.sex == "female" else None,
                intake,
                clock.ts(stamp),
            )
        )
        ranked = [substance] + rng.sample([s for s in SECONDARY if s != substance], 2)
        for rank, name in enumerate(ranked[: rng.choice((1, 2, 2, 3))], start=1):
            substances.append(
                (
                    referral_id + index,
                    rank,
                    name,
                    ROUTES.get(name, "oral"),
                    FREQUENCIES[min(4, rank - 1 + rng.randint(0, 2))],
                    rng.randint(12, 30),
                )
            )
        # The screening visit, one or more days after the referral.
        visit = min(episode.admission or clock.today, episode.referral + rng.randint(1, 3))
        start = visit * DAY + rng.randint(9 * 60, 14 * 60)
        if episode.admission is None and (start > clock.now or rng.random() < 0.35):
            continue  # not screened yet
        sid = screening_id + index
        severity = rng.uniform(0.15, 0.7)
        scores = {}
        codes = ["AUDIT", "DAST-10", "PHQ-9", "GAD-7", "C-SSRS"]
        if substance == "alcohol" and rng.random() < 0.4:
            codes.append("CIWA-Ar")
        if substance in OPIOIDS and rng.random() < 0.4:
            codes.append("COWS")
        for offset, code in enumerate(codes):
            scores[code] = writer.add(episode, sid, code, severity, start + 10 * offset, intake)
        level = episode.level or rng.choice(("2.1", "2.1", "1.0", "2.5"))
        dims = _ratings(rng, level)
        placement = recommend_level(dims, scores)
        ratings.extend(
            (sid, dim, value, f"{dim} rated {value} from the interview and collateral.")
            for dim, value in dims.items()
        )
        completed = episode.admission is not None
        done = start + 90
        screenings.append(
            (
                sid,
                new_uuid(rng),
                episode.id,
                "completed" if completed else "draft",
                intake,
                clock.ts(start),
                placement.level,
                json.dumps(placement.reasons),
                "admit" if completed else "",
                level if completed else "",
                ""
                if placement.level == level or not completed
                else "Clinician's judgement after the interview; see the notes.",
                # Signed through the shared mechanism's fields: by the screener,
                # 90 minutes after the visit began (not late).
                intake if completed else None,
                clock.ts(done) if completed else None,
                False,
                completed and intake in staff.in_training,
            )
        )
    loader.copy(
        Referral,
        (
            "id",
            "episode_id",
            "source",
            "prior_episodes",
            "planned_moud",
            "employment",
            "living_arrangement",
            "education",
            "veteran",
            "pregnant",
            "created_by_id",
            "created_at",
        ),
        referrals,
    )
    loader.copy(
        ReferralSubstance,
        ("referral_id", "rank", "substance", "route", "frequency", "age_first_use"),
        substances,
    )
    loader.copy(
        Screening,
        (
            "id",
            "public_id",
            "episode_id",
            "status",
            "started_by_id",
            "started_at",
            "recommended_level",
            "recommendation_reasons",
            "decision",
            "decided_level",
            "decision_reason",
            "signed_by_id",
            "signed_at",
            "signed_late",
            "cosign_required",
        ),
        screenings,
    )
    loader.copy(DimensionRating, ("screening_id", "dimension", "rating", "justification"), ratings)
    _readminister(ctx, rng, writer)
    _copy_administrations(ctx, writer)


def _ratings(rng, level: str) -> dict[str, int]:
    """Six dimension ratings whose placement is (mostly) the level decided."""
    cap = {"1.0": 1, "2.1": 2, "2.5": 3}[level]
    dims = {f"D{number}": rng.randint(0, cap) for number in range(1, 7)}
    dims["D1"] = min(dims["D1"], 1 if level != "2.5" else 2)
    if level != "1.0":
        dims[rng.choice(("D3", "D4", "D5", "D6"))] = cap
    return dims


def _readminister(ctx: Ctx, rng, writer: _Writer) -> None:
    """PHQ-9 and GAD-7 about monthly while in care; mood improves with time."""
    clock = ctx.clock
    for episode in ctx.admitted():
        end = min(episode.discharge or clock.today, clock.today)
        day, severity = episode.admission + 30, rng.uniform(0.2, 0.6)
        while day <= end:
            severity *= rng.uniform(0.75, 1.0)
            stamp = day * DAY + rng.randint(9 * 60, 17 * 60)
            for code in ("PHQ-9", "GAD-7"):
                writer.add(episode, None, code, severity, stamp, episode.counselor)
            day += 30 if episode.step_down is None or day < episode.step_down else 90


def _copy_administrations(ctx: Ctx, writer: _Writer) -> None:
    first = ctx.loader.reserve(InstrumentAdministration, len(writer.rows))
    rows = [(first + row[0], *row[1:]) for row in writer.rows]
    ctx.loader.copy(
        InstrumentAdministration,
        (
            "id",
            "public_id",
            "client_id",
            "episode_id",
            "screening_id",
            "code",
            "version",
            "answers",
            "sex_used",
            "total",
            "band",
            "band_label",
            "flags",
            "administered_by_id",
            "administered_at",
        ),
        rows,
    )
    flags = [(*flag[:2], first + flag[2], *flag[3:]) for flag in writer.flags]
    ctx.loader.copy(
        SafetyFlag,
        (
            "public_id",
            "client_id",
            "administration_id",
            "kind",
            "reason",
            "raised_at",
            "action",
            "action_note",
            "addressed_by_id",
            "addressed_at",
        ),
        flags,
    )
    ctx.loader.copy(
        StaffNotification,
        ("recipient_id", "kind", "client_id", "message", "link", "created_at", "read_at"),
        writer.notes,
    )
