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


def iet_by_episode(admitted: QuerySet[Episode]) -> dict[int, tuple[bool, bool]]:
    """Each admitted episode's (initiated, engaged). Three queries."""
    cohort = list(admitted.values_list("id", "client_id", "referral_date"))
    episodes = Episode.objects.filter(pk__in=[row[0] for row in cohort])
    services = _service_dates(episodes)
    medications = _medication_starts(episodes)
    outcomes = {}
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
            outcomes[episode_id] = (False, False)
            continue
        window = (first, first + timedelta(days=ENGAGEMENT_DAYS))
        further = [day for day in services.get(episode_id, ()) if window[0] < day <= window[1]]
        on_medication = any(
            window[0] <= start <= window[1] for start in medications.get(client_id, ())
        )
        outcomes[episode_id] = (True, len(further) >= ENGAGEMENT_SERVICES or on_medication)
    return outcomes


def iet_figures(cohort: int, initiated: int, engaged: int) -> dict:
    """The measure's figures from its three counts (live or summarised)."""
    return {
        "cohort": cohort,
        "initiated": initiated,
        "initiation_rate": rate(initiated, cohort),
        "engaged": engaged,
        "engagement_rate": rate(engaged, initiated),
        "not_initiated": cohort - initiated,
        "not_engaged": initiated - engaged,
    }


def initiation_and_engagement(admitted: QuerySet[Episode]) -> dict:
    """Of the episodes admitted (new admissions in the period): how many
    initiated treatment and, of those, how many engaged; with the episodes
    behind each (for the drill-downs). Three queries."""
    outcomes = iet_by_episode(admitted)
    initiated = sorted(pk for pk, (started, _) in outcomes.items() if started)
    engaged = [pk for pk, (_, kept) in outcomes.items() if kept]
    return {
        **iet_figures(len(outcomes), len(initiated), len(engaged)),
        "not_initiated_ids": sorted(set(outcomes) - set(initiated)),
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


def admitted_with_items(admitted: QuerySet[Episode]):
    return admitted.select_related("client", "demographics", "referral").annotate(
        month=TruncMonth("admission_date")
    )


def teds_item_counts(episode: Episode) -> tuple[int, int]:
    """An admitted episode's TEDS-required items: how many, how many missing
    (the episode read by admitted_with_items)."""
    referral = getattr(episode, "referral", None)
    required = len(
        Demographics.required_fields(
            sex=episode.client.sex, employment=referral.employment if referral else ""
        )
    ) + len(REFERRAL_ITEMS)
    return required, len(missing_items(episode))


def teds_missing_row(month: date, admissions: int, incomplete: int, required: int, missing: int):
    return {
        "month": month,
        "admissions": admissions,
        "incomplete": incomplete,
        "required": required,
        "missing": missing,
        "share": rate(missing, required),
    }


def teds_missing_by_month(admitted: QuerySet[Episode]) -> list[dict]:
    """Per admission month: admissions, those with an item missing, and the
    share of all their required items that are missing. One query."""
    months: dict[date, list[int]] = {}
    for episode in admitted_with_items(admitted).order_by("admission_date", "pk"):
        required, missing = teds_item_counts(episode)
        counts = months.setdefault(episode.month, [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += bool(missing)
        counts[2] += required
        counts[3] += missing
    return [teds_missing_row(month, *counts) for month, counts in months.items()]


def incomplete_episode_ids(admitted: QuerySet[Episode]) -> list[int]:
    return [episode.pk for episode in admitted_with_items(admitted) if missing_items(episode)]
