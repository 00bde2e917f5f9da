"""The Notifications page within the access policy: a notification about a
client the user can no longer open is kept (never deleted) but shown without
its text or link; the clients of the others are audited as seen on the list,
and the page's queries do not grow with the notifications."""

import pytest
from django.urls import reverse

from iop.audit.models import AuditEvent
from iop.clients.services import episode_assign_counselor
from iop.reminders.models import StaffNotification
from iop.reminders.services import staff_notify
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db

URL = reverse("reminders:notification-list")
HIDDEN = "A notification about a client you can no longer open"
# Every signed-in page 7 (see tests/dashboard/test_views.py), the
# notifications (with whether each client is still open to the user) and one
# insert of the view events of the clients named.
NOTIFICATION_LIST_QUERIES = 7 + 2


def _notify(user, client):
    [notification] = staff_notify(
        recipients=[user],
        kind="test",
        client=client,
        message=f"Check-in missed by client {client.mrn}",
        link=reverse("clients:client-detail", args=[client.public_id]),
    )
    return notification


def test_a_notification_about_a_client_reassigned_away_is_kept_without_text_or_link(
    login, supervisor, counselor1, counselor2, client_of_counselor2
):
    notification = _notify(counselor2, client_of_counselor2)
    episode_assign_counselor(
        actor=supervisor, episode=client_of_counselor2.episodes.get(), counselor=counselor1
    )

    response = login(counselor2).get(URL)

    content = response.content.decode()
    assert HIDDEN in content
    assert client_of_counselor2.mrn not in content
    assert str(client_of_counselor2.public_id) not in content
    assert StaffNotification.objects.filter(pk=notification.pk).exists()
    # It can still be marked as read.
    assert f'name="id" value="{notification.pk}"' in content


def test_a_notification_about_a_client_in_care_shows_its_text_and_link(
    login, counselor1, client_of_counselor1
):
    notification = _notify(counselor1, client_of_counselor1)

    content = login(counselor1).get(URL).content.decode()

    assert notification.message in content
    assert f'href="{notification.link}"' in content
    assert HIDDEN not in content


def test_a_notification_about_no_client_shows_its_text(login, counselor1):
    staff_notify(recipients=[counselor1], kind="test", message="The outbox is healthy again.")

    content = login(counselor1).get(URL).content.decode()

    assert "The outbox is healthy again." in content
    assert HIDDEN not in content


def test_the_list_audits_a_view_of_each_client_it_names_and_none_it_hides(
    login, supervisor, counselor1, counselor2, client_of_counselor1, client_of_counselor2
):
    _notify(counselor1, client_of_counselor1)
    _notify(counselor1, client_of_counselor1)
    _notify(counselor1, client_of_counselor2)

    login(counselor1).get(URL)

    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW)
    assert (event.client, event.actor) == (client_of_counselor1, counselor1)
    assert event.details == {"list": "notifications"}


def test_the_list_query_count_does_not_grow_with_notifications(
    login, counselor1, counselor2, django_assert_num_queries
):
    def add(count):
        for number in range(count):
            counselor = counselor1 if number % 2 else counselor2
            _notify(counselor1, EpisodeFactory(primary_counselor=counselor).client)

    browser = login(counselor1)
    add(2)
    with django_assert_num_queries(NOTIFICATION_LIST_QUERIES):
        browser.get(URL)

    add(20)
    with django_assert_num_queries(NOTIFICATION_LIST_QUERIES):
        response = browser.get(URL)
    assert response.content.decode().count(HIDDEN) == 11
