"""The chart's Measures section: what is due and how each link is going,
the client's own answers with their source, the BAM's composites over time,
and the actions (request a measure, start the clinic tablet)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.extensions import CHART_SECTIONS
from outcomes.models import DueMeasure, SelfReportLink
from screening.chart import timeline_entries
from screening.services import administration_record
from tests.factories import EpisodeFactory
from tests.outcomes.shortcuts import bam, chart_section_url, chart_url, due_measure, phq9

pytestmark = pytest.mark.django_db

# A tab loaded on its own: the signed-in layout 7, the client through the
# policy and the view audit insert 2; then the section: open and recent due
# measures (each with its newest link's state in the same query), the
# client's own answers, the BAM's composites and "in care?".
MEASURES_QUERIES = 9 + 5


def _section(response):
    """The Measures section's context, in a tab fragment or an opened chart."""
    items = response.context.get("items") or response.context["opened_sections"]
    return next(item["context"] for item in items if item["key"] == "measures")


def _link(due, **fields):
    return SelfReportLink.objects.create(due=due, channel="sms", **fields)


def test_open_measures_show_their_due_date_method_and_link_state(
    login, counselor1, client_of_counselor1
):
    now = timezone.now()
    sent = due_measure(client_of_counselor1, instrument="BAM", method="link")
    _link(sent, issued_at=now, expires_at=now + datetime.timedelta(days=3))
    expired = due_measure(client_of_counselor1, instrument="PHQ-9", method="link")
    _link(
        expired,
        issued_at=now - datetime.timedelta(days=4),
        expires_at=now - datetime.timedelta(days=1),
    )
    locked = due_measure(client_of_counselor1, instrument="GAD-7", method="link")
    _link(locked, issued_at=now, expires_at=now + datetime.timedelta(days=3), locked_at=now)
    due_measure(client_of_counselor1, instrument="BAM", method="kiosk", occasion="request-x")

    response = login(counselor1).get(chart_section_url(client_of_counselor1))

    assert response.status_code == 200
    section = _section(response)
    states = {(due.instrument, due.method): due.link_status for due in section["open_dues"]}
    assert states == {
        ("BAM", "link"): "sent",
        ("PHQ-9", "link"): "expired",
        ("GAD-7", "link"): "locked",
        ("BAM", "kiosk"): "",
    }
    page = response.content.decode()
    assert page.count('data-testid="due-measure"') == 4
    assert "Self-report link (text or email)" in page
    assert "Start on clinic tablet" in page
    # "Send a link now" for each open measure given by link (three here).
    assert page.count("/send-link/") == 3


def test_an_answered_link_and_closed_measures_are_recent_not_open(
    login, counselor1, client_of_counselor1
):
    now = timezone.now()
    answered = due_measure(
        client_of_counselor1, status=DueMeasure.Status.COMPLETED, completed_at=now
    )
    _link(answered, issued_at=now, expires_at=now, used_at=now)
    due_measure(client_of_counselor1, instrument="PHQ-9", status=DueMeasure.Status.MISSED)

    section = _section(login(counselor1).get(chart_section_url(client_of_counselor1)))

    assert section["open_dues"] == []
    assert {(due.instrument, due.status, due.link_status) for due in section["recent_dues"]} == {
        ("BAM", "completed", "answered"),
        ("PHQ-9", "missed", ""),
    }


def test_self_reported_answers_show_their_source(login, counselor1, client_of_counselor1):
    administration_record(
        actor=None, client=client_of_counselor1, code="PHQ-9", answers=phq9(rest=1), source="link"
    )
    administration_record(
        actor=counselor1, client=client_of_counselor1, code="BAM", answers=bam(), source="kiosk"
    )
    administration_record(
        actor=counselor1,
        client=client_of_counselor1,
        code="GAD-7",
        answers=dict.fromkeys("1234567", 0),
    )

    response = login(counselor1).get(chart_section_url(client_of_counselor1))

    section = _section(response)
    assert [(a.code, a.source) for a in section["self_reports"]] == [
        ("BAM", "kiosk"),
        ("PHQ-9", "link"),
    ]
    page = response.content.decode()
    assert "Clinic tablet" in page
    assert "Self-report link" in page


def test_the_bam_composites_are_drawn_over_time_with_each_source(
    login, counselor1, client_of_counselor1
):
    now = timezone.now()
    for days_ago, value, source in ((28, 3, "staff"), (0, 1, "kiosk")):
        administration_record(
            actor=counselor1,
            client=client_of_counselor1,
            code="BAM",
            answers=bam(value),
            source=source,
            administered_at=now - datetime.timedelta(days=days_ago),
        )

    response = login(counselor1).get(chart_section_url(client_of_counselor1))

    (series,) = _section(response)["bam"]
    data = series["series"]
    assert [line["label"] for line in data["subscales"]] == ["Use", "Risk", "Protective"]
    assert data["subscales"][0]["values"] == [9, 3]
    assert data["sources"] == ["By staff", "Clinic tablet"]
    page = response.content.decode()
    assert 'id="measures-bam"' in page
    assert page.count('data-testid="source"') == 2


def test_the_screening_sections_score_charts_show_composites_and_sources(
    login, counselor1, client_of_counselor1
):
    administration_record(
        actor=counselor1, client=client_of_counselor1, code="BAM", answers=bam(2), source="phone"
    )
    administration_record(
        actor=None, client=client_of_counselor1, code="PHQ-9", answers=phq9(rest=2), source="link"
    )

    response = login(counselor1).get(chart_url(client_of_counselor1, "screening"))

    scores = next(
        item["context"]["scores"]
        for item in response.context["opened_sections"]
        if item["key"] == "screening"
    )
    by_code = {series["code"]: series["series"] for series in scores}
    assert [line["values"] for line in by_code["BAM"]["subscales"]] == [[6], [12], [14]]
    assert by_code["PHQ-9"]["subscales"] == []
    assert by_code["PHQ-9"]["totals"] == [16]
    assert by_code["PHQ-9"]["sources"] == ["Self-report link"]
    assert "By staff, by phone" in response.content.decode()


def test_a_counselor_requests_a_measure_now(login, counselor1, client_of_counselor1):
    url = reverse("outcomes:measure-request", args=[client_of_counselor1.public_id])

    response = login(counselor1).post(url, {"instrument": "GAD-7", "method": "kiosk"})

    assert response.status_code == 302
    assert response.url.endswith("?section=measures")
    due = DueMeasure.objects.get(client=client_of_counselor1)
    assert (due.instrument, due.method, due.due_on) == ("GAD-7", "kiosk", timezone.localdate())
    assert AuditEvent.objects.filter(
        client=client_of_counselor1, object_type="outcomes.duemeasure"
    ).exists()


def test_an_invalid_request_makes_nothing_due(login, counselor1, client_of_counselor1):
    url = reverse("outcomes:measure-request", args=[client_of_counselor1.public_id])

    login(counselor1).post(url, {"instrument": "AUDIT", "method": "kiosk"})

    assert not DueMeasure.objects.exists()


def test_outsider_gets_404_for_the_section_and_the_request(login, counselor2, client_of_counselor1):
    browser = login(counselor2)

    assert browser.get(chart_section_url(client_of_counselor1)).status_code == 404
    url = reverse("outcomes:measure-request", args=[client_of_counselor1.public_id])
    assert browser.post(url, {"instrument": "BAM", "method": "link"}).status_code == 404
    assert not DueMeasure.objects.exists()


def test_intake_sees_the_measures_without_the_actions(login, intake, supervisor, screening_client):
    episode = screening_client.episodes.get()
    DueMeasure.objects.create(
        client=screening_client,
        episode=episode,
        instrument="PHQ-9",
        occasion="x",
        method="link",
        due_on=timezone.localdate(),
        closes_on=timezone.localdate(),
    )

    response = login(intake).get(chart_section_url(screening_client))

    assert response.status_code == 200
    assert _section(response)["can_act"] is False
    assert "Start on clinic tablet" not in response.content.decode()
    request_url = reverse("outcomes:measure-request", args=[screening_client.public_id])
    assert (
        login(intake).post(request_url, {"instrument": "BAM", "method": "link"}).status_code == 403
    )


def _client_with_history(counselor, count):
    client = EpisodeFactory(primary_counselor=counselor).client
    now = timezone.now()
    for number in range(count):
        due = due_measure(
            client,
            instrument=("BAM", "PHQ-9", "GAD-7")[number % 3],
            due_on=timezone.localdate() - datetime.timedelta(days=number),
            status="open" if number % 2 else "completed",
        )
        _link(
            due,
            issued_at=now,
            expires_at=now + datetime.timedelta(days=1),
            used_at=None if number % 2 else now,
        )
        administration_record(
            actor=counselor,
            client=client,
            code="BAM",
            answers=bam(number % 4),
            source=("staff", "kiosk", "link")[number % 3],
            administered_at=now - datetime.timedelta(days=number),
        )
    return client


def test_the_section_query_count_does_not_grow_with_the_history(
    login, counselor1, django_assert_num_queries
):
    small = _client_with_history(counselor1, 2)
    large = _client_with_history(counselor1, 20)
    browser = login(counselor1)

    with CHART_SECTIONS.isolated(keep=["measures"]):
        with django_assert_num_queries(MEASURES_QUERIES):
            assert browser.get(chart_section_url(small)).status_code == 200
        with django_assert_num_queries(MEASURES_QUERIES):
            response = browser.get(chart_section_url(large))
    assert len(_section(response)["bam"][0]["administrations"]) == 20


def test_a_self_reported_answer_says_so_on_the_timeline(counselor1, client_of_counselor1):
    administration_record(
        actor=None, client=client_of_counselor1, code="PHQ-9", answers=phq9(), source="link"
    )
    administration_record(
        actor=counselor1,
        client=client_of_counselor1,
        code="GAD-7",
        answers=dict.fromkeys("1234567", 0),
    )

    details = {
        entry.title.split()[0]: entry.detail
        for entry in timeline_entries(client_of_counselor1, viewer=counselor1)
    }

    assert details["PHQ-9"].endswith("· Self-report link")
    assert "·" not in details["GAD-7"]
