"""The outcome dashboard's measures: for the admissions of a period, how
many were measured and how they changed, overall and by Matrix track,
primary counselor and level of care. Three queries whatever the number of
admissions (the admissions, their tracks, their administrations), then
Python over what they return.

Definitions (the episode's baseline, follow-up and latest: outcomes.rules):

- Admissions: episodes admitted in the period, among the clients the viewer
  may see (a counselor: those of which they are primary counselor).
- Completion: the share of admissions with a baseline and at least one
  follow-up of the instrument; "any" counts an admission followed up on any
  of PHQ-9, GAD-7 and BAM.
- Mean change: latest follow-up minus baseline, averaged over the admissions
  followed up on the instrument (PHQ-9 and GAD-7 totals; BAM per composite:
  Use, Risk, Protective). Negative is fewer symptoms, less use, less risk;
  for Protective, positive is better.
- Improved: of the admissions followed up whose baseline left room to
  improve (PHQ-9 or GAD-7 of 5 or more; BAM Use of 1 or more), the share
  whose latest score is at least 5 points or 50 % lower (PHQ-9, GAD-7), or
  whose BAM Use is lower.
- Remission: of the admissions followed up on the PHQ-9 with a baseline of 5
  or more, the share whose latest PHQ-9 is below 5 (outcomes.rules.remission).
- BAM Use by month of treatment: month 1 is days 0-29 after admission (an
  administration in the few days before admission counts in month 1), month
  2 days 30-59, and so on to month 12; for each month the mean of each
  admission's last BAM Use composite in that month.

An admission enrolled in several tracks counts in each of them; one in none
is under "No track".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from groups.models import Enrollment
from iop.clients.models import Episode, LevelOfCare
from outcomes import rules
from outcomes.selectors import episode_histories

SYMPTOMS = rules.SYMPTOM_INSTRUMENTS
# The change columns: (key, instrument, BAM composite or None).
CHANGES = (
    ("PHQ-9", "PHQ-9", None),
    ("GAD-7", "GAD-7", None),
    ("BAM use", "BAM", "use"),
    ("BAM risk", "BAM", "risk"),
    ("BAM protective", "BAM", "protective"),
)
IMPROVED = ("PHQ-9", "GAD-7", "BAM use")
# "Improved" for PHQ-9 and GAD-7: the fall the not-on-track rule's defaults ask.
IMPROVED_POINTS, IMPROVED_PERCENT = 5, 50
MONTHS = 12
GROUPINGS = ("all", "track", "counselor", "level")
NO_TRACK, NO_COUNSELOR = "none", "none"


@dataclass
class EpisodeOutcome:
    """One admission's measures, as the dashboard counts them."""

    episode: Episode
    followed: dict[str, bool] = field(default_factory=dict)
    change: dict[str, int | None] = field(default_factory=dict)
    # None where the admission is not in the measure's denominator.
    improved: dict[str, bool | None] = field(default_factory=dict)
    remission: bool | None = None
    bam_use_by_month: dict[int, int] = field(default_factory=dict)

    @property
    def followed_any(self) -> bool:
        return any(self.followed.values())


def episode_outcome(episode: Episode, history: rules.History) -> EpisodeOutcome:
    outcome = EpisodeOutcome(episode)
    for code in rules.INSTRUMENTS:
        outcome.followed[code] = rules.latest_follow_up(history.of(code)) is not None
    for key, code, composite in CHANGES:
        outcome.change[key] = rules.change(history.of(code), composite)
    for code in SYMPTOMS:
        scores = history.of(code)
        eligible = outcome.followed[code] and scores[0].total >= rules.REMISSION_BELOW
        outcome.improved[code] = (
            rules.improved(
                scores[0].total,
                scores[-1].total,
                points=IMPROVED_POINTS,
                percent=IMPROVED_PERCENT,
            )
            if eligible
            else None
        )
    bam = history.of(rules.BAM)
    if outcome.followed[rules.BAM] and (bam[0].value("use") or 0) >= 1:
        outcome.improved["BAM use"] = bam[-1].value("use") < bam[0].value("use")
    else:
        outcome.improved["BAM use"] = None
    outcome.remission = rules.remission(history.of("PHQ-9"))
    for score in bam:
        month = max(0, (score.on - episode.admission_date).days) // 30 + 1
        if month <= MONTHS and score.value("use") is not None:
            outcome.bam_use_by_month[month] = score.value("use")  # oldest first: last wins
    return outcome


def cohort(clients, *, start: date, end: date, counselor=None):
    """The admissions of the period among `clients` (of one primary counselor)."""
    episodes = Episode.objects.filter(client__in=clients, admission_date__range=(start, end))
    if counselor is not None:
        episodes = episodes.filter(primary_counselor=counselor)
    return episodes.select_related("primary_counselor").order_by("pk")


def cohort_outcomes(clients, *, start: date, end: date, counselor=None) -> list[EpisodeOutcome]:
    """Each admission's outcome, with its tracks: three queries."""
    episodes = list(cohort(clients, start=start, end=end, counselor=counselor))
    histories = episode_histories(episodes, due=False)
    tracks = _tracks([episode.pk for episode in episodes])
    outcomes = []
    for episode in episodes:
        episode.track_keys = tracks.get(episode.pk, [])
        outcomes.append(episode_outcome(episode, histories[episode.pk]))
    return outcomes


def _tracks(episode_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """The Matrix tracks each episode was enrolled in, as (code, name)."""
    rows = (
        Enrollment.objects.filter(episode_id__in=episode_ids)
        .values_list("episode_id", "program_track__track__code", "program_track__track__name")
        .distinct()
        .order_by("episode_id", "program_track__track__name")
    )
    tracks: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for episode_id, code, name in rows:
        tracks[episode_id].append((code, name))
    return tracks


def _counselor(episode: Episode) -> tuple[str, str]:
    person = episode.primary_counselor
    if person is None:
        return NO_COUNSELOR, str(_("Unassigned"))
    return str(person.pk), person.get_full_name() or person.username


def _levels() -> dict[str, str]:
    return {code: str(label) for code, label in LevelOfCare.choices}


def group_keys(outcome: EpisodeOutcome, by: str) -> list[tuple[str, str]]:
    """The (key, label) groups of `by` an admission counts in."""
    episode = outcome.episode
    if by == "all":
        return [("all", str(_("All admissions")))]
    if by == "track":
        return episode.track_keys or [(NO_TRACK, str(_("No track")))]
    if by == "counselor":
        return [_counselor(episode)]
    if by == "level":
        code = episode.level_of_care or "none"
        return [(code, _levels().get(code, code))]
    return []


def _share(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def summary(outcomes: list[EpisodeOutcome]) -> dict:
    """The measures of one group of admissions."""
    admitted = len(outcomes)
    row = {"admissions": admitted, "completion": {}, "change": {}, "improved": {}}
    followed_any = sum(outcome.followed_any for outcome in outcomes)
    row["completion"]["any"] = {"n": followed_any, "share": _share(followed_any, admitted)}
    for code in rules.INSTRUMENTS:
        count = sum(outcome.followed[code] for outcome in outcomes)
        row["completion"][code] = {"n": count, "share": _share(count, admitted)}
    for key, _code, _composite in CHANGES:
        values = [o.change[key] for o in outcomes if o.change[key] is not None]
        row["change"][key] = {"n": len(values), "mean": _mean(values)}
    for key in IMPROVED:
        eligible = [o.improved[key] for o in outcomes if o.improved[key] is not None]
        row["improved"][key] = {
            "n": sum(eligible),
            "of": len(eligible),
            "share": _share(sum(eligible), len(eligible)),
        }
    remission = [o.remission for o in outcomes if o.remission is not None]
    row["remission"] = {
        "n": sum(remission),
        "of": len(remission),
        "share": _share(sum(remission), len(remission)),
    }
    return row


def grouped(outcomes: list[EpisodeOutcome]) -> dict[str, list[dict]]:
    """For each grouping, one summary row per group, by label."""
    tables = {}
    for by in GROUPINGS:
        members: dict[tuple[str, str], list[EpisodeOutcome]] = defaultdict(list)
        for outcome in outcomes:
            for key in group_keys(outcome, by):
                members[key].append(outcome)
        tables[by] = [
            {"key": key, "label": label, **summary(group)}
            for (key, label), group in sorted(members.items(), key=lambda item: item[0][1])
        ]
    return tables


def bam_use_trend(outcomes: list[EpisodeOutcome]) -> list[dict]:
    """Mean BAM Use composite per month of treatment (1-12), with its n."""
    by_month: dict[int, list[int]] = defaultdict(list)
    for outcome in outcomes:
        for month, use in outcome.bam_use_by_month.items():
            by_month[month].append(use)
    return [
        {"month": month, "n": len(by_month[month]), "mean": _mean(by_month[month])}
        for month in range(1, MONTHS + 1)
    ]


# --- drill-downs: the admissions behind a cell -------------------------------------------

FIGURES: dict[str, tuple[str, Callable[[EpisodeOutcome, str], bool]]] = {
    "admitted": (_("Admitted in the period"), lambda o, code: True),
    "followed": (
        _("With a baseline and a follow-up"),
        lambda o, code: o.followed_any if code == "any" else o.followed.get(code, False),
    ),
    "not_followed": (
        _("Without a follow-up"),
        lambda o, code: not (o.followed_any if code == "any" else o.followed.get(code, False)),
    ),
    "improved": (_("Improved"), lambda o, code: o.improved.get(code) is True),
    "not_improved": (_("Not improved"), lambda o, code: o.improved.get(code) is False),
    "remission": (_("In remission (PHQ-9 below 5)"), lambda o, code: o.remission is True),
}
INSTRUMENT_CHOICES = ("any", *rules.INSTRUMENTS, "BAM use")


def cell_episodes(outcomes: list[EpisodeOutcome], *, by: str, key: str, figure: str, code: str):
    """The admissions counted in one cell (none for an unknown cell)."""
    if by not in GROUPINGS or figure not in FIGURES or code not in INSTRUMENT_CHOICES:
        return []
    test = FIGURES[figure][1]
    return [
        outcome.episode
        for outcome in outcomes
        if key in {group for group, _label in group_keys(outcome, by)} and test(outcome, code)
    ]
