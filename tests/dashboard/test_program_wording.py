"""The program dashboard in plain words and sound links: the TEDS outcome
groups by their labels, one accessible name per "lost" link, and links that
carry the filters once, whatever page they were followed from."""

import re
from html import unescape

from django.urls import reverse

from iop.clients.models import Episode
from tests.dashboard.test_drilldown import _discharged

URL = reverse("dashboard:program")
R = Episode.DischargeReason


def _hrefs(page: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]*)"', page)]


def test_outcome_groups_show_the_teds_labels_not_their_keys(login, supervisor, counselor1):
    _discharged(counselor1, admitted_days_ago=60, stay=20, reason=R.LEFT_AGAINST_ADVICE)

    response = login(supervisor).get(URL)

    page = response.content.decode()
    rows = [row["label"] for row in response.context["f"]["outcome_groups"]]
    assert rows[:2] == ["Treatment completed", "Transferred to another program or facility"]
    assert "Left against professional advice (dropped out)" in page
    assert not re.search(r">(completed|dropped_out|transferred|terminated|other)<", page)


def test_every_lost_link_has_its_own_accessible_name(login, supervisor, counselor1):
    for days_ago in (40, 100, 130):
        _discharged(counselor1, admitted_days_ago=days_ago, stay=10, reason=R.TERMINATED)

    page = login(supervisor).get(URL).content.decode()

    names = re.findall(r'figure=lost[^"]*" aria-label="([^"]*)"', page)
    assert len(names) >= 6
    assert len(set(names)) == len(names)
    assert all("lost" in name for name in names)


def test_dashboard_links_carry_the_filters_once(login, supervisor, counselor1):
    _discharged(counselor1, admitted_days_ago=60, stay=20, reason=R.COMPLETED)
    browser = login(supervisor)

    # As if come back from a drill-down whose link carried a figure.
    page = browser.get(URL, {"level": "2.1", "figure": "flags", "month": "2026-01"})

    links = [href for href in _hrefs(page.content.decode()) if "figure=" in href]
    assert links
    for href in links:
        query = href.split("?", 1)[1]
        assert not query.startswith("&")
        assert query.count("figure=") == 1
        assert query.count("level=2.1") == 1


def test_unfiltered_dashboard_links_do_not_start_with_an_ampersand(login, supervisor):
    page = login(supervisor).get(URL).content.decode()

    assert "?&" not in "".join(_hrefs(page))
    assert f"{reverse('dashboard:program-clients')}?figure=flags" in _hrefs(page)


def test_back_to_the_dashboard_keeps_the_filters_and_drops_the_figure(login, supervisor):
    response = login(supervisor).get(
        reverse("dashboard:program-clients"), {"level": "2.1", "figure": "flags", "page": "1"}
    )

    assert f"{URL}?level=2.1" in _hrefs(response.content.decode())
