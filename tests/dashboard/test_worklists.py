"""The worklists page on a large program: a supervisor's plan reviews come a
page at a time, with their total, and the page's queries do not grow."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from iop.clients.models import TreatmentPlan
from iop.dashboard.views import REVIEWS_PER_PAGE
from tests.factories import EpisodeFactory

URL = reverse("dashboard:worklists")

# Every signed-in page 7; unsigned session notes, unsigned group sessions,
# the reviews' count and page, the random-test candidates; for a supervisor
# the two co-signature queues.
SUPERVISOR_WORKLISTS_QUERIES = 7 + 5 + 2


def _due_plans(count, counselor):
    for days in range(count):
        client = EpisodeFactory(primary_counselor=counselor).client
        TreatmentPlan.objects.create(
            client=client,
            episode=client.episodes.get(),
            author=counselor,
            status=TreatmentPlan.Status.ACTIVE,
            signed_by=counselor,
            signed_at=timezone.now() - datetime.timedelta(days=40),
            next_review_due=timezone.localdate() - datetime.timedelta(days=days),
        )


def test_supervisor_reviews_come_a_page_at_a_time(login, supervisor, counselor1):
    _due_plans(REVIEWS_PER_PAGE + 5, counselor1)
    browser = login(supervisor)

    first = browser.get(URL)
    second = browser.get(URL, {"reviews_page": 2})

    assert len(first.context["reviews_due"]) == REVIEWS_PER_PAGE
    assert len(second.context["reviews_due"]) == 5
    # Oldest first, across the pages.
    dues = [plan.next_review_due for plan in first.context["reviews_due"]]
    assert dues == sorted(dues)
    assert max(dues) <= min(plan.next_review_due for plan in second.context["reviews_due"])
    content = first.content.decode()
    assert f'data-testid="reviews-count">{REVIEWS_PER_PAGE + 5}<' in content
    assert "reviews_page=2" in content


def test_a_page_past_the_end_shows_the_last_one(login, supervisor, counselor1):
    _due_plans(3, counselor1)

    response = login(supervisor).get(URL, {"reviews_page": 99})

    assert response.status_code == 200
    assert len(response.context["reviews_due"]) == 3


def test_counselor_reviews_stay_their_own(login, counselor1, counselor2):
    _due_plans(2, counselor1)
    _due_plans(3, counselor2)

    response = login(counselor1).get(URL)

    assert len(response.context["reviews_due"]) == 2
    assert response.context["reviews_page"].paginator.count == 2


@pytest.mark.django_db
def test_supervisor_worklists_query_count_does_not_grow_with_reviews(
    login, supervisor, counselor1, django_assert_num_queries
):
    browser = login(supervisor)
    _due_plans(3, counselor1)
    with django_assert_num_queries(SUPERVISOR_WORKLISTS_QUERIES):
        browser.get(URL)

    _due_plans(60, counselor1)
    with django_assert_num_queries(SUPERVISOR_WORKLISTS_QUERIES):
        response = browser.get(URL)
    assert len(response.context["reviews_due"]) == REVIEWS_PER_PAGE


def test_reviews_due_the_same_day_each_appear_on_exactly_one_page(login, supervisor, counselor1):
    # Many plans share a review date; the pages must still split them
    # without repeating one and dropping another.
    count = 2 * REVIEWS_PER_PAGE + 10
    for _ in range(count):
        client = EpisodeFactory(primary_counselor=counselor1).client
        TreatmentPlan.objects.create(
            client=client,
            episode=client.episodes.get(),
            author=counselor1,
            status=TreatmentPlan.Status.ACTIVE,
            signed_by=counselor1,
            signed_at=timezone.now() - datetime.timedelta(days=40),
            next_review_due=timezone.localdate() - datetime.timedelta(days=1),
        )
    # Rows updated since move in the table: its order is no longer theirs.
    plans = TreatmentPlan.objects.order_by("pk")
    for plan in plans[::3]:
        plan.save()
    browser = login(supervisor)

    shown = [
        plan.pk
        for number in (1, 2, 3)
        for plan in browser.get(URL, {"reviews_page": number}).context["reviews_due"]
    ]

    assert len(shown) == count
    assert len(set(shown)) == count
    # Ties in a fixed order (the plan's id), the same for every page's query.
    assert shown == sorted(shown)
