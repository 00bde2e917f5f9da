"""The measures payers and states judge a program by: initiation and
engagement (modelled on the HEDIS IET measure), diagnoses by class, and the
share of TEDS-required items missing per admission month. Each reads a fixed
number of queries whatever the number of episodes."""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, DateTimeField, ExpressionWrapper, F, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from groups.models import Attendance
from iop.clients.models import Appointment, Demographics, Diagnosis, Episode, Medication
from iop.dashboard.measures import rate

# Modelled on HEDIS "Initiation and Engagement of Substance Use Disorder
# Treatment" (IET; NCQA): initiation is a treatment service within 14 days
# of the index date (here the referral); engagement is two or more further
# services, or medication for the use disorder, within 34 days after the
# initiation service (DOMAIN.md section 12). Day 14 and day 34 count.
INITIATION_DAYS = 14
ENGAGEMENT_DAYS = 34
ENGAGEMENT_SERVICES = 2
# Medications for a use disorder; "other" is not known to be one.
MAT_DRUGS = tuple(drug for drug in Medication.Drug.values if drug != Medication.Drug.OTHER)


def _service_dates(episodes: QuerySet[Episode]) -> dict[int, list[date]]:
    """Each episode's days with an attended treatment service within the
    measure's reach (from its referral to the end of the latest engagement
    window, a day's slack either side for the time zone): a group session
    attended or an appointment attended. Two queries, unordered, so the
    database neither sorts nor joins more than the window's rows."""
    tz = timezone.get_current_timezone()
    # The last day counts (+1), and a local day may end after UTC midnight (+1).
    reach = timedelta(days=INITIATION_DAYS + ENGAGEMENT_DAYS + 2)

    def within(field: str) -> dict:
        referral = F("episode__referral_date")
        return {
            f"{field}__gte": ExpressionWrapper(
                referral - timedelta(days=1), output_field=DateTimeField()
            ),
            f"{field}__lt": ExpressionWrapper(referral + reach, output_field=DateTimeField()),
        }

    dates: dict[int, set[date]] = defaultdict(set)
    groups = (
        Attendance.objects.filter(
            episode__in=episodes, status__in=Attendance.ATTENDED, **within("session__starts_at")
        )
        .annotate(day=TruncDate("session__starts_at", tzinfo=tz))
        .order_by()
        .values_list("episode_id", "day")
    )
    appointments = (
        Appointment.objects.filter(
            episode__in=episodes, status=Appointment.Status.ATTENDED, **within("starts_at")
        )
        .annotate(day=TruncDate("starts_at", tzinfo=tz))
        .order_by()
        .values_list("episode_id", "day")
    )
    for episode_id, day in [*groups, *appointments]:
        dates[episode_id].add(day)
    return {episode_id: sorted(days) for episode_id, days in dates.items()}


def _medication_starts(episodes: QuerySet[Episode]) -> dict[int, list[date]]:
    rows = Medication.objects.filter(
        client__in=episodes.values("client"), drug__in=MAT_DRUGS
    ).values_list("client_id", "start_date")
    starts: dict[int, list[date]] = defaultdict(list)
    for client_id, start in rows:
        starts[client_id].append(start)
    return starts


def initiation_and_engagement(admitted: QuerySet[Episode]) -> dict:
    """Of the episodes admitted (new admissions in the period): how many
    initiated treatment and, of those, how many engaged; with the episodes
    behind each (for the drill-downs). Four queries."""
    cohort = list(admitted.values_list("id", "client_id", "referral_date"))
    ids = [row[0] for row in cohort]
    episodes = Episode.objects.filter(pk__in=ids)
    services = _service_dates(episodes)
    medications = _medication_starts(episodes)
    initiated, engaged = [], []
    for episode_id, client_id, referral_date in cohort:
        first = next(
            (
                day
                for day in services.get(episode_id, ())
                if referral_date <= day <= referral_date + timedelta(days=INITIATION_DAYS)
            ),
            None,
        )
        if first is None:
            continue
        initiated.append(episode_id)
        window = (first, first + timedelta(days=ENGAGEMENT_DAYS))
        further = [day for day in services.get(episode_id, ()) if window[0] < day <= window[1]]
        on_medication = any(
            window[0] <= start <= window[1] for start in medications.get(client_id, ())
        )
        if len(further) >= ENGAGEMENT_SERVICES or on_medication:
            engaged.append(episode_id)
    return {
        "cohort": len(cohort),
        "initiated": len(initiated),
        "initiation_rate": rate(len(initiated), len(cohort)),
        "engaged": len(engaged),
        "engagement_rate": rate(len(engaged), len(initiated)),
        "not_initiated_ids": sorted(set(ids) - set(initiated)),
        "not_engaged_ids": sorted(set(initiated) - set(engaged)),
    }


def diagnoses_by_class(episodes: QuerySet[Episode]) -> list[dict]:
    """The current, confirmed substance use disorder diagnoses of the
    episodes, counted by substance class (each episode once per class). A
    proposed diagnosis is not counted until a licensed clinician confirms
    it. One query."""
    rows = (
        Diagnosis.objects.current()
        .filter(episode__in=episodes, status=Diagnosis.Status.CONFIRMED)
        .exclude(substance_class="")
        .values("substance_class")
        .annotate(episodes=Count("episode", distinct=True))
        .order_by("-episodes", "substance_class")
    )
    return [{"key": row["substance_class"], "episodes": row["episodes"]} for row in rows]


# The admission's TEDS items kept by the referral (screening); the others
# are the Demographics' required items.
REFERRAL_ITEMS = ("employment", "living_arrangement", "education")


def missing_items(episode: Episode) -> list[str]:
    """The TEDS-required items of an admitted episode not recorded (nor
    recorded declined or unknown)."""
    referral = getattr(episode, "referral", None)
    employment = referral.employment if referral else ""
    items = getattr(episode, "demographics", None)
    if items is None:
        missing = Demographics.required_fields(sex=episode.client.sex, employment=employment)
    else:
        missing = items.missing(sex=episode.client.sex, employment=employment)
    missing += [name for name in REFERRAL_ITEMS if not (referral and getattr(referral, name))]
    return missing


def _admitted_with_items(admitted: QuerySet[Episode]):
    return admitted.select_related("client", "demographics", "referral").annotate(
        month=TruncMonth("admission_date")
    )


def teds_missing_by_month(admitted: QuerySet[Episode]) -> list[dict]:
    """Per admission month: admissions, those with an item missing, and the
    share of all their required items that are missing. One query."""
    months: dict[date, dict] = {}
    for episode in _admitted_with_items(admitted).order_by("admission_date", "pk"):
        month = months.setdefault(
            episode.month,
            {"month": episode.month, "admissions": 0, "incomplete": 0, "required": 0, "missing": 0},
        )
        missing = missing_items(episode)
        referral = getattr(episode, "referral", None)
        required = len(
            Demographics.required_fields(
                sex=episode.client.sex, employment=referral.employment if referral else ""
            )
        ) + len(REFERRAL_ITEMS)
        month["admissions"] += 1
        month["incomplete"] += bool(missing)
        month["required"] += required
        month["missing"] += len(missing)
    return [{**row, "share": rate(row["missing"], row["required"])} for row in months.values()]


def incomplete_episode_ids(admitted: QuerySet[Episode]) -> list[int]:
    return [episode.pk for episode in _admitted_with_items(admitted) if missing_items(episode)]
