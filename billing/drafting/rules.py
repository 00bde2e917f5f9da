"""The billing rules that turn minutes and days into codes and units: pure
functions, no database (DOMAIN.md section 13).

Sources:
- The 8-minute rule for codes billed per 15 minutes: a unit is billed once
  at least 8 minutes of it are given, so 8-22 minutes are 1 unit, 23-37 are
  2, 38-52 are 3, and under 8 minutes no unit (CMS, Medicare Claims
  Processing Manual, Pub. 100-04, chapter 5, section 20.2). Payers apply it
  to HCPCS H0004 ("behavioral health counseling and therapy, per 15
  minutes").
- Psychotherapy by time (AMA CPT, Psychiatry section; restated in CMS's
  Psychiatric Codes article A57520): 90832 for 16-37 minutes, 90834 for
  38-52, 90837 for 53 or more; under 16 minutes the service is not
  reported as psychotherapy.
- The IOP per diem (HCPCS H0015, "alcohol and/or drug services; intensive
  outpatient ... at least 3 hours/day and at least 3 days/week"): a day
  with at least `per_diem_minutes` attended minutes summed across its
  services, in a week with at least `per_diem_days_per_week` such days.
"""

from collections.abc import Iterable
from datetime import date, timedelta

UNIT_MINUTES = 15
MINIMUM_MINUTES_FOR_A_UNIT = 8

# (code, first minute, last minute or None) per CPT time band.
PSYCHOTHERAPY_BANDS = (("90832", 16, 37), ("90834", 38, 52), ("90837", 53, None))


def units_by_8_minute_rule(minutes: int) -> int:
    """Units of a per-15-minute code: 0-7 min -> 0, 8-22 -> 1, 23-37 -> 2, ..."""
    if minutes < MINIMUM_MINUTES_FOR_A_UNIT:
        return 0
    whole, rest = divmod(minutes, UNIT_MINUTES)
    return whole + (1 if rest >= MINIMUM_MINUTES_FOR_A_UNIT else 0)


def psychotherapy_code(minutes: int) -> str | None:
    """The 9083x code for a session's minutes; None under 16 minutes."""
    for code, first, last in PSYCHOTHERAPY_BANDS:
        if minutes >= first and (last is None or minutes <= last):
            return code
    return None


def week_of(day: date) -> tuple[date, date]:
    """The billing week of a day: Monday to Sunday. ISO 8601 weeks, the week
    the program's schedule and its hours-per-week view already use
    (iop.clients.services.treatment.week_start), so a week never straddles
    two calendar views of the same attendance."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def weeks_of(days: Iterable[date]) -> list[tuple[date, date]]:
    """The distinct weeks the days fall in, in order."""
    return sorted({week_of(day) for day in days})


def qualifying_days(
    minutes_by_day: dict[date, int], *, minutes_a_day: int, days_a_week: int
) -> set[date]:
    """Days that qualify for the per diem: at least `minutes_a_day` attended
    minutes, in a week (Monday-Sunday) with at least `days_a_week` such
    days. Days absent from the mapping (or excused) count zero."""
    full_days = {day for day, minutes in minutes_by_day.items() if minutes >= minutes_a_day}
    by_week: dict[date, set[date]] = {}
    for day in full_days:
        by_week.setdefault(week_of(day)[0], set()).add(day)
    return {day for days in by_week.values() if len(days) >= days_a_week for day in days}
