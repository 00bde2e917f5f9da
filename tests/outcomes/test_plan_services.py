"""The planner and its hooks (outcomes/services/plan.py): measures made due
from the plan, across phase changes, and settled by any administration."""

import datetime

import pytest
from django.utils import timezone

from iop.audit.models import AuditEvent
from outcomes.models import DueMeasure, MeasurePlanEntry
from outcomes.services import plan
from screening.models import InstrumentAdministration
from screening.services import administration_record
from tests.factories import EpisodeFactory
from tests.outcomes.shortcuts import bam, due_measure, plan_entry

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 10)


@pytest.fixture
def only(db):
    """An empty plan to fill: each test states the lines it plans with."""
    MeasurePlanEntry.objects.all().delete()

    def _only(*entries):
        return [plan_entry(**entry) for entry in entries]

    return _only


def _episode(admitted_on, **kwargs):
    return EpisodeFactory(
        admission_date=admitted_on,
        referral_date=admitted_on - datetime.timedelta(days=7),
        **kwargs,
    )


def _occasions(episode):
    return sorted(episode.due_measures.values_list("occasion", "due_on", "status"))


def test_planner_makes_admission_and_every_n_days_measures_due(only):
    only(
        {"moment": "admission", "window_days": 60},
        {"moment": "every", "every_days": 28, "window_days": 7},
    )
    episode = _episode(TODAY - datetime.timedelta(days=30))

    created = plan.due_measures_plan(today=TODAY)

    assert created == 2
    assert _occasions(episode) == [
        ("admission", TODAY - datetime.timedelta(days=30), "open"),
        ("every-28-1", TODAY - datetime.timedelta(days=2), "open"),
    ]


def test_planning_twice_makes_nothing_twice(only):
    only({"moment": "every", "every_days": 28, "window_days": 60})
    _episode(TODAY - datetime.timedelta(days=60))

    assert plan.due_measures_plan(today=TODAY) == 2
    assert plan.due_measures_plan(today=TODAY) == 0
    assert DueMeasure.objects.count() == 2


def test_a_measure_whose_window_closed_before_planning_is_never_asked(only):
    only({"moment": "admission", "window_days": 7})
    episode = _episode(TODAY - datetime.timedelta(days=8))

    plan.due_measures_plan(today=TODAY)

    assert not episode.due_measures.exists()


def test_planner_leaves_aftercare_episodes_and_inactive_lines_alone(only):
    only(
        {"moment": "admission", "window_days": 60},
        {"moment": "every", "every_days": 7, "active": False},
    )
    _episode(TODAY - datetime.timedelta(days=20), phase="aftercare")
    intensive = _episode(TODAY - datetime.timedelta(days=20))

    plan.due_measures_plan(today=TODAY)

    assert list(DueMeasure.objects.values_list("episode", "occasion")) == [
        (intensive.pk, "admission")
    ]


def test_step_down_cancels_intensive_measures_not_yet_due_and_plans_aftercare(only):
    only(
        {"moment": "every", "every_days": 28, "window_days": 7},
        {"moment": "step_down"},
        {"moment": "aftercare", "aftercare_month": 3},
        {"moment": "aftercare", "aftercare_month": 6},
    )
    episode = _episode(datetime.date(2025, 5, 1))
    entry = MeasurePlanEntry.objects.get(moment="every")
    later = due_measure(
        episode.client, due_on=datetime.date(2025, 9, 1), plan_entry=entry, occasion="every-28-4"
    )
    earlier = due_measure(
        episode.client, due_on=datetime.date(2025, 8, 20), plan_entry=entry, occasion="every-28-3"
    )

    plan.due_measures_on_step_down(
        actor=None, episode=episode, started_on=datetime.date(2025, 8, 31)
    )

    later.refresh_from_db()
    earlier.refresh_from_db()
    assert later.status == DueMeasure.Status.CANCELLED
    assert earlier.status == DueMeasure.Status.OPEN
    planned = dict(episode.due_measures.filter(status="open").values_list("occasion", "due_on"))
    assert planned["step_down"] == datetime.date(2025, 8, 31)
    # 31 August + 3 months is 30 November; + 6 months, 28 February.
    assert planned["aftercare-3"] == datetime.date(2025, 11, 30)
    assert planned["aftercare-6"] == datetime.date(2026, 2, 28)


def test_discharge_cancels_what_is_open_and_makes_the_discharge_measures_due(only):
    only({"moment": "discharge", "instrument": "PHQ-9"})
    episode = _episode(datetime.date(2025, 1, 1))
    still_open = due_measure(episode.client, due_on=datetime.date(2025, 3, 1))

    plan.due_measures_on_discharge(
        actor=None, episode=episode, discharge_date=datetime.date(2025, 3, 5)
    )

    still_open.refresh_from_db()
    assert still_open.status == DueMeasure.Status.CANCELLED
    assert episode.due_measures.get(occasion="discharge").due_on == datetime.date(2025, 3, 5)


@pytest.mark.parametrize("source", ["staff", "link", "kiosk", "phone"])
def test_settle_completes_a_measure_from_any_source(counselor1, source):
    episode = EpisodeFactory(primary_counselor=counselor1)
    today = timezone.localdate()
    due = due_measure(episode.client, due_on=today - datetime.timedelta(days=1))
    administration = administration_record(
        actor=None if source == "link" else counselor1,
        client=episode.client,
        code="BAM",
        answers=bam(),
        source=source,
    )

    result = plan.due_measures_settle(today=today)

    due.refresh_from_db()
    assert result["completed"] == 1
    assert due.status == DueMeasure.Status.COMPLETED
    assert due.administration == administration


def test_settle_counts_an_answer_a_few_days_early_but_not_another_instrument(counselor1):
    episode = EpisodeFactory(primary_counselor=counselor1)
    today = timezone.localdate()
    early = due_measure(episode.client, due_on=today + datetime.timedelta(days=plan.EARLY_DAYS))
    other = due_measure(episode.client, instrument="GAD-7", due_on=today)
    administration_record(actor=counselor1, client=episode.client, code="BAM", answers=bam())

    plan.due_measures_settle(today=today)

    early.refresh_from_db()
    other.refresh_from_db()
    assert early.status == DueMeasure.Status.COMPLETED
    assert other.status == DueMeasure.Status.OPEN


def test_settle_marks_a_measure_whose_window_closed_unanswered_missed(counselor1):
    episode = EpisodeFactory(primary_counselor=counselor1)
    today = timezone.localdate()
    closed = due_measure(
        episode.client,
        due_on=today - datetime.timedelta(days=10),
        closes_on=today - datetime.timedelta(days=1),
    )
    still = due_measure(episode.client, instrument="PHQ-9", due_on=today)

    assert plan.due_measures_settle(today=today) == {"completed": 0, "missed": 1}
    closed.refresh_from_db()
    still.refresh_from_db()
    assert closed.status == DueMeasure.Status.MISSED
    assert still.status == DueMeasure.Status.OPEN


def test_open_due_measures_leave_out_one_already_answered_before_settling(counselor1):
    episode = EpisodeFactory(primary_counselor=counselor1)
    today = timezone.localdate()
    answered = due_measure(episode.client, instrument="BAM")
    waiting = due_measure(episode.client, instrument="PHQ-9")
    InstrumentAdministration.objects.all().delete()
    administration_record(actor=counselor1, client=episode.client, code="BAM", answers=bam())

    assert list(plan.open_due_measures(on=today)) == [waiting]
    assert answered.status == DueMeasure.Status.OPEN


def test_a_requested_measure_is_due_today_once_a_day_and_audited(counselor1):
    episode = EpisodeFactory(primary_counselor=counselor1)

    first = plan.due_measure_request(
        actor=counselor1, episode=episode, instrument="PHQ-9", method="kiosk"
    )
    again = plan.due_measure_request(
        actor=counselor1, episode=episode, instrument="PHQ-9", method="link"
    )

    assert first == again
    assert first.due_on == timezone.localdate()
    assert first.closes_on == first.due_on + datetime.timedelta(days=plan.REQUEST_WINDOW_DAYS)
    events = AuditEvent.objects.filter(object_type="outcomes.duemeasure", client=episode.client)
    assert events.count() == 1
