"""The program dashboard's summary tables (iop.dashboard.models): rebuilt
from the clinical tables, read instead of scanning a year of attendance and
drug tests, and replaying every admission's services (initiation and
engagement) and TEDS items, on every view of the dashboard.

The figures read here are exactly the live measures' (iop.dashboard.measures)
as of the last rebuild: the dashboard shows that time. They serve the
program-wide view only (administrators and supervisors, who see every
client): filters on the episode (counselor, level of care) and narrower users
are measured live, within the access policy.
"""

import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from groups.models import Attendance, GroupSession, RecurringGroup
from iop.clients.models import DrugTest, DrugTestResult, Episode
from iop.dashboard import quality
from iop.dashboard.measures import rate
from iop.dashboard.models import AttendanceDay, DrugTestDay, EpisodeQuality, SummaryRefresh

# Serialises rebuilds: two at once would each delete the other's rows.
LOCK_KEY = 0x10D0_5A11

FLAGGED = (
    f"(r.result = '{DrugTestResult.Result.POSITIVE}' AND NOT r.expected) "
    f"OR r.result IN ('{DrugTestResult.Result.INVALID}', '{DrugTestResult.Result.REFUSED}')"
)


def _tables() -> dict[str, str]:
    return {
        "attendance": Attendance._meta.db_table,
        "session": GroupSession._meta.db_table,
        "group": RecurringGroup._meta.db_table,
        "episode": Episode._meta.db_table,
        "test": DrugTest._meta.db_table,
        "result": DrugTestResult._meta.db_table,
        "attendance_day": AttendanceDay._meta.db_table,
        "drug_test_day": DrugTestDay._meta.db_table,
    }


def summary_refresh() -> SummaryRefresh:
    """Rebuild the summary from the clinical tables in one transaction:
    readers see the old figures until it commits, never a half-built table.
    Idempotent; concurrent calls run one after the other."""
    started = time.monotonic()
    names = _tables()
    zone = settings.TIME_ZONE
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        refreshed_at = timezone.now()
        cursor.execute(f'DELETE FROM "{names["attendance_day"]}"')  # noqa: S608 -- model tables
        # The day of a session is its local date, as the dashboard's period
        # bounds are local midnights; every attendance row has its episode.
        # Attended is Attendance.ATTENDED, passed as an array parameter so
        # the summary counts exactly what the live measure counts.
        cursor.execute(
            f"""
            INSERT INTO "{names["attendance_day"]}"
                (day, track_id, facilitator_id, attended, absent)
            SELECT (s.starts_at AT TIME ZONE %s)::date, g.track_id, g.facilitator_id,
                   count(*) FILTER (WHERE a.status = ANY(%s)),
                   count(*) FILTER (WHERE a.status = 'absent')
            FROM "{names["attendance"]}" a
            JOIN "{names["session"]}" s ON s.id = a.session_id
            JOIN "{names["group"]}" g ON g.id = s.group_id
            WHERE s.status = %s
            GROUP BY 1, 2, 3
            """,  # noqa: S608 -- table names from the models, values as parameters
            [zone, list(Attendance.ATTENDED), GroupSession.Status.SCHEDULED],
        )
        cursor.execute(f'DELETE FROM "{names["drug_test_day"]}"')  # noqa: S608
        # As the live measure: tests of clients who have an episode; a test
        # is negative when none of its results is flagged.
        cursor.execute(
            f"""
            INSERT INTO "{names["drug_test_day"]}" (day, total, negative)
            SELECT t.collected_on, count(*),
                   count(*) FILTER (WHERE NOT EXISTS (
                       SELECT 1 FROM "{names["result"]}" r
                       WHERE r.test_id = t.id AND ({FLAGGED})))
            FROM "{names["test"]}" t
            WHERE EXISTS (SELECT 1 FROM "{names["episode"]}" e WHERE e.client_id = t.client_id)
            GROUP BY t.collected_on
            """,  # noqa: S608 -- table names and fixed values from the models
        )
        _refresh_episode_quality()
        SummaryRefresh.objects.all().delete()
        return SummaryRefresh.objects.create(
            refreshed_at=refreshed_at, seconds=round(time.monotonic() - started, 3)
        )


# Admitted episodes measured at a time: the services of a few thousand
# episodes in memory, whatever the size of the organization.
QUALITY_CHUNK = 2000


def _refresh_episode_quality() -> None:
    """Every admitted episode's initiation, engagement and TEDS item counts,
    measured as the live figures are (iop.dashboard.quality)."""
    EpisodeQuality.objects.all().delete()
    admitted = Episode.objects.filter(admission_date__isnull=False).order_by("pk")
    ids = list(admitted.values_list("pk", flat=True))
    for offset in range(0, len(ids), QUALITY_CHUNK):
        chunk = admitted.filter(pk__in=ids[offset : offset + QUALITY_CHUNK])
        outcomes = quality.iet_by_episode(chunk)
        rows = []
        for episode in quality.admitted_with_items(chunk):
            required, missing = quality.teds_item_counts(episode)
            initiated, engaged = outcomes[episode.pk]
            rows.append(
                EpisodeQuality(
                    episode_id=episode.pk,
                    admission_date=episode.admission_date,
                    initiated=initiated,
                    engaged=engaged,
                    teds_required=required,
                    teds_missing=missing,
                )
            )
        EpisodeQuality.objects.bulk_create(rows, batch_size=QUALITY_CHUNK)


def summary_state() -> SummaryRefresh | None:
    """The last rebuild, or None when the summary was never built."""
    return SummaryRefresh.objects.order_by("-refreshed_at").first()


def attendance_rate(*, start, end, by: str, track=None):
    """As measures.attendance_rate over the program's attendance in
    [start, end] (local dates), grouped by "track" or "facilitator"; one query."""
    rows = AttendanceDay.objects.filter(day__range=(start, end))
    if track is not None:
        rows = rows.filter(track=track)
    if by == "track":
        fields, order, labels = ("track__name",), "track__name", ()
    else:
        fields = ("facilitator_id", "facilitator__first_name", "facilitator__last_name")
        order, labels = "facilitator_id", fields[1:]
    grouped = (
        rows.values(*fields)
        .annotate(n_attended=Sum("attended"), n_absent=Sum("absent"))
        .order_by(order)
    )
    return [
        {
            "key": " ".join(str(row[label]) for label in labels) if labels else row[fields[0]],
            "attended": row["n_attended"],
            "absent": row["n_absent"],
            "rate": rate(row["n_attended"], row["n_attended"] + row["n_absent"]),
        }
        for row in grouped
    ]


def drug_test_negative_share(*, start, end) -> dict:
    """As measures.drug_test_negative_share over the program's tests
    collected in [start, end]; one query."""
    result = DrugTestDay.objects.filter(day__range=(start, end)).aggregate(
        total=Sum("total", default=0), negative=Sum("negative", default=0)
    )
    return {**result, "rate": rate(result["negative"], result["total"])}


def initiation_and_engagement(*, start, end) -> dict:
    """As quality.initiation_and_engagement over the program's admissions
    in [start, end], without the episodes' ids; one query."""
    counts = EpisodeQuality.objects.filter(admission_date__range=(start, end)).aggregate(
        cohort=Count("pk"),
        initiated=Count("pk", filter=Q(initiated=True)),
        engaged=Count("pk", filter=Q(engaged=True)),
    )
    return quality.iet_figures(counts["cohort"], counts["initiated"], counts["engaged"])


def teds_missing_by_month(*, start, end) -> list[dict]:
    """As quality.teds_missing_by_month over the program's admissions in
    [start, end]; one query."""
    rows = (
        EpisodeQuality.objects.filter(admission_date__range=(start, end))
        .annotate(month=TruncMonth("admission_date"))
        .values("month")
        .annotate(
            admissions=Count("pk"),
            incomplete=Count("pk", filter=Q(teds_missing__gt=0)),
            required=Sum("teds_required"),
            missing=Sum("teds_missing"),
        )
        .order_by("month")
    )
    return [
        quality.teds_missing_row(
            row["month"], row["admissions"], row["incomplete"], row["required"], row["missing"]
        )
        for row in rows
    ]
