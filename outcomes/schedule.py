"""When the measurement plan makes a measure due: pure date arithmetic on
an episode's milestones, so it can be tested across month ends and phase
changes without a database.

Rules (the plan's moments):
- admission: due on the admission date;
- every N days: due on admission + N, + 2N ... while the episode is in the
  intensive phase (an occasion on or after the step-down or discharge date
  never comes);
- step-down: due on the first day of aftercare;
- discharge: due on the discharge date;
- aftercare month N: due N calendar months after the first day of aftercare
  (a day the month lacks falls on its last day: 31 January + 1 month is
  28 or 29 February), while the episode is not discharged before then.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Milestones:
    admitted_on: date | None
    stepped_down_on: date | None = None
    discharged_on: date | None = None


@dataclass(frozen=True)
class Occasion:
    key: str
    due_on: date


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the month's end."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def occasions(
    moment: str,
    milestones: Milestones,
    *,
    through: date,
    every_days: int | None = None,
    aftercare_month: int | None = None,
) -> list[Occasion]:
    """The occasions of one plan entry for one episode, due on or before
    `through` (planning looks a little ahead; nothing far in the future)."""
    admitted = milestones.admitted_on
    if admitted is None:
        return []
    found: list[Occasion] = []
    if moment == "admission":
        found.append(Occasion("admission", admitted))
    elif moment == "every":
        if not every_days or every_days <= 0:
            raise ValueError("an 'every' entry needs a positive interval")
        # The intensive phase ends at step-down or discharge, whichever first.
        ends = min(
            (d for d in (milestones.stepped_down_on, milestones.discharged_on) if d),
            default=None,
        )
        number = 1
        while (due := admitted + timedelta(days=every_days * number)) <= through:
            if ends is not None and due >= ends:
                break
            found.append(Occasion(f"every-{every_days}-{number}", due))
            number += 1
    elif moment == "step_down":
        if milestones.stepped_down_on:
            found.append(Occasion("step_down", milestones.stepped_down_on))
    elif moment == "discharge":
        if milestones.discharged_on:
            found.append(Occasion("discharge", milestones.discharged_on))
    elif moment == "aftercare":
        if not aftercare_month:
            raise ValueError("an 'aftercare' entry needs its month")
        if milestones.stepped_down_on:
            due = add_months(milestones.stepped_down_on, aftercare_month)
            if milestones.discharged_on is None or due <= milestones.discharged_on:
                found.append(Occasion(f"aftercare-{aftercare_month}", due))
    else:
        raise ValueError(f"unknown moment {moment!r}")
    return [occasion for occasion in found if occasion.due_on <= through]
