"""A counselor sends a link now, from the chart (outcomes:link-send)."""

import pytest
from django.urls import reverse

from iop.audit.models import AuditEvent
from iop.reminders.models import Reminder
from outcomes.models import DueMeasure, SelfReportLink
from tests.outcomes.support import due_by_link

pytestmark = pytest.mark.django_db


def _url(due):
    return reverse("outcomes:link-send", args=[due.client.public_id, due.public_id])


def test_a_counselor_sends_a_link_now_and_it_is_audited(login, counselor1, due):
    response = login(counselor1).post(_url(due))

    assert response.status_code == 302
    links = SelfReportLink.objects.filter(due=due)
    assert sorted(links.values_list("channel", flat=True)) == ["email", "sms"]
    assert set(links.values_list("requested_by", flat=True)) == {counselor1.pk}
    assert Reminder.objects.filter(kind="measure_link", status="pending").count() == 2
    assert AuditEvent.objects.filter(
        actor=counselor1, client=due.client, details__self_report_link="sent"
    ).exists()


def test_sending_again_replaces_the_live_link(login, counselor1, due):
    browser = login(counselor1)
    browser.post(_url(due))
    first = set(SelfReportLink.objects.values_list("pk", flat=True))

    browser.post(_url(due))

    assert SelfReportLink.objects.filter(pk__in=first, cancelled_at__isnull=False).count() == 2
    assert SelfReportLink.objects.filter(cancelled_at__isnull=True).count() == 2


def test_a_counselor_gets_404_for_other_caseload(login, counselor2, due):
    response = login(counselor2).post(_url(due))

    assert response.status_code == 404
    assert not SelfReportLink.objects.exists()


def test_a_measure_of_another_client_is_404(login, counselor1, due, client_of_counselor1):
    url = reverse("outcomes:link-send", args=[client_of_counselor1.public_id, due.public_id])

    assert login(counselor1).post(url).status_code == 404


def test_intake_staff_may_not_send_a_link(login, intake, supervisor, due):
    # Intake does not see an admitted client: 404 before the role check.
    assert login(intake).post(_url(due)).status_code == 404


def test_get_is_not_allowed(login, counselor1, due):
    assert login(counselor1).get(_url(due)).status_code == 405


def test_no_consent_is_an_error_message_and_sends_nothing(login, counselor1, due):
    client = due.client
    client.sms_consent = client.email_consent = False
    client.save()

    response = login(counselor1).post(_url(due), follow=True)

    assert "has not agreed to texts or email" in response.content.decode()
    assert not SelfReportLink.objects.exists()


def test_a_completed_measure_gets_no_link(login, counselor1, episode):
    due = due_by_link(episode)
    DueMeasure.objects.filter(pk=due.pk).update(status=DueMeasure.Status.COMPLETED)

    response = login(counselor1).post(_url(due), follow=True)

    assert "no longer due" in response.content.decode()
    assert not SelfReportLink.objects.exists()
