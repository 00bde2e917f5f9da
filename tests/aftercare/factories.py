"""Aftercare test data. stepped_down() makes a client admitted months ago
and stepped down through aftercare_start four weeks ago, so check-ins 1-3
are past due, number 4 is due today and the rest lie ahead."""

import datetime

from django.utils import timezone

from aftercare.models import CheckIn
from aftercare.services import aftercare_start, check_in_record
from iop.clients.models import Episode
from tests.factories import ClientFactory, EpisodeFactory

PLAN_TEXT = {
    "recovery_goals": "Stay sober through the first year; keep the warehouse job.",
    "triggers": "Payday Fridays; driving past the old bar on Lamar.",
    "warning_signs": "Skipping meetings; isolating; not sleeping.",
    "coping_steps": "Call my sponsor; go to the 7 pm NA meeting; urge surfing.",
    "people_to_call": "Sponsor Mike 555-0142; sister Ana 555-0177.",
}
# Four weeks back: weekly check-ins 1-3 are past due and number 4 is due today.
STARTED_DAYS_AGO = 28


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def intensive_episode(counselor, *, admitted_days_ago: int = 140, **client_fields) -> Episode:
    """An episode in the intensive phase, admitted `admitted_days_ago` days ago."""
    return EpisodeFactory(
        client=ClientFactory(**client_fields),
        primary_counselor=counselor,
        referral_date=days_ago(admitted_days_ago + 10),
        admission_date=days_ago(admitted_days_ago),
    )


def stepped_down(counselor, *, started_days_ago: int = STARTED_DAYS_AGO, **client_fields):
    """A client of `counselor` in aftercare since `started_days_ago`; returns the plan."""
    episode = intensive_episode(counselor, **client_fields)
    return aftercare_start(
        actor=counselor, episode=episode, plan=PLAN_TEXT, started_on=days_ago(started_days_ago)
    )


def completed(**changes) -> dict:
    """The data of a completed, low-risk check-in dated today."""
    data = {
        "contacted_on": timezone.localdate(),
        "mode": CheckIn.Mode.PHONE,
        "outcome": CheckIn.Outcome.COMPLETED,
        "days_of_use": 0,
        "mutual_help_meetings": 3,
        "employment": CheckIn.Employment.EMPLOYED,
        "housing": CheckIn.Housing.STABLE,
        "risk_level": CheckIn.Risk.LOW,
        "note": "Going to meetings; work is steady.",
        "re_engagement": "",
        "re_engagement_detail": "",
        "session_at": None,
    }
    data.update(changes)
    return data


def missed(check_in: CheckIn, **changes) -> dict:
    """A missed check-in, dated on its due day."""
    data = {"contacted_on": check_in.due_on, "mode": CheckIn.Mode.PHONE, "outcome": "missed"}
    data.update(changes)
    return data


def record(actor, check_in: CheckIn, data: dict) -> CheckIn:
    return check_in_record(actor=actor, check_in=check_in, data=data)


def numbered(plan, number: int) -> CheckIn:
    return plan.check_ins.get(number=number)
