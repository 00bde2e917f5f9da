"""The program's outcome measures (DOMAIN.md section 9), each checked
exactly against a small cohort computed by hand, and each shown to make a
fixed number of queries whatever the amount of data."""

import datetime
from datetime import date, timedelta

import pytest
from django.utils import timezone

from aftercare.models import AftercarePlan, CheckIn
from groups.models import Attendance, GroupSession
from iop.accounts import roles
from iop.clients.models import (
    Appointment,
    DrugTest,
    DrugTestResult,
    Episode,
    SessionNote,
    Substance,
)
from iop.dashboard import measures
from tests.factories import ClientFactory, EpisodeFactory, UserFactory
from tests.groups.factories import (
    AttendanceFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
    track,
)

pytestmark = pytest.mark.django_db

# Measures that look back from "today" are given this day, so the cohorts
# below are the same on whatever day the suite runs.
TODAY = date(2025, 6, 30)
R = Episode.DischargeReason


def admitted(on: date, *, stay: int | None = None, reason=None, wait: int = 0, **fields):
    """An episode admitted `on` after `wait` days since referral, discharged
    `stay` days after admission for `reason` (still open when `stay` is None)."""
    return EpisodeFactory(
        referral_date=on - timedelta(days=wait),
        admission_date=on,
        discharge_date=None if stay is None else on + timedelta(days=stay),
        discharge_reason=reason,
        phase=Episode.Phase.INTENSIVE if stay is None else Episode.Phase.DISCHARGED,
        **fields,
    )


def retention_30():
    return measures.retention(Episode.objects.all(), days=30, today=TODAY)


# --- admissions and discharges by month ---------------------------------------------------


def test_months_count_admissions_and_discharges_and_show_empty_months_as_zero():
    admitted(date(2025, 1, 5), stay=60, reason=R.COMPLETED)
    admitted(date(2025, 1, 31))
    admitted(date(2025, 3, 1))

    months = measures.admissions_and_discharges_by_month(
        Episode.objects.all(), start=date(2025, 1, 1), end=date(2025, 4, 30)
    )

    assert months == [
        {"month": date(2025, 1, 1), "admissions": 2, "discharges": 0},
        {"month": date(2025, 2, 1), "admissions": 0, "discharges": 0},
        {"month": date(2025, 3, 1), "admissions": 1, "discharges": 1},
        {"month": date(2025, 4, 1), "admissions": 0, "discharges": 0},
    ]


def test_months_leave_out_admissions_and_discharges_outside_the_period():
    admitted(date(2024, 12, 31), stay=1, reason=R.COMPLETED)
    admitted(date(2025, 2, 28), stay=1, reason=R.COMPLETED)

    months = measures.admissions_and_discharges_by_month(
        Episode.objects.all(), start=date(2025, 1, 1), end=date(2025, 2, 28)
    )

    assert months == [
        {"month": date(2025, 1, 1), "admissions": 0, "discharges": 1},
        {"month": date(2025, 2, 1), "admissions": 1, "discharges": 0},
    ]


def test_months_run_across_the_turn_of_the_year():
    months = measures.admissions_and_discharges_by_month(
        Episode.objects.all(), start=date(2024, 11, 15), end=date(2025, 2, 3)
    )

    assert [row["month"] for row in months] == [
        date(2024, 11, 1),
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]
    assert {(row["admissions"], row["discharges"]) for row in months} == {(0, 0)}


def test_months_do_not_count_episodes_never_admitted():
    EpisodeFactory(
        referral_date=date(2025, 1, 10),
        admission_date=None,
        phase=Episode.Phase.SCREENING,
        level_of_care="",
    )

    months = measures.admissions_and_discharges_by_month(
        Episode.objects.all(), start=date(2025, 1, 1), end=date(2025, 1, 31)
    )

    assert months == [{"month": date(2025, 1, 1), "admissions": 0, "discharges": 0}]


# --- attendance rate ------------------------------------------------------------------------


def _attendance(session, *statuses):
    for status in statuses:
        AttendanceFactory(session=session, status=status)


def test_attendance_rate_leaves_excused_absences_out():
    session = GroupSessionFactory(group=RecurringGroupFactory(track=track("rp")))
    _attendance(session, *["present"] * 3, "late", "absent", *["excused"] * 5)

    rows = measures.attendance_rate(Attendance.objects.all(), by="session__group__track__name")

    assert rows == [{"key": "Relapse Prevention", "attended": 4, "absent": 1, "rate": 80.0}]


def test_attendance_rate_is_grouped_by_track():
    _attendance(
        GroupSessionFactory(group=RecurringGroupFactory(track=track("rp"))),
        "present",
        "absent",
        "absent",
    )
    _attendance(
        GroupSessionFactory(group=RecurringGroupFactory(track=track("ers"))),
        "late",
        "present",
        "present",
        "present",
        "excused",
    )

    rows = measures.attendance_rate(Attendance.objects.all(), by="session__group__track__name")

    assert rows == [
        {"key": "Early Recovery Skills", "attended": 4, "absent": 0, "rate": 100.0},
        {"key": "Relapse Prevention", "attended": 1, "absent": 2, "rate": 33.3},
    ]


def test_attendance_rate_is_grouped_by_facilitator():
    adams = UserFactory(username="adams", last_name="Adams", roles=[roles.COUNSELOR])
    baker = UserFactory(username="baker", last_name="Baker", roles=[roles.COUNSELOR])
    # Two groups of Baker's in different tracks make one row.
    _attendance(
        GroupSessionFactory(group=RecurringGroupFactory(facilitator=baker, track=track("rp"))),
        "present",
        "absent",
    )
    _attendance(
        GroupSessionFactory(group=RecurringGroupFactory(facilitator=baker, track=track("ers"))),
        "present",
        "late",
    )
    _attendance(
        GroupSessionFactory(group=RecurringGroupFactory(facilitator=adams)),
        "absent",
        "excused",
    )

    rows = measures.attendance_rate(
        Attendance.objects.all(), by="session__group__facilitator__last_name"
    )

    assert rows == [
        {"key": "Adams", "attended": 0, "absent": 1, "rate": 0.0},
        {"key": "Baker", "attended": 3, "absent": 1, "rate": 75.0},
    ]


def test_attendance_rate_is_none_where_everyone_was_excused():
    _attendance(GroupSessionFactory(group=RecurringGroupFactory(track=track("rp"))), "excused")

    rows = measures.attendance_rate(Attendance.objects.all(), by="session__group__track__name")

    assert rows == [{"key": "Relapse Prevention", "attended": 0, "absent": 0, "rate": None}]


# --- retention at 30 / 60 / 90 days ---------------------------------------------------------


def test_drop_out_discharged_on_day_29_is_lost_at_30_days():
    admitted(date(2025, 3, 3), stay=29, reason=R.LEFT_AGAINST_ADVICE)

    assert retention_30() == [
        {"cohort": date(2025, 3, 1), "admitted": 1, "retained": 0, "rate": 0.0}
    ]


def test_drop_out_discharged_on_day_30_is_retained_at_30_days():
    admitted(date(2025, 3, 3), stay=30, reason=R.LEFT_AGAINST_ADVICE)

    assert retention_30() == [
        {"cohort": date(2025, 3, 1), "admitted": 1, "retained": 1, "rate": 100.0}
    ]


def test_terminated_before_day_30_is_lost():
    admitted(date(2025, 3, 3), stay=10, reason=R.TERMINATED)

    assert retention_30()[0]["retained"] == 0


@pytest.mark.parametrize(
    "reason", [R.COMPLETED, R.TRANSFERRED, R.INCARCERATED, R.DEATH, R.OTHER], ids=str
)
def test_discharge_before_day_30_for_other_reasons_is_retained(reason):
    admitted(date(2025, 3, 3), stay=10, reason=reason)

    assert retention_30()[0]["retained"] == 1


def test_open_episode_is_retained():
    admitted(date(2025, 3, 3))

    assert retention_30()[0]["rate"] == 100.0


def test_admission_younger_than_n_days_is_not_eligible():
    admitted(TODAY - timedelta(days=29))

    assert retention_30() == []


def test_admission_exactly_n_days_old_is_eligible():
    admitted(TODAY - timedelta(days=30), stay=0, reason=R.TERMINATED)

    assert retention_30() == [
        {"cohort": date(2025, 5, 1), "admitted": 1, "retained": 0, "rate": 0.0}
    ]


def test_drop_out_on_day_45_is_retained_at_30_but_lost_at_60_and_90():
    admitted(date(2025, 1, 10), stay=45, reason=R.LEFT_AGAINST_ADVICE)

    rates = {
        days: measures.retention(Episode.objects.all(), days=days, today=TODAY)[0]["rate"]
        for days in (30, 60, 90)
    }

    assert rates == {30: 100.0, 60: 0.0, 90: 0.0}


def test_retention_cohorts_are_admission_months():
    admitted(date(2025, 1, 2), stay=5, reason=R.LEFT_AGAINST_ADVICE)
    admitted(date(2025, 1, 20))
    admitted(date(2025, 1, 31), stay=40, reason=R.COMPLETED)
    admitted(date(2025, 3, 1), stay=2, reason=R.TERMINATED)
    admitted(date(2025, 3, 15))

    assert retention_30() == [
        {"cohort": date(2025, 1, 1), "admitted": 3, "retained": 2, "rate": 66.7},
        {"cohort": date(2025, 3, 1), "admitted": 2, "retained": 1, "rate": 50.0},
    ]


def test_readmitted_client_counts_as_two_admissions():
    person = ClientFactory()
    admitted(date(2025, 2, 3), stay=12, reason=R.LEFT_AGAINST_ADVICE, client=person)
    admitted(date(2025, 2, 20), client=person)

    assert retention_30() == [
        {"cohort": date(2025, 2, 1), "admitted": 2, "retained": 1, "rate": 50.0}
    ]


def test_retention_leaves_out_episodes_never_admitted():
    EpisodeFactory(
        referral_date=date(2025, 1, 10),
        admission_date=None,
        phase=Episode.Phase.SCREENING,
        level_of_care="",
    )

    assert retention_30() == []


# --- discharge outcomes ---------------------------------------------------------------------


def _discharge(*reasons):
    for reason in reasons:
        admitted(date(2025, 1, 6), stay=30, reason=reason)


def test_completion_rate_is_completed_of_all_discharges():
    _discharge(R.COMPLETED, R.COMPLETED, R.LEFT_AGAINST_ADVICE, R.TERMINATED, R.TRANSFERRED)
    admitted(date(2025, 1, 6))  # still open: not a discharge

    outcomes = measures.discharge_outcomes(Episode.objects.all())

    assert (outcomes.discharges, outcomes.completed, outcomes.completion_rate) == (5, 2, 40.0)


def test_discharge_reasons_are_listed_by_teds_code():
    _discharge(R.COMPLETED, R.COMPLETED, R.LEFT_AGAINST_ADVICE, R.DEATH)

    outcomes = measures.discharge_outcomes(Episode.objects.all())

    assert [(row["code"], row["count"], row["share"]) for row in outcomes.by_reason] == [
        (1, 2, 50.0),
        (2, 1, 25.0),
        (3, 0, 0.0),
        (4, 0, 0.0),
        (5, 0, 0.0),
        (6, 1, 25.0),
        (7, 0, 0.0),
    ]
    assert outcomes.by_reason[0]["label"] == "Treatment completed"


def test_incarceration_death_and_other_are_grouped_as_other():
    _discharge(
        R.COMPLETED,
        R.COMPLETED,
        R.TRANSFERRED,
        R.LEFT_AGAINST_ADVICE,
        R.TERMINATED,
        R.INCARCERATED,
        R.DEATH,
        R.OTHER,
    )

    outcomes = measures.discharge_outcomes(Episode.objects.all())

    assert outcomes.by_group == {
        "completed": 25.0,
        "transferred": 12.5,
        "dropped_out": 12.5,
        "terminated": 12.5,
        "other": 37.5,
    }


def test_outcome_groups_match_the_teds_2004_benchmark():
    assert measures.TEDS_2004_IOP_OUTCOMES == {
        "completed": 38,
        "transferred": 18,
        "dropped_out": 23,
        "terminated": 14,
        "other": 7,
    }
    assert sum(measures.TEDS_2004_IOP_OUTCOMES.values()) == 100
    assert set(measures.REASON_GROUP) == set(R)
    assert set(measures.REASON_GROUP.values()) == set(measures.TEDS_2004_IOP_OUTCOMES)


def test_outcomes_without_discharges_have_no_rates():
    admitted(date(2025, 1, 6))

    outcomes = measures.discharge_outcomes(Episode.objects.all())

    assert (outcomes.discharges, outcomes.completed, outcomes.completion_rate) == (0, 0, None)
    assert set(outcomes.by_group.values()) == {None}


# --- length of stay -------------------------------------------------------------------------


def test_length_of_stay_medians_for_completers_and_others():
    for days in (40, 50, 60):
        admitted(date(2025, 1, 6), stay=days, reason=R.COMPLETED)
    admitted(date(2025, 1, 6), stay=10, reason=R.LEFT_AGAINST_ADVICE)
    admitted(date(2025, 1, 6), stay=20, reason=R.TRANSFERRED)
    admitted(date(2025, 1, 6))  # open: no length of stay yet

    stay = measures.length_of_stay(Episode.objects.all())

    assert (stay["median_completed"], stay["completed_n"]) == (50.0, 3)
    assert (stay["median_other"], stay["other_n"]) == (15.0, 2)


def test_length_of_stay_median_of_an_even_count_is_the_midpoint():
    for days in (41, 50):
        admitted(date(2025, 1, 6), stay=days, reason=R.COMPLETED)

    assert measures.length_of_stay(Episode.objects.all())["median_completed"] == 45.5


def test_length_of_stay_buckets_split_at_30_and_31_days():
    for days in (0, 30, 31, 60, 61, 90, 91, 120, 121, 400):
        admitted(date(2024, 1, 8), stay=days, reason=R.COMPLETED)
    admitted(date(2024, 1, 8), stay=31, reason=R.TERMINATED)

    distribution = measures.length_of_stay(Episode.objects.all())["distribution"]

    assert distribution == [
        {"low": 0, "high": 30, "count": 2},
        {"low": 31, "high": 60, "count": 3},
        {"low": 61, "high": 90, "count": 2},
        {"low": 91, "high": 120, "count": 2},
        {"low": 121, "high": None, "count": 2},
    ]


def test_length_of_stay_without_discharges_is_empty():
    admitted(date(2025, 1, 6))

    stay = measures.length_of_stay(Episode.objects.all())

    assert (stay["median_completed"], stay["median_other"]) == (None, None)
    assert (stay["completed_n"], stay["other_n"]) == (0, 0)
    assert {bucket["count"] for bucket in stay["distribution"]} == {0}


# --- drug tests -----------------------------------------------------------------------------


def _drug_test(*results, collected_on=date(2025, 3, 3)):
    """A urine test with one result per (substance, result, expected)."""
    test = DrugTest.objects.create(
        client=ClientFactory(),
        collected_on=collected_on,
        specimen=DrugTest.Specimen.URINE,
        recorded_by=UserFactory(username="tech", roles=[roles.COUNSELOR]),
    )
    DrugTestResult.objects.bulk_create(
        DrugTestResult(test=test, substance=substance, result=result, expected=expected)
        for substance, result, expected in results
    )
    return test


NEGATIVE_PANEL = [
    (Substance.COCAINE, "negative", False),
    (Substance.OPIATES, "negative", False),
    (Substance.FENTANYL, "negative", False),
]


@pytest.mark.parametrize(
    ("extra", "negative"),
    [
        ([], True),
        ([(Substance.BUPRENORPHINE, "positive", True)], True),
        ([(Substance.CANNABIS, "positive", False)], False),
        ([(Substance.CANNABIS, "invalid", False)], False),
        ([(Substance.CANNABIS, "refused", False)], False),
    ],
    ids=["only-negatives", "expected-positive", "unexpected-positive", "invalid", "refused"],
)
def test_drug_test_is_negative_only_without_unexpected_positive_invalid_or_refusal(extra, negative):
    _drug_test(*NEGATIVE_PANEL, *extra)

    share = measures.drug_test_negative_share(DrugTest.objects.all())

    assert share == {"total": 1, "negative": int(negative), "rate": 100.0 if negative else 0.0}


def test_drug_test_negative_share_is_exact():
    _drug_test(*NEGATIVE_PANEL)
    _drug_test(*NEGATIVE_PANEL, (Substance.BUPRENORPHINE, "positive", True))
    _drug_test(*NEGATIVE_PANEL, (Substance.METHAMPHETAMINE, "positive", False))
    _drug_test((Substance.BREATH_ALCOHOL, "invalid", False))
    _drug_test((Substance.COCAINE, "refused", False))
    _drug_test(*NEGATIVE_PANEL)

    share = measures.drug_test_negative_share(DrugTest.objects.all())

    assert share == {"total": 6, "negative": 3, "rate": 50.0}


def test_drug_test_with_an_expected_and_an_unexpected_positive_is_not_negative():
    _drug_test(
        (Substance.BUPRENORPHINE, "positive", True),
        (Substance.FENTANYL, "positive", False),
    )

    assert measures.drug_test_negative_share(DrugTest.objects.all())["negative"] == 0


def test_drug_test_share_without_tests_is_none():
    assert measures.drug_test_negative_share(DrugTest.objects.all()) == {
        "total": 0,
        "negative": 0,
        "rate": None,
    }


# --- referral to admission ------------------------------------------------------------------


def test_referral_to_admission_median_and_mean():
    for wait in (3, 7, 8, 20):
        admitted(date(2025, 2, 24), wait=wait)

    assert measures.referral_to_admission(Episode.objects.all()) == {
        "median": 7.5,
        "mean": 9.5,
        "n": 4,
    }


def test_referral_to_admission_mean_is_rounded_to_one_decimal():
    for wait in (0, 1, 1):
        admitted(date(2025, 2, 24), wait=wait)

    assert measures.referral_to_admission(Episode.objects.all()) == {
        "median": 1.0,
        "mean": 0.7,
        "n": 3,
    }


def test_referral_to_admission_leaves_out_clients_not_yet_admitted():
    admitted(date(2025, 2, 24), wait=4)
    EpisodeFactory(
        referral_date=date(2025, 1, 1),
        admission_date=None,
        phase=Episode.Phase.SCREENING,
        level_of_care="",
    )

    assert measures.referral_to_admission(Episode.objects.all()) == {
        "median": 4.0,
        "mean": 4.0,
        "n": 1,
    }


def test_referral_to_admission_without_admissions_is_none():
    assert measures.referral_to_admission(Episode.objects.all()) == {
        "median": None,
        "mean": None,
        "n": 0,
    }


# --- aftercare ------------------------------------------------------------------------------


def _plan(started_on: date, *, stay: int | None = None, reason=None) -> AftercarePlan:
    """An aftercare plan started `started_on`; its episode was admitted 90
    days before and discharged `stay` days after the plan started."""
    episode = admitted(started_on - timedelta(days=90))
    if stay is not None:
        Episode.objects.filter(pk=episode.pk).update(
            phase=Episode.Phase.DISCHARGED,
            discharge_date=started_on + timedelta(days=stay),
            discharge_reason=reason,
        )
    else:
        Episode.objects.filter(pk=episode.pk).update(phase=Episode.Phase.AFTERCARE)
    return AftercarePlan.objects.create(
        episode=episode,
        client=episode.client,
        started_on=started_on,
        ends_on=started_on + timedelta(days=365),
        recovery_goals="g",
        triggers="t",
        warning_signs="w",
        coping_steps="c",
        people_to_call="p",
        created_by=UserFactory(username="planner", roles=[roles.COUNSELOR]),
    )


def _check_in(plan, number, due_on, *, status="scheduled", outcome=""):
    return CheckIn.objects.create(
        plan=plan,
        client=plan.client,
        number=number,
        due_on=due_on,
        scheduled_at=timezone.make_aware(datetime.datetime.combine(due_on, datetime.time(10))),
        status=status,
        outcome=outcome,
    )


def test_aftercare_check_ins_completed_of_due():
    plan = _plan(date(2025, 5, 1))
    due = [
        ("recorded", "completed"),
        ("recorded", "completed"),
        ("recorded", "missed"),
        ("recorded", "unable_to_reach"),
        ("scheduled", ""),  # due and not recorded yet: due, not completed
    ]
    for number, (status, outcome) in enumerate(due, start=1):
        _check_in(
            plan, number, date(2025, 5, 1) + timedelta(weeks=number), status=status, outcome=outcome
        )
    _check_in(plan, 6, TODAY, status="recorded", outcome="completed")  # due today counts
    _check_in(plan, 7, date(2025, 6, 20), status="cancelled")
    _check_in(plan, 8, TODAY + timedelta(days=1))
    _check_in(plan, 9, TODAY + timedelta(days=14))

    result = measures.aftercare_check_ins(CheckIn.objects.all(), today=TODAY)

    assert result == {"due": 6, "completed": 3, "rate": 50.0}


def test_aftercare_check_ins_without_any_due_have_no_rate():
    _check_in(_plan(date(2025, 6, 1)), 1, TODAY + timedelta(days=3))

    assert measures.aftercare_check_ins(CheckIn.objects.all(), today=TODAY) == {
        "due": 0,
        "completed": 0,
        "rate": None,
    }


def test_aftercare_retention_at_12_months():
    year_ago = TODAY - timedelta(days=365)
    _plan(year_ago, stay=300, reason=R.COMPLETED)  # retained
    _plan(year_ago - timedelta(days=35), stay=200, reason=R.LEFT_AGAINST_ADVICE)  # lost
    _plan(year_ago - timedelta(days=100), stay=364, reason=R.TERMINATED)  # lost on day 364
    _plan(year_ago - timedelta(days=100), stay=365, reason=R.LEFT_AGAINST_ADVICE)  # after a year
    _plan(year_ago - timedelta(days=10), stay=100, reason=R.TRANSFERRED)  # retained
    _plan(year_ago - timedelta(days=10))  # still in aftercare: retained

    result = measures.aftercare_retention(AftercarePlan.objects.all(), today=TODAY)

    assert result == {"started": 6, "retained": 4, "rate": 66.7}


def test_aftercare_plans_younger_than_a_year_are_not_eligible():
    _plan(TODAY - timedelta(days=364), stay=10, reason=R.LEFT_AGAINST_ADVICE)
    _plan(TODAY - timedelta(days=364))

    assert measures.aftercare_retention(AftercarePlan.objects.all(), today=TODAY) == {
        "started": 0,
        "retained": 0,
        "rate": None,
    }


# --- unsigned notes older than 72 hours ------------------------------------------------------


NOW = datetime.datetime(2025, 6, 30, 16, 0, tzinfo=datetime.UTC)


def _session_note(author, *, hours_ago: float, signed: bool = False):
    episode = EpisodeFactory(primary_counselor=author)
    appointment = Appointment.objects.create(
        client=episode.client,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=NOW - timedelta(hours=hours_ago),
        counselor=author,
    )
    return SessionNote.objects.create(
        appointment=appointment,
        author=author,
        signed_at=NOW - timedelta(hours=1) if signed else None,
        signed_by=author if signed else None,
    )


def _group_session(facilitator, *, hours_ago: float, attendance: int = 1, **fields):
    session = GroupSessionFactory(
        group=RecurringGroupFactory(facilitator=facilitator),
        starts_at=NOW - timedelta(hours=hours_ago),
        **fields,
    )
    for _ in range(attendance):
        AttendanceFactory(session=session)
    return session


def unsigned():
    return measures.unsigned_notes_older_than(
        SessionNote.objects.all(), GroupSession.objects.all(), now=NOW
    )


def test_unsigned_session_notes_are_counted_per_author(counselor1, counselor2):
    _session_note(counselor1, hours_ago=73)
    _session_note(counselor1, hours_ago=200)
    _session_note(counselor2, hours_ago=100)

    assert unsigned() == [
        {
            "counselor_id": counselor1.pk,
            "name": f"{counselor1.first_name} {counselor1.last_name}",
            "count": 2,
        },
        {
            "counselor_id": counselor2.pk,
            "name": f"{counselor2.first_name} {counselor2.last_name}",
            "count": 1,
        },
    ]


def test_session_note_at_71_hours_is_not_counted(counselor1):
    _session_note(counselor1, hours_ago=71)

    assert unsigned() == []


def test_signed_session_note_is_not_counted(counselor1):
    _session_note(counselor1, hours_ago=100, signed=True)

    assert unsigned() == []


def test_unsigned_group_sessions_with_attendance_are_counted_per_facilitator(counselor2):
    _group_session(counselor2, hours_ago=80, attendance=3)  # one note, three clients
    _group_session(counselor2, hours_ago=240)

    assert unsigned() == [
        {
            "counselor_id": counselor2.pk,
            "name": f"{counselor2.first_name} {counselor2.last_name}",
            "count": 2,
        }
    ]


def test_group_sessions_not_due_for_a_note_are_not_counted(counselor2):
    _group_session(counselor2, hours_ago=71)
    _group_session(counselor2, hours_ago=100, attendance=0)
    _group_session(counselor2, hours_ago=101, status=GroupSession.Status.CANCELLED)
    _group_session(counselor2, hours_ago=102, signed_at=NOW - timedelta(hours=90))

    assert unsigned() == []


def test_session_and_group_notes_of_one_counselor_add_up(counselor1):
    _session_note(counselor1, hours_ago=73)
    _group_session(counselor1, hours_ago=73)

    assert [(row["counselor_id"], row["count"]) for row in unsigned()] == [(counselor1.pk, 2)]


# --- a fixed number of queries whatever the data -------------------------------------------


def _data(size: int):
    """`size` of everything every measure reads."""
    counselor = UserFactory(username="scale", roles=[roles.COUNSELOR])
    group = RecurringGroupFactory(facilitator=counselor, track=track("rp"))
    reasons = list(R)
    for number in range(size):
        day = date(2025, 1, 6) + timedelta(days=number)
        admitted(day, wait=number % 5)
        admitted(day, stay=number * 7, reason=reasons[number % len(reasons)], wait=2)
        session = GroupSessionFactory(group=group, starts_at=NOW - timedelta(hours=80 + number))
        _attendance(session, "present", "absent", "excused")
        _drug_test(*NEGATIVE_PANEL, collected_on=day)
        _drug_test((Substance.COCAINE, "positive", False), collected_on=day)
        plan = _plan(TODAY - timedelta(days=400 - number), stay=number * 20, reason=R.TERMINATED)
        _check_in(plan, 1, TODAY - timedelta(days=3), status="recorded", outcome="completed")
        _check_in(plan, 2, TODAY - timedelta(days=1))
        _session_note(counselor, hours_ago=90 + number)


MEASURES = {
    "admissions_and_discharges_by_month": (
        2,
        lambda: measures.admissions_and_discharges_by_month(
            Episode.objects.all(), start=date(2025, 1, 1), end=date(2025, 6, 30)
        ),
    ),
    "attendance_rate": (
        1,
        lambda: measures.attendance_rate(
            Attendance.objects.all(), by="session__group__track__name"
        ),
    ),
    "retention": (1, lambda: measures.retention(Episode.objects.all(), days=30, today=TODAY)),
    "discharge_outcomes": (1, lambda: measures.discharge_outcomes(Episode.objects.all())),
    "length_of_stay": (1, lambda: measures.length_of_stay(Episode.objects.all())),
    "drug_test_negative_share": (
        1,
        lambda: measures.drug_test_negative_share(DrugTest.objects.all()),
    ),
    "referral_to_admission": (1, lambda: measures.referral_to_admission(Episode.objects.all())),
    "aftercare_check_ins": (
        1,
        lambda: measures.aftercare_check_ins(CheckIn.objects.all(), today=TODAY),
    ),
    "aftercare_retention": (
        1,
        lambda: measures.aftercare_retention(AftercarePlan.objects.all(), today=TODAY),
    ),
    "unsigned_notes_older_than": (2, unsigned),
}


@pytest.mark.parametrize("name", list(MEASURES))
def test_measure_makes_the_same_number_of_queries_with_ten_times_the_data(
    name, django_assert_num_queries
):
    queries, measure = MEASURES[name]
    _data(1)
    with django_assert_num_queries(queries):
        small = measure()

    _data(9)
    with django_assert_num_queries(queries):
        large = measure()

    assert small != large
