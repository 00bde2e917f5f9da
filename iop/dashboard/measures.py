"""The program's outcome measures, each defined exactly as in DOMAIN.md
section 9 and computed with aggregate queries: the number of queries does not
depend on the number of clients, sessions or groups.

Every function takes the querysets it measures (already narrowed by the
access policy and the dashboard's filters) and returns plain numbers.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Aggregate,
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Attendance
from iop.clients.models import DrugTestResult, Episode

DROPPED_OUT = Episode.DischargeReason.LEFT_AGAINST_ADVICE
TERMINATED = Episode.DischargeReason.TERMINATED

# TEDS 2004, adult intensive outpatient discharges (DOMAIN.md section 1):
# the benchmark the discharge reasons are compared with, in percent.
TEDS_2004_IOP_OUTCOMES = {
    "completed": 38,
    "transferred": 18,
    "dropped_out": 23,
    "terminated": 14,
    "other": 7,
}
# The benchmark's groups in words: the TEDS reason each stands for.
OUTCOME_LABELS = {
    "completed": Episode.DischargeReason.COMPLETED.label,
    "transferred": Episode.DischargeReason.TRANSFERRED.label,
    "dropped_out": Episode.DischargeReason.LEFT_AGAINST_ADVICE.label,
    "terminated": Episode.DischargeReason.TERMINATED.label,
    "other": _("Other (incarcerated, death or another reason)"),
}
REASON_GROUP = {
    Episode.DischargeReason.COMPLETED: "completed",
    Episode.DischargeReason.TRANSFERRED: "transferred",
    Episode.DischargeReason.LEFT_AGAINST_ADVICE: "dropped_out",
    Episode.DischargeReason.TERMINATED: "terminated",
    Episode.DischargeReason.INCARCERATED: "other",
    Episode.DischargeReason.DEATH: "other",
    Episode.DischargeReason.OTHER: "other",
}
LOS_BUCKETS = ((0, 30), (31, 60), (61, 90), (91, 120), (121, None))


class DaysBetween(Func):
    """end - start for two date columns: PostgreSQL gives whole days."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


class Median(Aggregate):
    """PostgreSQL's exact median (percentile_cont(0.5))."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def rate(numerator: int, denominator: int) -> float | None:
    """A share in percent with one decimal; None when there is nothing to measure."""
    return None if not denominator else round(100 * numerator / denominator, 1)


def admissions_and_discharges_by_month(episodes: QuerySet[Episode], *, start: date, end: date):
    """Admissions (by admission date) and discharges (by discharge date) per
    calendar month of [start, end]; two queries."""
    admitted = (
        episodes.filter(admission_date__range=(start, end))
        .annotate(month=TruncMonth("admission_date"))
        .values("month")
        .annotate(n=Count("id"))
    )
    discharged = (
        episodes.filter(discharge_date__range=(start, end), admission_date__isnull=False)
        .annotate(month=TruncMonth("discharge_date"))
        .values("month")
        .annotate(n=Count("id"))
    )
    months: dict[date, dict] = {}
    cursor = start.replace(day=1)
    while cursor <= end:
        months[cursor] = {"month": cursor, "admissions": 0, "discharges": 0}
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    for row in admitted:
        months.setdefault(row["month"], {"month": row["month"], "admissions": 0, "discharges": 0})
        months[row["month"]]["admissions"] = row["n"]
    for row in discharged:
        months.setdefault(row["month"], {"month": row["month"], "admissions": 0, "discharges": 0})
        months[row["month"]]["discharges"] = row["n"]
    return [months[key] for key in sorted(months)]


def attendance_rate(attendance, *, by: str, labels: tuple[str, ...] = ()):
    """Attendance rate = (present + late) / (present + late + absent);
    excused absences are left out of both. `by` is the field to group by
    (e.g. "session__group__track__name"), `labels` fields whose values name
    the group (joined with spaces); one query."""
    rows = (
        attendance.values(by, *labels)
        .annotate(
            attended=Count("id", filter=Q(status__in=Attendance.ATTENDED)),
            absent=Count("id", filter=Q(status="absent")),
        )
        .order_by(by)
    )
    return [
        {
            "key": " ".join(str(row[label]) for label in labels) if labels else row[by],
            "attended": row["attended"],
            "absent": row["absent"],
            "rate": rate(row["attended"], row["attended"] + row["absent"]),
        }
        for row in rows
    ]


def retention(episodes: QuerySet[Episode], *, days: int, today: date | None = None):
    """Retention at N days per admission cohort (month): of the admissions at
    least N days old, the share not discharged as dropped out (TEDS 2) or
    terminated (TEDS 3) before day N. A discharge on day N itself counts as
    retained through day N. One query."""
    today = today or timezone.localdate()
    eligible = episodes.filter(
        admission_date__isnull=False, admission_date__lte=today - timedelta(days=days)
    )
    lost_before_n = Q(
        discharge_reason__in=[DROPPED_OUT, TERMINATED],
        discharge_date__lt=F("admission_date") + timedelta(days=days),
    )
    rows = (
        eligible.annotate(cohort=TruncMonth("admission_date"))
        .values("cohort")
        .annotate(admitted=Count("id"), lost=Count("id", filter=lost_before_n))
        .order_by("cohort")
    )
    return [
        {
            "cohort": row["cohort"],
            "admitted": row["admitted"],
            "retained": row["admitted"] - row["lost"],
            "rate": rate(row["admitted"] - row["lost"], row["admitted"]),
        }
        for row in rows
    ]


@dataclass(frozen=True)
class Outcomes:
    discharges: int
    completed: int
    completion_rate: float | None
    by_reason: list[dict]
    by_group: dict[str, float | None]


def discharge_outcomes(discharged: QuerySet[Episode]) -> Outcomes:
    """Completion rate = discharges with reason "completed" / all discharges;
    the reasons by TEDS code and grouped as the TEDS 2004 benchmark. One query."""
    rows = {
        row["discharge_reason"]: row["n"]
        for row in discharged.exclude(discharge_reason__isnull=True)
        .values("discharge_reason")
        .annotate(n=Count("id"))
    }
    total = sum(rows.values())
    groups: dict[str, int] = dict.fromkeys(TEDS_2004_IOP_OUTCOMES, 0)
    for reason, count in rows.items():
        groups[REASON_GROUP[reason]] += count
    return Outcomes(
        discharges=total,
        completed=rows.get(Episode.DischargeReason.COMPLETED, 0),
        completion_rate=rate(rows.get(Episode.DischargeReason.COMPLETED, 0), total),
        by_reason=[
            {
                "code": reason.value,
                "label": reason.label,
                "count": rows.get(reason.value, 0),
                "share": rate(rows.get(reason.value, 0), total),
            }
            for reason in Episode.DischargeReason
        ],
        by_group={key: rate(count, total) for key, count in groups.items()},
    )


def length_of_stay(discharged: QuerySet[Episode]) -> dict:
    """Length of stay in days (discharge date - admission date) of admitted,
    discharged episodes: the median for completers and for everyone else,
    and the distribution in 30-day buckets. One query."""
    completed = Q(discharge_reason=Episode.DischargeReason.COMPLETED)
    admitted = discharged.filter(admission_date__isnull=False, discharge_date__isnull=False)
    days = DaysBetween("discharge_date", "admission_date")
    buckets = {}
    for low, high in LOS_BUCKETS:
        condition = (
            Q(stay_days__gte=low) if high is None else Q(stay_days__gte=low, stay_days__lte=high)
        )
        buckets[f"b{low}"] = Count("id", filter=condition)
    result = admitted.annotate(stay_days=days).aggregate(
        median_completed=Median("stay_days", filter=completed),
        median_other=Median("stay_days", filter=~completed),
        completed_n=Count("id", filter=completed),
        other_n=Count("id", filter=~completed),
        **buckets,
    )
    return {
        "median_completed": result["median_completed"],
        "median_other": result["median_other"],
        "completed_n": result["completed_n"],
        "other_n": result["other_n"],
        "distribution": [
            {"low": low, "high": high, "count": result[f"b{low}"]} for low, high in LOS_BUCKETS
        ],
    }


def drug_test_negative_share(tests) -> dict:
    """Share of drug tests that are negative, expected positives excluded: a
    test counts as negative when none of its results is an unexpected
    positive, an invalid specimen or a refusal (a refusal is not a negative).
    One query."""
    not_negative = DrugTestResult.objects.filter(test=OuterRef("pk")).filter(
        Q(result=DrugTestResult.Result.POSITIVE, expected=False)
        | Q(result__in=[DrugTestResult.Result.INVALID, DrugTestResult.Result.REFUSED])
    )
    result = tests.annotate(flagged=Exists(not_negative)).aggregate(
        total=Count("id"), negative=Count("id", filter=Q(flagged=False))
    )
    return {**result, "rate": rate(result["negative"], result["total"])}


def referral_to_admission(admitted: QuerySet[Episode]) -> dict:
    """Days from referral to admission of the admissions given: median and mean."""
    days = DaysBetween("admission_date", "referral_date")
    result = (
        admitted.filter(admission_date__isnull=False)
        .annotate(wait=days)
        .aggregate(median=Median("wait"), mean=Avg("wait"), n=Count("id"))
    )
    mean = result["mean"]
    return {
        "median": result["median"],
        "mean": None if mean is None else round(float(mean), 1),
        "n": result["n"],
    }


def aftercare_check_ins(check_ins, *, today: date | None = None) -> dict:
    """Aftercare check-ins completed of due: check-ins due by today (not
    cancelled), and how many of those were completed. One query."""
    today = today or timezone.localdate()
    result = (
        check_ins.filter(due_on__lte=today)
        .exclude(status="cancelled")
        .aggregate(due=Count("id"), completed=Count("id", filter=Q(outcome="completed")))
    )
    return {**result, "rate": rate(result["completed"], result["due"])}


def aftercare_retention(plans, *, today: date | None = None, days: int = 365) -> dict:
    """12-month aftercare retention: of the aftercare plans started at least a
    year ago, the share whose episode was not discharged as dropped out or
    terminated before the year was over. One query."""
    today = today or timezone.localdate()
    eligible = plans.filter(started_on__lte=today - timedelta(days=days))
    lost = Q(
        episode__discharge_reason__in=[DROPPED_OUT, TERMINATED],
        episode__discharge_date__lt=F("started_on") + timedelta(days=days),
    )
    result = eligible.aggregate(started=Count("id"), lost=Count("id", filter=lost))
    retained = result["started"] - result["lost"]
    return {
        "started": result["started"],
        "retained": retained,
        "rate": rate(retained, result["started"]),
    }


def unsigned_notes_older_than(session_notes, group_sessions, *, hours: int = 72, now=None):
    """Unsigned notes whose service was more than `hours` ago, per counselor
    (session notes by author, group notes by facilitator). Two queries."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=hours)
    counts: dict[int, dict] = {}
    rows = (
        session_notes.filter(signed_at__isnull=True, appointment__starts_at__lt=cutoff)
        .values("author_id", "author__first_name", "author__last_name")
        .annotate(n=Count("id"))
    )
    for row in rows:
        entry = counts.setdefault(
            row["author_id"],
            {"name": f"{row['author__first_name']} {row['author__last_name']}", "count": 0},
        )
        entry["count"] += row["n"]
    rows = (
        group_sessions.filter(signed_at__isnull=True, status="scheduled", starts_at__lt=cutoff)
        .filter(attendance__isnull=False)
        .values(
            "group__facilitator_id",
            "group__facilitator__first_name",
            "group__facilitator__last_name",
        )
        .annotate(n=Count("id", distinct=True))
    )
    for row in rows:
        name = f"{row['group__facilitator__first_name']} {row['group__facilitator__last_name']}"
        entry = counts.setdefault(row["group__facilitator_id"], {"name": name, "count": 0})
        entry["count"] += row["n"]
    return sorted(
        ({"counselor_id": key, **value} for key, value in counts.items()),
        key=lambda entry: (-entry["count"], entry["name"]),
    )
