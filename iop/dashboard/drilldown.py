"""The clients behind a dashboard figure. Each figure key names a filter over
the same episodes the measure counted, always within the access policy."""

from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from aftercare.models import CheckIn
from iop import horizon
from iop.clients.models import Client, DrugTestResult, Episode
from iop.dashboard import quality
from iop.dashboard.measures import DROPPED_OUT, LOS_BUCKETS, TERMINATED, DaysBetween
from screening.models import SafetyFlag


def _month(value: str) -> date | None:
    # None for a malformed month (the figure lists nobody); a month outside
    # the horizon raises horizon.OutOfHorizon (the view answers 400): the
    # month after 9999-12 does not exist.
    return horizon.query_month(value)


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def admitted_in_month(episodes, params, start, end):
    first = _month(params.get("month", ""))
    if first is None:
        return episodes.none()
    return episodes.filter(admission_date__gte=first, admission_date__lt=_next_month(first))


def discharged_in_month(episodes, params, start, end):
    first = _month(params.get("month", ""))
    if first is None:
        return episodes.none()
    return episodes.filter(
        admission_date__isnull=False,
        discharge_date__gte=first,
        discharge_date__lt=_next_month(first),
    )


def lost_before_day(episodes, params, start, end):
    """Admissions of a cohort discharged as dropped out or terminated before day N."""
    first = _month(params.get("month", ""))
    days = params.get("days", "")
    if first is None or days not in {"30", "60", "90"}:
        return episodes.none()
    return episodes.filter(
        admission_date__gte=first,
        admission_date__lt=_next_month(first),
        discharge_reason__in=[DROPPED_OUT, TERMINATED],
        discharge_date__lt=F("admission_date") + timedelta(days=int(days)),
    )


def discharge_reason(episodes, params, start, end):
    reason = params.get("reason", "")
    if (
        not (reason.isascii() and reason.isdigit())
        or int(reason) not in Episode.DischargeReason.values
    ):
        return episodes.none()
    return episodes.filter(
        discharge_date__range=(start, end), admission_date__isnull=False, discharge_reason=reason
    )


def length_of_stay(episodes, params, start, end):
    low = params.get("low", "")
    bucket = next((b for b in LOS_BUCKETS if str(b[0]) == low), None)
    if bucket is None:
        return episodes.none()
    discharged = episodes.filter(
        discharge_date__range=(start, end), admission_date__isnull=False
    ).annotate(stay=DaysBetween("discharge_date", "admission_date"))
    low_days, high_days = bucket
    discharged = discharged.filter(stay__gte=low_days)
    return discharged if high_days is None else discharged.filter(stay__lte=high_days)


def non_negative_tests(episodes, params, start, end):
    flagged = DrugTestResult.objects.filter(
        test__client=OuterRef("client"), test__collected_on__range=(start, end)
    ).filter(
        Q(result=DrugTestResult.Result.POSITIVE, expected=False)
        | Q(result__in=[DrugTestResult.Result.INVALID, DrugTestResult.Result.REFUSED])
    )
    return episodes.filter(Exists(flagged))


def missed_check_ins(episodes, params, start, end):
    missed = (
        CheckIn.objects.filter(
            plan__episode=OuterRef("pk"),
            due_on__range=(start, end),
            due_on__lte=timezone.localdate(),
        )
        .exclude(outcome="completed")
        .exclude(status="cancelled")
    )
    return episodes.filter(Exists(missed))


def open_safety_flags(episodes, params, start, end):
    return episodes.filter(
        Exists(SafetyFlag.objects.filter(client=OuterRef("client"), addressed_at__isnull=True))
    )


def _admitted(episodes, start, end):
    return episodes.filter(admission_date__range=(start, end))


def not_initiated(episodes, params, start, end):
    figures = quality.initiation_and_engagement(_admitted(episodes, start, end))
    return episodes.filter(pk__in=figures["not_initiated_ids"])


def not_engaged(episodes, params, start, end):
    figures = quality.initiation_and_engagement(_admitted(episodes, start, end))
    return episodes.filter(pk__in=figures["not_engaged_ids"])


def teds_incomplete(episodes, params, start, end):
    admitted = _admitted(episodes, start, end)
    first = _month(params.get("month", ""))
    if first is not None:
        admitted = admitted.filter(admission_date__gte=first, admission_date__lt=_next_month(first))
    return episodes.filter(pk__in=quality.incomplete_episode_ids(admitted))


FIGURES = {
    "admitted": ("Admitted in the month", admitted_in_month),
    "discharged": ("Discharged in the month", discharged_in_month),
    "lost": ("Dropped out or terminated before day N (cohort)", lost_before_day),
    "reason": ("Discharged with the TEDS reason", discharge_reason),
    "stay": ("Length of stay in the bucket", length_of_stay),
    "tests": ("With an unexpected positive, invalid or refused drug test", non_negative_tests),
    "check_ins": ("With an aftercare check-in due but not completed", missed_check_ins),
    "flags": ("With an open safety flag", open_safety_flags),
    "not_initiated": ("Admitted, no treatment service within 14 days of referral", not_initiated),
    "not_engaged": ("Initiated, not engaged within 34 days (IET)", not_engaged),
    "teds_incomplete": ("Admitted with TEDS-required items missing", teds_incomplete),
}


def figure_clients(
    key: str, *, clients: QuerySet[Client], episodes: QuerySet[Episode], params, start, end
) -> QuerySet[Client]:
    """The clients whose episodes the figure `key` counts, among the episodes
    the dashboard's filters left (none for an unknown key)."""
    title_and_filter = FIGURES.get(key)
    if title_and_filter is None:
        return clients.none()
    episodes = title_and_filter[1](episodes.filter(client__in=clients), params, start, end)
    return clients.filter(pk__in=episodes.values("client")).order_by(
        "legal_last_name", "legal_first_name", "pk"
    )
