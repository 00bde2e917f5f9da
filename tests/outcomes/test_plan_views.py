"""The measurement plan's pages: administrators add, edit and take lines out
of use; nobody else may."""

import pytest
from django.urls import reverse

from iop.audit.models import AuditEvent
from outcomes.models import MeasurePlanEntry
from tests.factories import EpisodeFactory
from tests.outcomes.shortcuts import due_measure, plan_entry

pytestmark = pytest.mark.django_db

PLAN = reverse("outcomes:plan")
ADD = reverse("outcomes:plan-add")


def _edit(entry):
    return reverse("outcomes:plan-edit", args=[entry.pk])


def _deactivate(entry):
    return reverse("outcomes:plan-deactivate", args=[entry.pk])


def _post(**values):
    return {
        "instrument": "BAM",
        "moment": "every",
        "every_days": "",
        "aftercare_month": "",
        "method": "link",
        "window_days": "7",
        **values,
    }


@pytest.fixture
def empty_plan():
    MeasurePlanEntry.objects.all().delete()


def test_administrator_sees_the_plan(login, administrator, empty_plan):
    plan_entry(instrument="PHQ-9", moment="every", every_days=30)

    response = login(administrator).get(PLAN)

    assert response.status_code == 200
    assert "every 30 days in the intensive phase" in response.content.decode()


@pytest.mark.parametrize("role", ["counselor1", "supervisor", "intake", "billing_user"])
def test_other_roles_may_not_open_or_change_the_plan(request, login, role, empty_plan):
    browser = login(request.getfixturevalue(role))
    entry = plan_entry()

    assert browser.get(PLAN).status_code == 403
    assert browser.post(ADD, _post(every_days="28")).status_code == 403
    assert browser.post(_deactivate(entry)).status_code == 403
    assert MeasurePlanEntry.objects.count() == 1


def test_the_plan_is_in_the_administrators_navigation(login, administrator, counselor1):
    assert PLAN in login(administrator).get(reverse("dashboard:system-status")).content.decode()
    assert PLAN not in login(counselor1).get(reverse("dashboard:my-day")).content.decode()


def test_administrator_adds_a_line_audited(login, administrator, empty_plan):
    response = login(administrator).post(ADD, _post(every_days="28"))

    assert response.status_code == 302
    entry = MeasurePlanEntry.objects.get()
    assert (entry.instrument, entry.moment, entry.every_days) == ("BAM", "every", 28)
    event = AuditEvent.objects.get(object_type="outcomes.measureplanentry")
    assert event.action == AuditEvent.Action.CREATE
    assert event.client is None


@pytest.mark.parametrize("days", ["", "6", "181", "-1", "abc"])
def test_every_needs_an_interval_of_7_to_180_days(login, administrator, empty_plan, days):
    response = login(administrator).post(ADD, _post(every_days=days))

    assert response.status_code == 400
    assert response.context["form"].errors["every_days"]
    assert not MeasurePlanEntry.objects.exists()


@pytest.mark.parametrize("month", ["", "0", "13"])
def test_aftercare_needs_a_month_of_1_to_12(login, administrator, empty_plan, month):
    response = login(administrator).post(ADD, _post(moment="aftercare", aftercare_month=month))

    assert response.status_code == 400
    assert response.context["form"].errors["aftercare_month"]


def test_fields_of_another_moment_are_ignored(login, administrator, empty_plan):
    login(administrator).post(ADD, _post(moment="admission", every_days="3", aftercare_month="40"))

    entry = MeasurePlanEntry.objects.get()
    assert (entry.every_days, entry.aftercare_month) == (None, None)


def test_a_second_line_for_the_same_schedule_is_refused(login, administrator, empty_plan):
    plan_entry(moment="aftercare", aftercare_month=3)

    response = login(administrator).post(ADD, _post(moment="aftercare", aftercare_month="3"))

    assert response.status_code == 400
    assert MeasurePlanEntry.objects.count() == 1


def test_window_longer_than_sixty_days_is_refused(login, administrator, empty_plan):
    response = login(administrator).post(ADD, _post(moment="admission", window_days="61"))

    assert response.status_code == 400


def test_administrator_edits_a_line_not_yet_used(login, administrator, empty_plan):
    entry = plan_entry(moment="every", every_days=28)

    response = login(administrator).post(_edit(entry), _post(every_days="21", method="kiosk"))

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.every_days, entry.method) == (21, "kiosk")
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert sorted(event.details["fields"]) == ["every_days", "method"]


def test_a_line_that_made_measures_due_keeps_its_schedule(login, administrator, empty_plan):
    entry = plan_entry(moment="every", every_days=28)
    due_measure(EpisodeFactory().client, plan_entry=entry)
    browser = login(administrator)

    page = browser.get(_edit(entry)).content.decode()
    browser.post(_edit(entry), _post(instrument="GAD-7", every_days="21", method="phone"))

    assert "its instrument and schedule stay as they are" in page
    entry.refresh_from_db()
    # Disabled fields keep their value; how it is given may change.
    assert (entry.instrument, entry.every_days, entry.method) == ("BAM", 28, "phone")


def test_deactivating_keeps_the_line_and_its_due_measures(login, administrator, empty_plan):
    entry = plan_entry()
    due = due_measure(EpisodeFactory().client, plan_entry=entry)

    response = login(administrator).post(_deactivate(entry))

    assert response.status_code == 302
    entry.refresh_from_db()
    due.refresh_from_db()
    assert entry.active is False
    assert due.plan_entry == entry
    assert AuditEvent.objects.filter(details__active=False).exists()


def test_deactivate_is_post_only(login, administrator, empty_plan):
    assert login(administrator).get(_deactivate(plan_entry())).status_code == 405


def test_editing_a_missing_line_is_404(login, administrator):
    assert login(administrator).get(reverse("outcomes:plan-edit", args=[999999])).status_code == 404
