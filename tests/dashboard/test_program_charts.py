"""The program dashboard's charts: the caseload by phase, months whose bars
open their drill-down, and 12-month aftercare retention that says why it has
no figure yet. The page's query count is pinned in test_program.py."""

from datetime import timedelta

from django.urls import reverse

from aftercare.models import AftercarePlan
from iop.clients.models import Episode
from tests.dashboard.test_program import _admit, days_ago

URL = reverse("dashboard:program")
CLIENTS_URL = reverse("dashboard:program-clients")


def _plan(counselor, *, started_days_ago):
    episode = _admit(counselor, days=started_days_ago + 100, phase=Episode.Phase.AFTERCARE)
    started = days_ago(started_days_ago)
    return AftercarePlan.objects.create(
        episode=episode,
        client=episode.client,
        started_on=started,
        ends_on=started + timedelta(days=365),
        recovery_goals="g",
        triggers="t",
        warning_signs="w",
        coping_steps="c",
        people_to_call="p",
        created_by=counselor,
    )


def test_caseload_chart_splits_each_counselor_by_phase(login, supervisor, counselor1):
    _admit(counselor1)
    _admit(counselor1)
    _plan(counselor1, started_days_ago=30)

    charts = login(supervisor).get(URL).context["charts"]

    at = charts["caseload_names"].index(counselor1.get_full_name())
    assert (charts["caseload_intensive"][at], charts["caseload_aftercare"][at]) == (2, 1)


def test_each_month_of_the_chart_links_to_its_admissions_and_discharges(
    login, supervisor, counselor1
):
    _admit(counselor1)

    charts = login(supervisor).get(URL, {"level": "2.1"}).context["charts"]

    month = charts["months"][-1]
    assert charts["month_links"]["admitted"][-1] == (
        f"{CLIENTS_URL}?level=2.1&figure=admitted&month={month}"
    )
    assert charts["month_links"]["discharged"][-1] == (
        f"{CLIENTS_URL}?level=2.1&figure=discharged&month={month}"
    )
    assert len(charts["month_links"]["admitted"]) == len(charts["months"])


def test_a_month_link_of_the_chart_opens_the_clients_admitted_that_month(
    login, supervisor, counselor1
):
    episode = _admit(counselor1)
    browser = login(supervisor)
    charts = browser.get(URL).context["charts"]
    month = episode.admission_date.isoformat()[:7]

    response = browser.get(charts["month_links"]["admitted"][charts["months"].index(month)])

    assert episode.client in response.context["page"].object_list


def test_aftercare_retention_says_why_it_has_no_figure_yet(login, supervisor, counselor1):
    _plan(counselor1, started_days_ago=100)

    page = login(supervisor).get(URL).content.decode()

    assert "No figure yet: no plan has reached 12 months." in page
    tile = page.split("12-month aftercare retention", 1)[1].split("</div></div></div>", 1)[0]
    assert "—%" not in tile


def test_aftercare_retention_shows_its_figure_once_a_plan_reached_12_months(
    login, supervisor, counselor1
):
    _plan(counselor1, started_days_ago=400)

    response = login(supervisor).get(URL)

    assert response.context["f"]["aftercare_retention"]["started"] == 1
    assert "No figure yet" not in response.content.decode()
    assert "1 of 1 plans" in response.content.decode()
