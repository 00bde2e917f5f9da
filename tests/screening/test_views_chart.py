"""The client chart's screening sections: starting a screening, safety alerts,
scores over time, and the chart's pinned query count."""

import datetime

import pytest
from django.utils import timezone

from iop.extensions import CHART_SECTIONS
from screening import services
from tests.factories import ClientFactory, EpisodeFactory
from tests.screening.helpers import client_url, phq9, screening_url
from tests.screening.view_helpers import ALERT, chart_url, flag_on, flag_url

# Pinned query counts, measured once and held for ten times the data. Every
# page starts with the session, the user and their roles, counts unread
# notifications (navigation) and ends with the session save (savepoint,
# update, release).
# Chart with only the screening sections registered, opened on its screening
# section (a deep link): + the client through the policy, the view event,
# episodes and their caseload assignments (none here, so nothing is
# prefetched for them), then the header's open flags, and the section's
# screenings, "in screening?" and scores by instrument.
# The header's current medications and current diagnoses are two more.
SCREENING_CHART_QUERIES = 17


# --- the client chart's screening sections ----------------------------------------------------


@pytest.fixture
def screening_sections_only():
    """The chart with only the screening sections: other apps' sections have
    their own tests and their own query counts."""
    with CHART_SECTIONS.isolated(keep=SCREENING_SECTIONS):
        yield


SCREENING_SECTIONS = ("safety-alerts", "screening")


def test_chart_offers_to_start_a_screening(
    screening_sections_only, login, intake, screening_client
):
    page = login(intake).get(chart_url(screening_client, "screening")).content.decode()

    assert client_url("screening-start", screening_client) in page
    assert "Start screening" in page


def test_chart_does_not_offer_a_second_screening_while_one_is_in_progress(
    screening_sections_only, login, intake, screening_client, draft
):
    page = login(intake).get(chart_url(screening_client, "screening")).content.decode()

    assert "Start screening" not in page
    assert screening_url("screening-detail", draft) in page


def test_chart_alerts_while_a_safety_flag_is_open(
    screening_sections_only, login, intake, supervisor, draft
):
    flag = flag_on(draft, intake)
    browser = login(supervisor)

    page = browser.get(chart_url(draft.client)).content.decode()
    assert page.count(ALERT) == 1
    assert flag_url(flag) in page

    services.safety_flag_address(actor=intake, flag=flag, action="safety_plan", note="Plan.")
    assert ALERT not in browser.get(chart_url(draft.client)).content.decode()


def test_chart_shows_scores_over_time(
    screening_sections_only, login, counselor1, client_of_counselor1
):
    now = timezone.now()
    for days_ago, rest in ((14, 2), (0, 1)):
        services.administration_record(
            actor=counselor1,
            client=client_of_counselor1,
            code="PHQ-9",
            answers=phq9(rest=rest),
            administered_at=now - datetime.timedelta(days=days_ago),
        )

    response = login(counselor1).get(chart_url(client_of_counselor1, "screening"))

    page = response.content.decode()
    assert "Scores over time" in page
    assert 'id="scores-phq-9"' in page
    (series,) = next(
        item["context"]["scores"]
        for item in response.context["opened_sections"]
        if item["key"] == "screening"
    )
    assert series["series"]["totals"] == [16, 8]


def test_chart_query_count_does_not_grow_with_administrations(
    screening_sections_only, login, supervisor, counselor1, django_assert_num_queries
):
    def client_with(count):
        client = ClientFactory()
        EpisodeFactory(client=client, primary_counselor=counselor1)
        codes = ("PHQ-9", "GAD-7")
        for number in range(count):
            code = codes[number % 2]
            flagged = number % 4 == 0  # some open safety flags too
            answers = phq9(item9=int(flagged)) if code == "PHQ-9" else dict.fromkeys("1234567", 1)
            services.administration_record(
                actor=counselor1,
                client=client,
                code=code,
                answers=answers,
                administered_at=timezone.now() - datetime.timedelta(days=count - number),
            )
        return client

    few, many = client_with(2), client_with(20)
    browser = login(supervisor)

    with django_assert_num_queries(SCREENING_CHART_QUERIES):
        page = browser.get(chart_url(few, "screening")).content.decode()
    assert page.count(ALERT) == 1
    with django_assert_num_queries(SCREENING_CHART_QUERIES):
        page = browser.get(chart_url(many, "screening")).content.decode()
    assert page.count(ALERT) == 5
