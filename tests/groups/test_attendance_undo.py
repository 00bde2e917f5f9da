"""Marking attendance saves at once and, instead of a confirmation, offers
for a few seconds to put back what the row said before."""

import pytest
from django.urls import reverse

from groups.models import Attendance
from tests.groups.factories import GroupSessionFactory, RecurringGroupFactory, enroll

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(counselor1):
    group = RecurringGroupFactory(facilitator=counselor1, name="Monday RP")
    enroll(group, 2)
    return GroupSessionFactory(group=group)


@pytest.fixture
def member(session):
    return session.group.enrollments.first().episode.client


def _toggle(browser, session, client, status, **extra):
    data = {"client": str(client.pk), "status": status, **extra}
    url = reverse("groups:attendance-toggle", args=[session.public_id])
    return browser.post(url, data, HTTP_HX_REQUEST="true")


def test_a_changed_attendance_offers_to_undo_back_to_present(login, counselor1, session, member):
    content = _toggle(login(counselor1), session, member, "absent").content.decode()

    assert 'data-testid="undo-attendance"' in content
    assert '"status": "present", "undo": "1"' in content
    assert "Undo (back to Present)" in content


def test_the_undo_offers_the_status_saved_before(login, counselor1, session, member):
    browser = login(counselor1)
    _toggle(browser, session, member, "late")

    content = _toggle(browser, session, member, "absent").content.decode()

    assert '"status": "late", "undo": "1"' in content


def test_undoing_puts_the_status_back_and_offers_no_further_undo(
    login, counselor1, session, member
):
    browser = login(counselor1)
    _toggle(browser, session, member, "absent")

    response = _toggle(browser, session, member, "present", undo="1")

    assert response.status_code == 200
    assert 'data-testid="undo-attendance"' not in response.content.decode()
    assert Attendance.objects.get(session=session, client=member).status == "present"


def test_marking_the_status_it_already_has_offers_no_undo(login, counselor1, session, member):
    content = _toggle(login(counselor1), session, member, "present").content.decode()

    assert 'data-testid="undo-attendance"' not in content


def test_undo_is_404_to_a_counselor_outside_the_group(login, counselor2, session, member):
    response = _toggle(login(counselor2), session, member, "present", undo="1")

    assert response.status_code == 404
    assert not Attendance.objects.exists()
