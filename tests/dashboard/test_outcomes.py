"""The outcome dashboard (iop.dashboard.outcomes): its measures against a
cohort computed by hand, who may open it and what each sees, the
drill-downs within the access policy, the export with the Part 2 notice,
and a query count that does not grow with the admissions."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.dashboard import outcomes
from iop.exports import PART2_NOTICE
from tests.accounts.mfa_helpers import make_reauth_stale
from tests.factories import EpisodeFactory
from tests.groups.factories import EnrollmentFactory, RecurringGroupFactory, track
from tests.outcomes.helpers import give

URL = reverse("dashboard:outcomes")
CLIENTS_URL = reverse("dashboard:outcome-clients")

pytestmark = pytest.mark.django_db


def _admit(counselor, level="2.1", track_code=None, days_ago=100):
    admitted_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    episode = EpisodeFactory(
        primary_counselor=counselor,
        level_of_care=level,
        referral_date=admitted_on - datetime.timedelta(days=5),
        admission_date=admitted_on,
    )
    if track_code:
        group = RecurringGroupFactory(track=track(track_code), facilitator=counselor)
        EnrollmentFactory(episode=episode, group=group)
    return episode


@pytest.fixture
def cohort(counselor1, counselor2):
    """Four admissions 100 days ago; the expected figures are worked out by
    hand in the tests below."""
    a = _admit(counselor1, "2.1", "ers")
    give(a.client, "PHQ-9", 100, total=16)
    give(a.client, "PHQ-9", 40, total=6)
    give(a.client, "GAD-7", 100, total=10)
    give(a.client, "GAD-7", 40, total=9)
    give(a.client, "BAM", 100, use=3, risk=10, protective=12)
    give(a.client, "BAM", 40, use=1, risk=8, protective=16)
    b = _admit(counselor1, "2.5")
    give(b.client, "PHQ-9", 100, total=12)
    give(b.client, "PHQ-9", 10, total=3)
    give(b.client, "BAM", 98, use=0, risk=4, protective=18)
    c = _admit(counselor2, "2.1", "ers")
    give(c.client, "PHQ-9", 100, total=20)
    give(c.client, "BAM", 100, use=0, risk=6, protective=20)
    give(c.client, "BAM", 70, use=2, risk=10, protective=20)
    d = _admit(counselor2, "2.1", "rp")
    return {"a": a, "b": b, "c": c, "d": d}


def test_the_program_figures_match_the_hand_computed_cohort(login, administrator, cohort):
    response = login(administrator).get(URL)

    row = response.context["overall"]
    assert row["admissions"] == 4
    # A, B (PHQ-9) and C (BAM) were followed up; D was never measured.
    assert {code: cell["share"] for code, cell in row["completion_cells"]} == {
        "any": 75.0,
        "PHQ-9": 50.0,
        "GAD-7": 25.0,
        "BAM": 50.0,
    }
    # PHQ-9: A -10, B -9; GAD-7: A -1; BAM Use A -2, C +2; Risk A -2, C +4;
    # Protective A +4, C 0.
    assert {key: cell["mean"] for key, cell in row["change_cells"]} == {
        "PHQ-9": -9.5,
        "GAD-7": -1.0,
        "BAM use": 0.0,
        "BAM risk": 1.0,
        "BAM protective": 2.0,
    }
    # PHQ-9: A (16 -> 6) and B (12 -> 3) improved; GAD-7: A 10 -> 9 did not;
    # BAM Use: only A had use at baseline, and less later (C started at 0).
    assert {key: (cell["n"], cell["of"]) for key, cell in row["improved_cells"]} == {
        "PHQ-9": (2, 2),
        "GAD-7": (0, 1),
        "BAM use": (1, 1),
    }
    # Remission: B's 3 is below 5, A's 6 is not.
    assert (row["remission"]["n"], row["remission"]["of"], row["remission"]["share"]) == (
        1,
        2,
        50.0,
    )


def test_the_bam_use_trend_is_by_month_of_treatment(login, administrator, cohort):
    trend = login(administrator).get(URL).context["trend"]

    # Month 1: A 3, B 0, C 0; month 2 (day 30): C 2; month 3 (day 60): A 1.
    assert trend[:4] == [
        {"month": 1, "n": 3, "mean": 1.0},
        {"month": 2, "n": 1, "mean": 2.0},
        {"month": 3, "n": 1, "mean": 1.0},
        {"month": 4, "n": 0, "mean": None},
    ]


def test_the_groupings_by_track_counselor_and_level(login, administrator, cohort, counselor2):
    tables = {by: rows for by, _title, rows in login(administrator).get(URL).context["tables"]}

    by_track = {row["key"]: row["admissions"] for row in tables["track"]}
    assert by_track == {"ers": 2, "rp": 1, "none": 1}
    by_level = {row["key"]: row["admissions"] for row in tables["level"]}
    assert by_level == {"2.1": 3, "2.5": 1}
    theirs = next(row for row in tables["counselor"] if row["key"] == str(counselor2.pk))
    # C followed up on the BAM, D not measured.
    assert (theirs["admissions"], theirs["completion"]["any"]["share"]) == (2, 50.0)
    er = next(row for row in tables["track"] if row["key"] == "ers")
    # A -2 and C +4 on BAM Risk.
    assert er["change"]["BAM risk"]["mean"] == 1.0


def test_a_supervisor_sees_the_program(login, supervisor, cohort):
    assert login(supervisor).get(URL).context["overall"]["admissions"] == 4


def test_a_counselor_sees_only_their_own_caseload(login, counselor1, cohort):
    response = login(counselor1).get(URL)

    assert response.context["overall"]["admissions"] == 2
    assert response.context["overall"]["remission"]["share"] == 50.0


@pytest.mark.parametrize("role", ["billing_user", "intake"])
def test_other_roles_may_not_open_the_outcomes(request, login, role):
    browser = login(request.getfixturevalue(role))

    assert browser.get(URL).status_code == 403
    assert browser.get(CLIENTS_URL).status_code == 403


def test_an_invalid_period_is_reported_and_ignored(login, administrator, cohort):
    response = login(administrator).get(URL, {"start": "1900-01-01"})

    assert response.status_code == 200
    assert response.context["overall"]["admissions"] == 4


# --- drill-downs ----------------------------------------------------------------------


def test_a_cell_lists_its_clients_audited(login, administrator, cohort):
    response = login(administrator).get(
        CLIENTS_URL, {"by": "all", "key": "all", "figure": "remission", "instrument": "PHQ-9"}
    )

    assert list(response.context["page"].object_list) == [cohort["b"].client]
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, actor=administrator)
    assert (event.client_id, event.details["list"]) == (cohort["b"].client_id, "outcomes:remission")


def test_a_drill_down_into_another_counselors_cell_lists_nobody(
    login, counselor1, counselor2, cohort
):
    response = login(counselor1).get(
        CLIENTS_URL, {"by": "counselor", "key": str(counselor2.pk), "figure": "admitted"}
    )

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_a_counselors_drill_down_never_names_a_client_outside_their_caseload(
    login, counselor1, cohort
):
    response = login(counselor1).get(
        CLIENTS_URL, {"by": "track", "key": "ers", "figure": "admitted"}
    )

    # Track ers holds A (counselor 1) and C (counselor 2): only A is listed.
    assert list(response.context["page"].object_list) == [cohort["a"].client]
    assert cohort["c"].client.mrn not in response.content.decode()


def test_an_unknown_cell_lists_nobody(login, administrator, cohort):
    response = login(administrator).get(CLIENTS_URL, {"figure": "nope", "by": "x"})

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


def test_the_dashboard_links_each_cell_to_its_clients(login, administrator, cohort):
    page = login(administrator).get(URL).content.decode()

    assert f"{CLIENTS_URL}?start=" in page
    assert "figure=remission&amp;instrument=PHQ-9" in page


# --- export ---------------------------------------------------------------------------


def test_the_export_carries_the_part2_notice_and_is_audited(login, administrator, cohort):
    response = login(administrator).get(URL, {"export": "csv"})

    assert response.status_code == 200
    assert response["X-Part2-Notice"] == PART2_NOTICE
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert PART2_NOTICE in bundle.read("NOTICE.txt").decode()
    name = next(n for n in bundle.namelist() if n.startswith("openiop-outcomes-"))
    lines = bundle.read(name).decode().splitlines()
    assert lines[0].startswith("grouping,group,admissions,completion_any_percent")
    assert lines[1].startswith("all,All admissions,4,75.0,50.0,25.0,50.0,-9.5,-1.0,0.0,1.0,2.0")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, details__export="outcomes"
    ).exists()


def test_the_export_asks_for_the_password_again(login, administrator):
    browser = login(administrator)
    make_reauth_stale(browser)

    response = browser.get(URL, {"export": "csv"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauth"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


# --- query count ----------------------------------------------------------------------

# Every signed-in page 7, then the admissions (the policy's subqueries
# inline), their tracks and their administrations.
DASHBOARD_QUERIES = 7 + 3


def _more(counselor, count):
    for number in range(count):
        episode = _admit(counselor, track_code="ers" if number % 2 else None, days_ago=120)
        give(episode.client, "PHQ-9", 110, total=15)
        give(episode.client, "PHQ-9", 20, total=8 + number % 5)


def test_the_dashboard_query_count_does_not_grow_with_admissions(
    login, administrator, counselor1, django_assert_num_queries
):
    browser = login(administrator)
    _more(counselor1, 2)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        browser.get(URL)

    _more(counselor1, 20)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = browser.get(URL)
    assert response.context["overall"]["admissions"] == 22


def test_the_summary_of_nobody_is_empty():
    assert outcomes.summary([])["completion"]["any"] == {"n": 0, "share": None}


def test_a_counselors_dashboard_query_count_does_not_grow(
    login, counselor1, django_assert_num_queries
):
    browser = login(counselor1)
    _more(counselor1, 2)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        browser.get(URL)

    _more(counselor1, 20)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = browser.get(URL)
    assert response.context["overall"]["admissions"] == 22


# The dashboard's three queries, the page of clients and its count, and one
# insert of the view events of the clients listed.
DRILL_DOWN_QUERIES = 7 + 3 + 2 + 1


def test_the_drill_down_query_count_does_not_grow(
    login, administrator, counselor1, django_assert_num_queries
):
    browser = login(administrator)
    cell = {"by": "all", "key": "all", "figure": "followed", "instrument": "PHQ-9"}
    _more(counselor1, 2)
    with django_assert_num_queries(DRILL_DOWN_QUERIES):
        browser.get(CLIENTS_URL, cell)

    _more(counselor1, 20)
    with django_assert_num_queries(DRILL_DOWN_QUERIES):
        response = browser.get(CLIENTS_URL, cell)
    assert response.context["page"].paginator.count == 22
