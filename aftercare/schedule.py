"""The aftercare check-in schedule (DOMAIN.md section 7): by default weekly in
month 1, every two weeks in months 2-3, monthly in months 4-12. A program
setting (AFTERCARE_SCHEDULE) can replace it."""

from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

PLAN_MONTHS = 12


def check_in_dates(start: date) -> list[date]:
    """Due dates for a plan starting on `start`.

    Each rule (from_month, to_month, step) places check-ins every `step`
    ("1w", "2w" or "1m") after the start of month `from_month` and before
    the start of `to_month`; monthly steps keep the day of the month and
    fall back to the month's last day (31 January -> 28 February).
    """
    dates: list[date] = []
    for from_month, to_month, step in settings.AFTERCARE_SCHEDULE:
        period_start = start + relativedelta(months=from_month)
        period_end = start + relativedelta(months=to_month)
        if step.endswith("w"):
            interval = timedelta(weeks=int(step[:-1]))
            due = period_start + interval
            while due <= period_end:
                dates.append(due)
                due += interval
        else:
            months = int(step[:-1])
            count = 1
            due = start + relativedelta(months=from_month + months)
            while due <= period_end:
                dates.append(due)
                count += 1
                due = start + relativedelta(months=from_month + months * count)
    return sorted(set(dates))


def check_in_time(day: date) -> datetime:
    """The check-in's appointment time, on the program's clock (DST-safe)."""
    return timezone.make_aware(datetime.combine(day, time(settings.AFTERCARE_CHECKIN_HOUR)))


def plan_end(start: date) -> date:
    return start + relativedelta(months=PLAN_MONTHS)
