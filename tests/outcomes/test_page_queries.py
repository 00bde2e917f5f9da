"""The link pages are the hot path of a morning's texts: their query counts
do not grow with the clinic (pinned at two sizes, as STYLE.md asks)."""

import pytest
from django.urls import reverse

from tests.factories import EpisodeFactory
from tests.outcomes.support import DOB, due_by_link, issued_link

pytestmark = pytest.mark.django_db


def _other_links(count: int) -> None:
    for _ in range(count):
        issued_link(due_by_link(EpisodeFactory()))


@pytest.mark.parametrize("others", [1, 10])
def test_the_date_of_birth_page_makes_the_same_queries_whatever_the_clinic(
    client, due, others, django_assert_num_queries
):
    _other_links(others)
    _, token = issued_link(due)

    # The link with its measure and client; the audit row.
    with django_assert_num_queries(2):
        assert client.get(reverse("selfreport:open", args=[token])).status_code == 200


@pytest.mark.parametrize("others", [1, 10])
def test_the_form_makes_the_same_queries_whatever_the_clinic(
    client, due, others, django_assert_num_queries
):
    _other_links(others)
    _, token = issued_link(due)
    client.post(reverse("selfreport:open", args=[token]), {"date_of_birth": DOB.isoformat()})

    # The session, the link, the audit row.
    with django_assert_num_queries(3):
        assert client.get(reverse("selfreport:form", args=[token])).status_code == 200
