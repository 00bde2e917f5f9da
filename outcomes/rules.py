"""Is a client on track? The exact definitions, as pure functions over one
episode's measures (outcomes.selectors reads them from the database; the
rules' thresholds are rows of outcomes.OnTrackRule that administrators edit).

The episode's measures
----------------------
- An episode's administrations are those of its client from EARLY_DAYS (3)
  before the admission date until the discharge date (today while open): the
  same few days' grace that lets an administration count for the admission's
  due measure (outcomes.services.plan.EARLY_DAYS). Aftercare measures belong
  to the episode: it is open until discharge.
- Baseline: the episode's first administration of an instrument.
- Follow-up: an administration at least FOLLOW_UP_DAYS (7) after the
  baseline; a repeat in the same week measures nothing treatment did.
- Latest: the episode's most recent administration of the instrument.
  "Change" is always latest minus baseline (negative is fewer symptoms).

The "not on track" rules (kinds; parameters in brackets, defaults after =)
---------------------------------------------------------------------------
no_improvement [instrument = PHQ-9 or GAD-7, weeks = 8, points = 5, percent = 50]
    Evaluated once the latest administration is at least `weeks` x 7 days
    after the baseline. Improved when the score fell by at least `points`
    (baseline - latest >= points) or to at most `100 - percent` % of the
    baseline (latest <= baseline x (100 - percent) / 100). Flagged when not
    improved, unless the latest score is below 5: a client in the minimal
    range (remission, below) has no symptoms left to reduce. Sources: 5
    PHQ-9 points is the minimal clinically important change (Löwe et al.,
    Med Care 2004;42:1194); a 50 % fall is the usual "response" (Kroenke et
    al., J Gen Intern Med 2001;16:606; NCQA HEDIS "Depression Remission or
    Response", which also sets remission at PHQ-9 < 5). Eight weeks is the
    program's choice, in line with measurement-based care's practice of
    reviewing a plan whose measures have not improved after six to eight
    weeks (Fortney et al., "A Tipping Point for Measurement-Based Care",
    Psychiatr Serv 2017;68:179). GAD-7 is read the same way (Spitzer et al.,
    Arch Intern Med 2006;166:1092: the same 5/10/15 band limits).

use_running [weeks = 2]
    The BAM Use composite (items 4 + 5 + 6) counts any use when it is 1 or
    more (DOMAIN.md 3a; Cacciola et al., J Subst Abuse Treat 2013;44:256;
    the VISN 4 MIRECC / CESATE BAM manual for SUD group treatment, 2014).
    Take the unbroken run of the episode's most recent BAMs with Use >= 1;
    flagged when the run holds at least two administrations whose dates are
    at least `weeks` x 7 days apart (first to last). The BAM asks about the
    past 30 days, so two answers 14 days apart may report the same days: the
    flag says use was reported on BAMs two weeks apart, not that it is new
    use, and the counselor reads the items (the manual's advice: item-level
    review in session).

risk_rising [points = 4]
    The BAM Risk composite (items 1 + 2 + 3 + 8 + 11 + 15, 0-24; concern at
    12 or more). Flagged when the latest BAM's Risk is at least `points`
    above the baseline BAM's or above the BAM just before it. Needs two BAMs.

missed_measures [count = 2]
    Per instrument, the episode's due measures that are settled: completed,
    or not completed (marked missed, or still open after their window
    closed); cancelled ones and those still open within their window do not
    count. Flagged when the `count` most recent settled measures of one
    instrument were all not completed. Counting per instrument keeps an
    admission's three measures missed on one day from counting as three.

Response and remission (per episode and instrument, PHQ-9 and GAD-7)
--------------------------------------------------------------------
Only for a baseline of 5 or more (above the minimal range) and a follow-up;
otherwise None ("not applicable"). Response: latest <= 50 % of the baseline.
Remission: latest < 5 (the PHQ-9 remission threshold used by NCQA and in
Kroenke 2001; the GAD-7's minimal band ends at the same score).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

# An administration this many days before admission still belongs to the
# episode (the planner's grace for the admission measures).
EARLY_DAYS = 3
# A follow-up is at least this many days after the baseline.
FOLLOW_UP_DAYS = 7
# Below this, PHQ-9 and GAD-7 are in the minimal range: remission.
REMISSION_BELOW = 5
RESPONSE_PERCENT = 50
SYMPTOM_INSTRUMENTS = ("PHQ-9", "GAD-7")
BAM = "BAM"
INSTRUMENTS = (*SYMPTOM_INSTRUMENTS, BAM)
BAM_COMPOSITES = ("use", "risk", "protective")

NO_IMPROVEMENT = "no_improvement"
USE_RUNNING = "use_running"
RISK_RISING = "risk_rising"
MISSED_MEASURES = "missed_measures"

# The rules the program starts with (migration 0003 adds the same rows; tests
# reinstall them from here): key, kind, label, instrument, weeks, points,
# percent, count.
DEFAULT_RULES = (
    ("phq9-no-improvement", NO_IMPROVEMENT, "PHQ-9 not improving", "PHQ-9", 8, 5, 50, None),
    ("gad7-no-improvement", NO_IMPROVEMENT, "GAD-7 not improving", "GAD-7", 8, 5, 50, None),
    ("bam-use-running", USE_RUNNING, "Use on BAM 2 weeks running", "", 2, None, None, None),
    ("bam-risk-rising", RISK_RISING, "BAM risk rising", "", None, 4, None, None),
    ("measures-missed", MISSED_MEASURES, "Measures missed", "", None, None, None, 2),
)


@dataclass(frozen=True)
class Score:
    """One administration as the rules read it."""

    on: date
    total: int | None = None
    subscales: Mapping[str, int] = field(default_factory=dict)

    def value(self, composite: str | None = None) -> int | None:
        return self.total if composite is None else self.subscales.get(composite)


@dataclass(frozen=True)
class Due:
    """One due measure as the rules read it: "completed", "missed" or
    "pending" (open within its window, or cancelled: not counted)."""

    instrument: str
    due_on: date
    outcome: str


@dataclass(frozen=True)
class Rule:
    """A rule's parameters (an OnTrackRule row, or a hand-made one in tests)."""

    key: str
    kind: str
    label: str
    instrument: str = ""
    weeks: int | None = None
    points: int | None = None
    percent: int | None = None
    count: int | None = None


@dataclass(frozen=True)
class Flag:
    key: str
    label: str
    detail: str


@dataclass
class History:
    """One episode's measures: scores per instrument, oldest first, and its
    due measures, oldest first."""

    scores: dict[str, list[Score]] = field(default_factory=dict)
    due: list[Due] = field(default_factory=list)

    def of(self, instrument: str) -> list[Score]:
        return self.scores.get(instrument, [])


def due_outcome(status: str, closes_on: date, today: date) -> str:
    """A DueMeasure's status as the missed_measures rule counts it."""
    if status == "completed":
        return "completed"
    if status == "missed" or (status == "open" and closes_on < today):
        return "missed"
    return "pending"


# --- baseline, follow-up, change -------------------------------------------------------


def baseline(scores: Sequence[Score]) -> Score | None:
    return scores[0] if scores else None


def latest_follow_up(scores: Sequence[Score]) -> Score | None:
    """The most recent administration, if it is a follow-up of the baseline."""
    if len(scores) < 2:
        return None
    first, last = scores[0], scores[-1]
    return last if (last.on - first.on).days >= FOLLOW_UP_DAYS else None


def change(scores: Sequence[Score], composite: str | None = None) -> int | None:
    """Latest follow-up minus baseline (None without a follow-up or a value)."""
    last = latest_follow_up(scores)
    if last is None:
        return None
    before, after = scores[0].value(composite), last.value(composite)
    return None if before is None or after is None else after - before


def improved(first: int, last: int, *, points: int = 5, percent: int = 50) -> bool:
    """Fell by at least `points`, or to at most (100 - percent) % of `first`.
    Integer arithmetic, so "exactly 50 %" is exact: last x 100 <= first x 50."""
    return first - last >= points or last * 100 <= first * (100 - percent)


def response(scores: Sequence[Score]) -> bool | None:
    last = latest_follow_up(scores)
    if last is None or scores[0].total is None or scores[0].total < REMISSION_BELOW:
        return None
    return last.total * 100 <= scores[0].total * RESPONSE_PERCENT


def remission(scores: Sequence[Score]) -> bool | None:
    last = latest_follow_up(scores)
    if last is None or scores[0].total is None or scores[0].total < REMISSION_BELOW:
        return None
    return last.total < REMISSION_BELOW


# --- the rules -----------------------------------------------------------------------


def no_improvement(scores: Sequence[Score], *, weeks: int, points: int, percent: int) -> bool:
    if len(scores) < 2:
        return False
    first, last = scores[0], scores[-1]
    if first.total is None or last.total is None:
        return False
    if (last.on - first.on).days < weeks * 7 or last.total < REMISSION_BELOW:
        return False
    return not improved(first.total, last.total, points=points, percent=percent)


def use_running(bam: Sequence[Score], *, weeks: int) -> bool:
    run: list[Score] = []
    for score in reversed(bam):
        if (score.value("use") or 0) < 1:
            break
        run.append(score)
    return len(run) >= 2 and (run[0].on - run[-1].on).days >= weeks * 7


def risk_rising(bam: Sequence[Score], *, points: int) -> bool:
    if len(bam) < 2:
        return False
    last = bam[-1].value("risk")
    if last is None:
        return False
    earlier = [bam[0].value("risk"), bam[-2].value("risk")]
    return any(value is not None and last - value >= points for value in earlier)


def missed_measures(due: Iterable[Due], *, count: int) -> list[str]:
    """The instruments whose `count` most recent settled measures were all missed."""
    settled: dict[str, list[str]] = {}
    for measure in sorted(due, key=lambda item: item.due_on):
        if measure.outcome != "pending":
            settled.setdefault(measure.instrument, []).append(measure.outcome)
    return sorted(
        instrument
        for instrument, outcomes in settled.items()
        if len(outcomes) >= count and all(o == "missed" for o in outcomes[-count:])
    )


def evaluate(history: History, rules: Iterable[Rule]) -> list[Flag]:
    """The flags of one episode under the rules given (in their order)."""
    flags = []
    for rule in rules:
        if rule.kind == NO_IMPROVEMENT:
            scores = history.of(rule.instrument)
            if no_improvement(scores, weeks=rule.weeks, points=rule.points, percent=rule.percent):
                detail = f"{rule.instrument} {scores[0].total} → {scores[-1].total}"
                flags.append(Flag(rule.key, rule.label, detail))
        elif rule.kind == USE_RUNNING:
            if use_running(history.of(BAM), weeks=rule.weeks):
                detail = f"BAM Use {history.of(BAM)[-1].value('use')}"
                flags.append(Flag(rule.key, rule.label, detail))
        elif rule.kind == RISK_RISING:
            bam = history.of(BAM)
            if risk_rising(bam, points=rule.points):
                last = bam[-1].value("risk")
                # Name the comparison that crossed the threshold: baseline first.
                first = bam[0].value("risk")
                before = bam[0] if first is not None and last - first >= rule.points else bam[-2]
                detail = f"BAM Risk {before.value('risk')} → {last}"
                flags.append(Flag(rule.key, rule.label, detail))
        elif rule.kind == MISSED_MEASURES:
            missed = missed_measures(history.due, count=rule.count)
            if missed:
                flags.append(Flag(rule.key, rule.label, ", ".join(missed)))
    return flags
