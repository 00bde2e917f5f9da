"""Safety first: a self-reported PHQ-9 item 9 of 1 or more shows the client
crisis resources at once, raises one safety flag, tells the primary
counselor and every supervisor (in the app, and by a discreet text where
configured) exactly once, and the flag stays until an action is recorded.
The sending runs in a real Celery worker against Redis."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from iop.accounts import roles
from iop.celery import app
from iop.reminders import texts
from iop.reminders.models import Reminder, StaffNotification
from iop.reminders.tasks import dispatch_due_reminders
from outcomes.tasks import send_measure_links
from screening.models import SafetyFlag
from screening.services.administrations import safety_flag_address
from tests.factories import UserFactory
from tests.outcomes.support import DOB, TOKEN_IN_URL, phq9_post
from tests.reminders.support import sms_lines


@pytest.fixture
def worker(transactional_db):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def _answer(client, token, item9):
    assert (
        client.post(
            reverse("selfreport:open", args=[token]), {"date_of_birth": DOB.isoformat()}
        ).status_code
        == 302
    )
    return client.post(reverse("selfreport:form", args=[token]), phq9_post(item9=item9))


def test_a_positive_item_9_alerts_staff_once_and_shows_the_client_crisis_resources(
    worker, due, counselor1, sms_file, no_quiet_hours, settings, client
):
    settings.SAFETY_ALERT_SMS = True
    settings.CLINIC_PHONE = "+1 555 555 0199"
    counselor1.mobile_phone = "+15555550111"
    counselor1.save()
    supervisor = UserFactory(
        username="supervisor", roles=[roles.SUPERVISOR], mobile_phone="+15555550112"
    )
    quiet_supervisor = UserFactory(username="supervisor2", roles=[roles.SUPERVISOR])
    UserFactory(username="counselor2", roles=[roles.COUNSELOR], mobile_phone="+15555550113")
    due.client.email_consent = False
    due.client.save()

    # The day's link, queued and sent by the worker.
    assert send_measure_links.delay().get(timeout=30) == 1
    dispatch_due_reminders.delay().get(timeout=30)
    [text] = sms_lines(sms_file)
    token = TOKEN_IN_URL.search(text["body"]).group(1)

    response = _answer(client, token, item9=1)
    done = client.get(response["Location"])

    page = done.content.decode()
    assert 'data-testid="crisis-resources"' in page
    assert 'href="tel:988"' in page and "988" in page
    assert "+1 555 555 0199" in page
    assert 'href="tel:911"' in page
    assert "PHQ" not in page
    # A replayed submission stores nothing and tells nobody again.
    replay = client.post(reverse("selfreport:form", args=[token]), phq9_post(item9=1))
    assert replay.status_code == 404
    dispatch_due_reminders.delay().get(timeout=30)
    dispatch_due_reminders.delay().get(timeout=30)

    flag = SafetyFlag.objects.get()
    assert flag.client == due.client and flag.is_open
    notified = StaffNotification.objects.filter(kind="safety_flag")
    assert sorted(notified.values_list("recipient__username", flat=True)) == [
        "counselor1",
        "supervisor",
        "supervisor2",
    ]
    staff_texts = [line for line in sms_lines(sms_file) if line["to"] != due.client.phone]
    assert sorted(line["to"] for line in staff_texts) == [
        counselor1.mobile_phone,
        supervisor.mobile_phone,
    ]
    assert {line["body"] for line in staff_texts} == {texts.STAFF_ALERT_SMS}
    for line in staff_texts:
        for secret in (due.client.legal_last_name, due.client.mrn, "PHQ", "988"):
            assert secret not in line["body"]
    assert quiet_supervisor.mobile_phone == ""
    assert Reminder.objects.filter(kind="staff_alert", status="sent").count() == 2

    # The flag stays until the action taken is recorded on the chart.
    assert SafetyFlag.objects.get().is_open
    safety_flag_address(
        actor=counselor1, flag=flag, action=SafetyFlag.Action.SAFETY_PLAN, note="Called; plan made."
    )
    assert not SafetyFlag.objects.get().is_open


def test_no_staff_text_unless_configured(due, counselor1, client, db):
    counselor1.mobile_phone = "+15555550111"
    counselor1.save()
    from tests.outcomes.support import issued_link

    _, token = issued_link(due)

    _answer(client, token, item9=2)

    assert SafetyFlag.objects.count() == 1
    assert StaffNotification.objects.filter(recipient=counselor1, kind="safety_flag").count() == 1
    assert not Reminder.objects.filter(kind="staff_alert").exists()


def test_a_negative_item_9_shows_no_crisis_resources_and_raises_no_flag(due, client, db):
    from tests.outcomes.support import issued_link

    _, token = issued_link(due)

    response = _answer(client, token, item9=0)

    assert b"988" not in client.get(response["Location"]).content
    assert not SafetyFlag.objects.exists()


def test_the_beat_schedule_plans_settles_and_sends_the_links():
    schedule = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert {
        "outcomes.tasks.plan_due_measures",
        "outcomes.tasks.settle_due_measures",
        "outcomes.tasks.send_measure_links",
    } <= schedule
