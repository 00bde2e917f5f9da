"""Initiation and engagement (modelled on HEDIS IET), diagnoses by class and
TEDS data quality on the program dashboard: against hand-computed cohorts
(the edge days 14 and 34 count, 15 and 35 do not), the drill-downs, the CSV,
the access and the query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from iop.clients.models import Appointment, Client, Diagnosis, Episode, Medication
from iop.dashboard import program, quality
from iop.dashboard.summary import summary_refresh
from tests.exports import only_file
from tests.factories import EpisodeFactory, answered_demographics
from tests.groups.factories import AttendanceFactory, GroupSessionFactory

TODAY = timezone.localdate()
REFERRED = TODAY - datetime.timedelta(days=80)
URL = reverse("dashboard:program")
CLIENTS_URL = reverse("dashboard:program-clients")


MORNING = datetime.time(10, 0)


def _at(day: datetime.date, hour: datetime.time = MORNING) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, hour))


def _admitted(counselor, **fields) -> Episode:
    return EpisodeFactory(
        primary_counselor=counselor,
        referral_date=REFERRED,
        admission_date=REFERRED + datetime.timedelta(days=2),
        **fields,
    )


def _service(episode, day_after_referral, *, status=Appointment.Status.ATTENDED, hour=MORNING):
    return Appointment.objects.create(
        client=episode.client,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=_at(REFERRED + datetime.timedelta(days=day_after_referral), hour),
        counselor=episode.primary_counselor,
        status=status,
    )


def _episodes():
    return Episode.objects.filter(admission_date__isnull=False)


def test_a_first_service_on_day_14_initiates_and_on_day_15_does_not(counselor1):
    on_time = _admitted(counselor1)
    _service(on_time, 14)
    late = _admitted(counselor1)
    _service(late, 15)

    figures = quality.initiation_and_engagement(_episodes())

    assert (figures["cohort"], figures["initiated"]) == (2, 1)
    assert figures["initiation_rate"] == 50.0
    assert figures["not_initiated_ids"] == [late.pk]


def test_missed_and_cancelled_appointments_are_not_services(counselor1):
    episode = _admitted(counselor1)
    _service(episode, 3, status=Appointment.Status.NO_SHOW)
    _service(episode, 4, status=Appointment.Status.CANCELLED_CLIENT)

    assert quality.initiation_and_engagement(_episodes())["initiated"] == 0


def test_an_attended_group_initiates(counselor1):
    episode = _admitted(counselor1)
    session = GroupSessionFactory(starts_at=_at(REFERRED + datetime.timedelta(days=5)))
    AttendanceFactory(session=session, episode=episode)

    assert quality.initiation_and_engagement(_episodes())["initiated"] == 1


def test_two_further_services_by_day_34_after_initiation_engage(counselor1):
    engaged = _admitted(counselor1)
    for day in (2, 10, 2 + 34):
        _service(engaged, day)
    one_late = _admitted(counselor1)
    for day in (2, 10, 2 + 35):
        _service(one_late, day)
    same_day = _admitted(counselor1)
    for day in (2, 2, 10):
        _service(same_day, day)

    figures = quality.initiation_and_engagement(_episodes())

    assert (figures["initiated"], figures["engaged"]) == (3, 1)
    assert figures["engagement_rate"] == 33.3
    assert figures["not_engaged_ids"] == sorted([one_late.pk, same_day.pk])


def test_the_furthest_days_the_measure_reaches_count_late_in_the_evening(counselor1):
    # Initiated on day 14; day 14 + 34 is the last of its engagement window,
    # and 23:30 there is after UTC midnight in a time zone west of Greenwich.
    # The first episode's services on that day (one day, however many
    # services) and the day after make one further day: not engaged.
    episode = _admitted(counselor1)
    _service(episode, 14)
    evening = datetime.time(23, 30)
    _service(episode, 14 + 34, hour=evening)
    session = GroupSessionFactory(
        starts_at=_at(REFERRED + datetime.timedelta(days=14 + 34), datetime.time(20, 30))
    )
    AttendanceFactory(session=session, episode=episode)
    _service(episode, 14 + 35)

    figures = quality.initiation_and_engagement(_episodes())

    assert (figures["initiated"], figures["engaged"]) == (1, 0)
    # The second's day 20 and that evening are two: engaged.
    second = _admitted(counselor1)
    _service(second, 14)
    _service(second, 20)
    _service(second, 14 + 34, hour=evening)
    assert quality.initiation_and_engagement(_episodes())["engaged"] == 1


def test_medication_for_the_use_disorder_engages(counselor1):
    on_mat = _admitted(counselor1)
    _service(on_mat, 1)
    Medication.objects.create(
        client=on_mat.client,
        drug=Medication.Drug.BUPRENORPHINE,
        dose="8 mg",
        schedule="daily",
        prescriber_name="Dr. Lee",
        recorded_by=counselor1,
        start_date=REFERRED + datetime.timedelta(days=20),
    )
    other_drug = _admitted(counselor1)
    _service(other_drug, 1)
    Medication.objects.create(
        client=other_drug.client,
        drug=Medication.Drug.OTHER,
        other_name="Sertraline",
        dose="50 mg",
        schedule="daily",
        prescriber_name="Dr. Lee",
        recorded_by=counselor1,
        start_date=REFERRED + datetime.timedelta(days=20),
    )

    figures = quality.initiation_and_engagement(_episodes())

    assert (figures["initiated"], figures["engaged"]) == (2, 1)
    assert figures["not_engaged_ids"] == [other_drug.pk]


def test_the_measures_read_a_fixed_number_of_queries(counselor1, django_assert_num_queries):
    def add(count):
        for _ in range(count):
            episode = _admitted(counselor1)
            for day in (1, 5, 9):
                _service(episode, day)

    # Initiation and engagement 4, the TEDS items 1, diagnoses by class 1.
    add(2)
    with django_assert_num_queries(6):
        quality.initiation_and_engagement(_episodes())
        quality.teds_missing_by_month(_episodes())
        quality.diagnoses_by_class(_episodes())
    add(20)
    with django_assert_num_queries(6):
        figures = quality.initiation_and_engagement(_episodes())
        quality.teds_missing_by_month(_episodes())
        quality.diagnoses_by_class(_episodes())
    assert figures["engaged"] == 22


def test_missing_items_are_counted_per_admission_month(counselor1):
    complete = _admitted(counselor1)
    answered_demographics(complete)
    _admitted(counselor1)  # nothing recorded

    (month,) = quality.teds_missing_by_month(_episodes())

    required = len(complete.demographics.required_fields(sex=complete.client.sex)) + 3
    assert (month["admissions"], month["incomplete"]) == (2, 2)
    # No referral: employment, living arrangement and education missing for both.
    assert month["missing"] == 3 + required
    assert month["required"] == 2 * required
    assert month["share"] == round(100 * (3 + required) / (2 * required), 1)


def test_diagnoses_by_class_is_empty_without_diagnoses(counselor1):
    _admitted(counselor1)

    assert quality.diagnoses_by_class(_episodes()) == []


def _sud(episode, substance_class, *, status, resolved=None):
    return Diagnosis.objects.create(
        client=episode.client,
        episode=episode,
        kind=Diagnosis.Kind.SUD,
        icd10_code="F10.20",
        description="Alcohol dependence, uncomplicated",
        substance_class=substance_class,
        criteria_met=["craving", "larger_amounts", "cut_down", "time_spent"],
        severity="moderate",
        date_made=episode.admission_date,
        date_resolved=resolved,
        made_by=episode.primary_counselor,
        status=status,
        rank=1 if resolved is None else 2,
    )


def test_diagnoses_by_class_counts_current_confirmed_diagnoses_once_per_episode(counselor1):
    confirmed = Diagnosis.Status.CONFIRMED
    first, second, proposed = (_admitted(counselor1) for _ in range(3))
    _sud(first, "alcohol", status=confirmed)
    _sud(second, "alcohol", status=confirmed)
    _sud(second, "opioid", status=confirmed, resolved=second.admission_date)
    _sud(proposed, "cannabis", status=Diagnosis.Status.PROPOSED)

    assert quality.diagnoses_by_class(_episodes()) == [{"key": "alcohol", "episodes": 2}]


# --- the dashboard ----------------------------------------------------------------------------


@pytest.fixture
def browser(login, supervisor):
    return login(supervisor)


def test_the_dashboard_shows_the_measures_modelled_on_iet(browser, counselor1):
    _service(_admitted(counselor1), 3)

    response = browser.get(URL)

    html = response.content.decode()
    assert "modelled on HEDIS IET" in html
    assert response.context["f"]["iet"]["initiated"] == 1
    assert 'data-testid="teds-missing"' in html


def test_the_not_initiated_drill_down_lists_the_clients(browser, counselor1):
    late = _admitted(counselor1)
    _service(_admitted(counselor1), 3)

    response = browser.get(CLIENTS_URL, {"figure": "not_initiated"})

    assert {client.mrn for client in response.context["page"]} == {late.client.mrn}


def test_the_not_engaged_drill_down_lists_the_clients(browser, counselor1):
    initiated_only = _admitted(counselor1)
    _service(initiated_only, 3)

    response = browser.get(CLIENTS_URL, {"figure": "not_engaged"})

    assert {client.mrn for client in response.context["page"]} == {initiated_only.client.mrn}


def test_the_incomplete_drill_down_lists_admissions_with_items_missing(browser, counselor1):
    missing = _admitted(counselor1)

    month = missing.admission_date.strftime("%Y-%m")
    response = browser.get(CLIENTS_URL, {"figure": "teds_incomplete", "month": month})

    assert {client.mrn for client in response.context["page"]} == {missing.client.mrn}


def test_the_iet_csv_holds_both_rates(browser, counselor1):
    episode = _admitted(counselor1)
    for day in (3, 5, 7):
        _service(episode, day)

    rows = only_file(browser.get(URL, {"export": "iet"}))

    assert rows == [
        {"measure": "initiation", "denominator": "1", "numerator": "1", "rate_percent": "100.0"},
        {"measure": "engagement", "denominator": "1", "numerator": "1", "rate_percent": "100.0"},
    ]


def test_the_data_quality_csv_has_a_row_per_admission_month(browser, counselor1):
    _admitted(counselor1)

    (row,) = only_file(browser.get(URL, {"export": "teds-missing"}))

    assert row["admissions"] == "1"


def test_a_counselor_cannot_open_the_measures(login, counselor1):
    browser = login(counselor1)

    assert browser.get(URL).status_code == 403
    assert browser.get(CLIENTS_URL, {"figure": "not_initiated"}).status_code == 403


def test_a_supervisor_sees_the_whole_program_in_the_drill_down(login, supervisor, counselor2):
    _admitted(counselor2)

    response = login(supervisor).get(CLIENTS_URL, {"figure": "not_initiated"})

    assert len(response.context["page"]) == 1


def test_the_summary_gives_the_live_figures_of_a_period_after_a_rebuild(counselor1):
    engaged, one_late, not_started = (_admitted(counselor1) for _ in range(3))
    for day in (2, 10, 20):
        _service(engaged, day)
    for day in (2, 10, 2 + 35):
        _service(one_late, day)
    _service(not_started, 15)
    answered_demographics(engaged)
    summary_refresh()
    start, end = program.default_period(TODAY)

    summarised = program.program_measures(
        clients=Client.objects.all(), start=start, end=end, whole_program=True
    )
    live = program.program_measures(clients=Client.objects.all(), start=start, end=end)

    assert summarised["as_of"] is not None and live["as_of"] is None
    assert (summarised["iet"]["cohort"], summarised["iet"]["initiated"]) == (3, 2)
    assert (summarised["iet"]["engaged"], summarised["iet"]["not_engaged"]) == (1, 1)
    assert {k: live["iet"][k] for k in summarised["iet"]} == summarised["iet"]
    [month] = summarised["teds_missing"]
    # One admission's demographics answered, none of their referral items.
    assert month["admissions"] == 3 and 0 < month["missing"] < month["required"]
    assert summarised["teds_missing"] == live["teds_missing"]
