"""The program dashboard's summary of attendance and drug tests: after a
rebuild it gives exactly the live measures' figures, the page says how old
they are, episode filters stay live, and the rebuild is a periodic task."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupSession
from iop.celery import app
from iop.clients.models import Client, DrugTest, DrugTestResult, Substance
from iop.dashboard import program
from iop.dashboard.models import AttendanceDay, DrugTestDay, SummaryRefresh
from iop.dashboard.summary import summary_refresh
from iop.dashboard.tasks import refresh_program_summary
from tests.dashboard.test_program import (
    FILTERED_QUERIES,
    PROGRAM_QUERIES,
    _add_clients,
    _admit,
    days_ago,
)
from tests.factories import ClientFactory
from tests.groups.factories import (
    AttendanceFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
    local,
    track,
)

URL = reverse("dashboard:program")
SUMMARISED = ("attendance_by_track", "attendance_by_counselor", "drug_tests", "teds_missing")
# Initiation and engagement: the figures; the live measure adds the episodes' ids.
IET_FIGURES = (
    "cohort",
    "initiated",
    "initiation_rate",
    "engaged",
    "engagement_rate",
    "not_initiated",
    "not_engaged",
)
# With the summary built, initiation and engagement (4 live queries: the
# admissions, their group and appointment service days, medications) and the
# TEDS items (1) are 2 queries of the summary.
SUMMARY_PROGRAM_QUERIES = PROGRAM_QUERIES - 4 - 1 + 2


def _drug_test(client, day, *results):
    test = DrugTest.objects.create(
        client=client,
        collected_on=day,
        specimen=DrugTest.Specimen.URINE,
        recorded_by=client.episodes.first().primary_counselor,
    )
    substances = iter(Substance.values)
    for result, expected in results:
        DrugTestResult.objects.create(
            test=test, substance=next(substances), result=result, expected=expected
        )
    return test


def _varied_program(counselor1, counselor2):
    """Attendance in two tracks and of two facilitators, excused and
    cancelled sessions, sessions on both sides of local midnight, and drug
    tests of every kind, one of a client without an episode."""
    _add_clients(6, [counselor1, counselor2])
    episode = _admit(counselor1, days=40)
    ers = RecurringGroupFactory(track=track("ers"), facilitator=counselor2)
    late_evening = timezone.localtime() - timedelta(days=10)
    for hour, status in ((0, "present"), (23, "absent"), (12, "excused")):
        AttendanceFactory(
            episode=episode,
            status=status,
            session=GroupSessionFactory(group=ers, starts_at=late_evening.replace(hour=hour)),
        )
    AttendanceFactory(
        episode=episode,
        session=GroupSessionFactory(group=ers, status=GroupSession.Status.CANCELLED),
    )
    client = episode.client
    _drug_test(client, days_ago(5), ("positive", False))
    _drug_test(client, days_ago(5), ("positive", True), ("negative", False))
    _drug_test(client, days_ago(6), ("invalid", False))
    _drug_test(client, days_ago(7), ("refused", False))
    _drug_test(client, days_ago(400), ("negative", False))
    stranger = ClientFactory()
    DrugTest.objects.create(
        client=stranger,
        collected_on=days_ago(5),
        specimen=DrugTest.Specimen.URINE,
        recorded_by=counselor1,
    )


def _both(**filters):
    clients = Client.objects.all()
    summarised = program.program_measures(clients=clients, whole_program=True, **filters)
    live = program.program_measures(clients=clients, **filters)
    return summarised, live


@pytest.mark.django_db
def test_summary_figures_equal_the_live_measures_after_a_rebuild(counselor1, counselor2):
    _varied_program(counselor1, counselor2)
    summary_refresh()
    today = timezone.localdate()
    periods = [
        program.default_period(today),
        (days_ago(10), days_ago(10)),
        (days_ago(9), today),
        (days_ago(800), days_ago(6)),
    ]

    for start, end in periods:
        for chosen in (None, track("rp"), track("ers")):
            summarised, live = _both(start=start, end=end, track=chosen)
            assert summarised["as_of"] is not None
            assert live["as_of"] is None
            for key in SUMMARISED:
                assert summarised[key] == live[key], (key, start, end, chosen)
            for key in IET_FIGURES:
                assert summarised["iet"][key] == live["iet"][key], (key, start, end, chosen)


@pytest.mark.django_db
def test_summary_counts_local_days_excused_and_flagged_results_as_the_measures_do(
    counselor1, counselor2
):
    _varied_program(counselor1, counselor2)
    summary_refresh()
    day = days_ago(10)

    figures = program.program_measures(
        clients=Client.objects.all(), start=day, end=day, whole_program=True
    )

    # Present at 00:00 and absent at 23:00 the same local day; excused left
    # out; the cancelled session is not counted at all.
    assert figures["attendance_by_track"] == [
        {"key": "Early Recovery Skills", "attended": 1, "absent": 1, "rate": 50.0}
    ]
    tests = program.program_measures(
        clients=Client.objects.all(), start=days_ago(7), end=days_ago(5), whole_program=True
    )["drug_tests"]
    # Day 5: the unexpected positive is not negative, the expected one is;
    # the test of the client without an episode is not counted.
    assert tests == {"total": 4, "negative": 1, "rate": 25.0}


@pytest.mark.django_db
def test_without_a_rebuild_the_figures_are_live(counselor1, counselor2):
    _varied_program(counselor1, counselor2)
    start, end = program.default_period(timezone.localdate())

    summarised, live = _both(start=start, end=end)

    assert summarised["as_of"] is None
    for key in SUMMARISED:
        assert summarised[key] == live[key]


def test_page_shows_the_time_of_the_figures_and_keeps_them_until_the_next_rebuild(
    login, administrator, counselor1, counselor2
):
    browser = login(administrator)
    _add_clients(2, [counselor1, counselor2])
    state = summary_refresh()
    first = browser.get(URL)
    assert first.context["f"]["as_of"] == state.refreshed_at
    assert "figures as of" in first.content.decode()
    assert first.context["f"]["drug_tests"]["total"] == 2

    _add_clients(1, [counselor1])
    assert browser.get(URL).context["f"]["drug_tests"]["total"] == 2
    summary_refresh()
    assert browser.get(URL).context["f"]["drug_tests"]["total"] == 3


def test_page_without_a_summary_says_no_time(login, supervisor):
    response = login(supervisor).get(URL)

    assert response.context["f"]["as_of"] is None
    assert "figures as of" not in response.content.decode()


def test_counselor_and_level_filters_are_measured_live(
    login, administrator, counselor1, counselor2
):
    browser = login(administrator)
    _add_clients(2, [counselor1, counselor2])
    summary_refresh()
    _add_clients(2, [counselor1, counselor2])

    by_counselor = browser.get(URL, {"counselor": counselor1.pk})
    by_level = browser.get(URL, {"level": "2.1"})
    by_track = browser.get(URL, {"track": track("rp").pk})

    assert by_counselor.context["f"]["as_of"] is None
    assert by_counselor.context["f"]["drug_tests"]["total"] == 2
    assert by_level.context["f"]["as_of"] is None
    assert by_level.context["f"]["drug_tests"]["total"] == 4
    # A track is a key of the summary: still the figures of the rebuild.
    assert by_track.context["f"]["as_of"] is not None
    assert by_track.context["f"]["drug_tests"]["total"] == 2


def test_page_query_count_with_the_summary_does_not_grow_with_clients(
    login, administrator, counselor1, counselor2, django_assert_num_queries
):
    browser = login(administrator)
    _add_clients(3, [counselor1, counselor2])
    summary_refresh()
    with django_assert_num_queries(SUMMARY_PROGRAM_QUERIES):
        small = browser.get(URL)

    _add_clients(27, [counselor1, counselor2])
    summary_refresh()
    with django_assert_num_queries(SUMMARY_PROGRAM_QUERIES):
        large = browser.get(URL)
    filters = {"counselor": counselor1.pk, "track": track("rp").pk}
    with django_assert_num_queries(FILTERED_QUERIES):
        browser.get(URL, filters)

    assert small.context["f"]["drug_tests"]["total"] == 3
    assert large.context["f"]["drug_tests"]["total"] == 30


@pytest.mark.django_db
def test_rebuild_is_idempotent_and_keeps_one_state_row(counselor1, counselor2):
    _varied_program(counselor1, counselor2)

    summary_refresh()
    first = sorted(AttendanceDay.objects.values_list("day", "track", "attended", "absent"))
    tests = sorted(DrugTestDay.objects.values_list("day", "total", "negative"))
    refresh_program_summary()

    assert sorted(AttendanceDay.objects.values_list("day", "track", "attended", "absent")) == first
    assert sorted(DrugTestDay.objects.values_list("day", "total", "negative")) == tests
    assert SummaryRefresh.objects.count() == 1


def test_beat_rebuilds_the_summary_every_ten_minutes():
    entry = app.conf.beat_schedule["refresh-program-summary"]

    assert entry["task"] == refresh_program_summary.name
    assert entry["schedule"].minute == set(range(0, 60, 10))


@pytest.mark.django_db
def test_session_of_the_period_end_day_late_evening_is_in_the_period(counselor1):
    episode = _admit(counselor1, days=30)
    day = days_ago(3)
    AttendanceFactory(
        episode=episode,
        session=GroupSessionFactory(starts_at=local(day.year, day.month, day.day, 23, 30)),
    )
    summary_refresh()

    inside = program.program_measures(
        clients=Client.objects.all(), start=day, end=day, whole_program=True
    )
    after = program.program_measures(
        clients=Client.objects.all(),
        start=day + datetime.timedelta(days=1),
        end=timezone.localdate(),
        whole_program=True,
    )

    assert inside["attendance_by_track"][0]["attended"] == 1
    assert after["attendance_by_track"] == []


def test_figures_of_an_earlier_day_say_which_day(login, administrator, counselor1, counselor2):
    _add_clients(1, [counselor1, counselor2])
    summary_refresh()
    # The rebuilds stopped (no worker) on an earlier day.
    built = timezone.localtime() - timedelta(days=3)
    SummaryRefresh.objects.update(refreshed_at=built)

    content = login(administrator).get(URL).content.decode()

    assert f"figures as of {built:%Y-%m-%d %H:%M}" in content
