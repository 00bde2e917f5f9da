"""The chart's timeline: the newest entries on the chart, every entry on the
timeline page, which is a view of the record like the chart (access policy,
roles, one audited view per request, a fixed number of queries)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.clients.chart import CHART_TIMELINE_ENTRIES, chart_timeline
from iop.clients.models import DrugTest, DrugTestResult, MutualHelpMeeting, Substance
from iop.clients.views.records import TIMELINE_PER_PAGE
from tests.clients.test_clinical_chart import _history, _varied_history
from tests.factories import EpisodeFactory

# The signed-in layout 7, the client through the policy 1, the view audit
# insert 1, the timeline's sources 9 and the page's count 0 (the list is
# built in Python, then paginated).
TIMELINE_QUERIES = 18


def _url(client, **query):
    url = reverse("clients:client-timeline", kwargs={"client_id": client.public_id})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _meetings(client, counselor, count):
    today = timezone.localdate()
    MutualHelpMeeting.objects.bulk_create(
        MutualHelpMeeting(
            client=client,
            attended_on=today - datetime.timedelta(days=day),
            kind="aa",
            recorded_by=counselor,
        )
        for day in range(count)
    )


@pytest.mark.django_db
def test_limited_timeline_is_the_head_of_the_whole_one(counselor1):
    client = EpisodeFactory(primary_counselor=counselor1).client
    _history(client, counselor1, 40)

    whole = chart_timeline(client, viewer=counselor1, limit=None)
    head = chart_timeline(client, viewer=counselor1, limit=CHART_TIMELINE_ENTRIES)

    assert len(whole) > CHART_TIMELINE_ENTRIES
    assert [e.when for e in head] == [e.when for e in whole[:CHART_TIMELINE_ENTRIES]]
    assert [e.when for e in whole] == sorted((e.when for e in whole), reverse=True)


def _recent(client):
    """The chart's Timeline section, as its tab loads it."""
    return reverse("clients:client-section", args=[client.public_id, "timeline"])


def test_chart_loads_its_timeline_when_its_section_is_opened(
    login, counselor1, client_of_counselor1
):
    _varied_history(counselor1, client_of_counselor1)
    browser = login(counselor1)
    chart = reverse("clients:client-detail", kwargs={"client_id": client_of_counselor1.public_id})
    section = reverse("clients:client-section", args=[client_of_counselor1.public_id, "timeline"])

    content = browser.get(chart).content.decode()
    opened = browser.get(section).content.decode()

    assert 'data-kind="' not in content
    assert f'hx-get="{section}"' in content
    # Without scripts, a plain link opens the section on the chart page.
    assert 'href="?section=timeline"' in content
    assert opened.count('data-kind="') == 5


def test_recent_timeline_without_more_entries_has_no_link(login, counselor1, client_of_counselor1):
    _varied_history(counselor1, client_of_counselor1)

    response = login(counselor1).get(_recent(client_of_counselor1))

    content = response.content.decode()
    assert content.count('data-kind="') == 5
    assert 'data-testid="whole-timeline"' not in content


def test_recent_timeline_is_a_view_of_the_record(
    login, counselor1, client_of_counselor1, client_of_counselor2
):
    browser = login(counselor1)

    assert browser.get(_recent(client_of_counselor2)).status_code == 404
    assert browser.post(_recent(client_of_counselor1)).status_code == 405
    assert browser.get(_recent(client_of_counselor1)).status_code == 200
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW)
    assert list(views.values_list("client", flat=True)) == [client_of_counselor1.pk]


def test_recent_timeline_query_count_does_not_grow_with_the_history(
    login, counselor1, django_assert_num_queries
):
    small = EpisodeFactory(primary_counselor=counselor1).client
    large = EpisodeFactory(primary_counselor=counselor1).client
    _history(small, counselor1, 5)
    _history(large, counselor1, 50)
    browser = login(counselor1)

    # The same as the timeline page: it runs the same sources.
    with django_assert_num_queries(TIMELINE_QUERIES):
        browser.get(_recent(small))
    with django_assert_num_queries(TIMELINE_QUERIES):
        assert browser.get(_recent(large)).content.decode().count('data-kind="') == 50


def test_timeline_page_lists_every_entry_a_page_at_a_time(login, counselor1, client_of_counselor1):
    _meetings(client_of_counselor1, counselor1, TIMELINE_PER_PAGE + 20)
    browser = login(counselor1)

    first = browser.get(_url(client_of_counselor1))
    second = browser.get(_url(client_of_counselor1, page=2))

    assert first.status_code == 200
    assert first.content.decode().count('data-kind="meeting"') == TIMELINE_PER_PAGE
    assert second.content.decode().count('data-kind="meeting"') == 20


def test_timeline_page_writes_one_view_audit_event(login, counselor1, client_of_counselor1):
    login(counselor1).get(_url(client_of_counselor1))

    events = AuditEvent.objects.filter(actor=counselor1, client=client_of_counselor1)
    assert events.filter(action=AuditEvent.Action.VIEW).count() == 1


def test_timeline_page_of_a_client_outside_the_policy_is_not_found(
    login, counselor1, client_of_counselor2
):
    response = login(counselor1).get(_url(client_of_counselor2))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(client=client_of_counselor2).exists()


def test_timeline_page_for_intake_of_a_client_in_treatment_is_not_found(
    login, intake, client_of_counselor1
):
    assert login(intake).get(_url(client_of_counselor1)).status_code == 404


def test_timeline_page_redirects_anonymous_to_login(client, client_of_counselor1):
    response = client.get(_url(client_of_counselor1))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_timeline_page_refuses_post(login, counselor1, client_of_counselor1):
    assert login(counselor1).post(_url(client_of_counselor1)).status_code == 405


def test_timeline_page_query_count_does_not_grow_with_the_history(
    login, counselor1, django_assert_num_queries
):
    small = EpisodeFactory(primary_counselor=counselor1).client
    large = EpisodeFactory(primary_counselor=counselor1).client
    _history(small, counselor1, 5)
    _history(large, counselor1, 50)
    browser = login(counselor1)

    with django_assert_num_queries(TIMELINE_QUERIES):
        browser.get(_url(small))
    with django_assert_num_queries(TIMELINE_QUERIES):
        assert browser.get(_url(large)).status_code == 200


def test_drug_test_entry_names_only_the_unexpected_positives(counselor1, client_of_counselor1):
    test = DrugTest.objects.create(
        client=client_of_counselor1,
        collected_on=timezone.localdate(),
        specimen=DrugTest.Specimen.URINE,
        recorded_by=counselor1,
    )
    for substance, result, expected in (
        (Substance.COCAINE, "positive", False),
        (Substance.BUPRENORPHINE, "positive", True),
        (Substance.CANNABIS, "negative", False),
    ):
        DrugTestResult.objects.create(
            test=test, substance=substance, result=result, expected=expected
        )
    DrugTest.objects.create(
        client=client_of_counselor1,
        collected_on=timezone.localdate() - datetime.timedelta(days=1),
        specimen=DrugTest.Specimen.URINE,
        recorded_by=counselor1,
    )

    details = [
        e.detail
        for e in chart_timeline(client_of_counselor1, viewer=counselor1)
        if e.kind == "drug_test"
    ]

    assert details == ["Unexpected positive: Cocaine", "No unexpected positive"]


def test_drug_test_entry_names_invalid_and_refused_results(counselor1, client_of_counselor1):
    test = DrugTest.objects.create(
        client=client_of_counselor1,
        collected_on=timezone.localdate(),
        specimen=DrugTest.Specimen.URINE,
        recorded_by=counselor1,
    )
    for substance, result in (
        (Substance.COCAINE, "refused"),
        (Substance.FENTANYL, "invalid"),
        (Substance.CANNABIS, "negative"),
    ):
        DrugTestResult.objects.create(test=test, substance=substance, result=result)

    [detail] = [
        e.detail
        for e in chart_timeline(client_of_counselor1, viewer=counselor1)
        if e.kind == "drug_test"
    ]

    # A refused or invalid test is not a negative one (DOMAIN.md section 9).
    assert detail == "Invalid: Fentanyl; Refused: Cocaine"
