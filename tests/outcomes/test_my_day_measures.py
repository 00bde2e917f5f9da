"""My day lists the measures due of the clients the counselor may see, each
client audited as seen on the list, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from screening.services import administration_record
from tests.factories import EpisodeFactory
from tests.outcomes.shortcuts import bam, due_measure

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:my-day")
ROW = 'data-testid="measure-due"'
# As tests/groups/test_views.py pins My day (MY_DAY_QUERIES): the signed-in
# layout 7; today's sessions, appointments and unsigned sessions, the
# measures due (within the policy) and one insert of the view events.
MY_DAY_QUERIES = 7 + 5


def test_my_day_lists_measures_due_of_my_clients_only(
    login, counselor1, client_of_counselor1, client_of_counselor2
):
    due_measure(client_of_counselor1, instrument="BAM")
    due_measure(client_of_counselor2, instrument="PHQ-9")

    response = login(counselor1).get(URL)

    page = response.content.decode()
    assert page.count(ROW) == 1
    assert client_of_counselor1.display_name in page
    assert client_of_counselor2.display_name not in page
    assert "BAM due" in page
    assert f"{client_of_counselor1.public_id}/?section=measures" in page


def test_measures_not_due_today_or_answered_are_not_listed(login, counselor1, client_of_counselor1):
    today = timezone.localdate()
    due_measure(client_of_counselor1, instrument="BAM", due_on=today + datetime.timedelta(days=1))
    due_measure(client_of_counselor1, instrument="GAD-7")
    administration_record(
        actor=counselor1,
        client=client_of_counselor1,
        code="GAD-7",
        answers=dict.fromkeys("1234567", 0),
    )

    page = login(counselor1).get(URL).content.decode()

    assert ROW not in page
    assert "No measure is due." in page


def test_each_client_listed_is_audited_as_seen(login, counselor1, client_of_counselor1):
    due_measure(client_of_counselor1, instrument="BAM")

    login(counselor1).get(URL)

    event = AuditEvent.objects.get(client=client_of_counselor1, action=AuditEvent.Action.VIEW)
    assert event.details == {"list": "my_day"}


def test_my_day_query_count_does_not_grow_with_measures_due(
    login, counselor1, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            client = EpisodeFactory(primary_counselor=counselor1).client
            due_measure(client, instrument="BAM")
            due_measure(client, instrument="PHQ-9")
            administration_record(actor=counselor1, client=client, code="BAM", answers=bam())

    browser = login(counselor1)
    add(2)
    with django_assert_num_queries(MY_DAY_QUERIES):
        response = browser.get(URL)
    assert len(response.context["measures_due"]) == 2
    add(18)
    with django_assert_num_queries(MY_DAY_QUERIES):
        response = browser.get(URL)
    assert len(response.context["measures_due"]) == 20
