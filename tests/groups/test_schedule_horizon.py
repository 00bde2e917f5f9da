"""Group sessions stay within the horizon (iop/horizon.py): the move and add
forms and services refuse a time beyond it, and a row stored beyond it before
the bound existed (year 10000 in UTC) no longer breaks the group's pages or
the nightly generation."""

import datetime
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.models import GroupSession, RecurringGroup
from groups.services import schedule
from iop import horizon
from tests.groups.factories import GroupSessionFactory, RecurringGroupFactory

pytestmark = pytest.mark.django_db

# 23:59 in New York on the last day Python knows is 04:59 on 1 January 10000 in UTC.
END_OF_CALENDAR = datetime.datetime(
    9999, 12, 31, 23, 59, tzinfo=zoneinfo.ZoneInfo("America/New_York")
)


@pytest.fixture
def group(counselor1):
    return RecurringGroupFactory(facilitator=counselor1, name="Monday RP")


def _future(days=3, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _stored_beyond_the_horizon(session):
    # What the unbounded move form stored: the row cannot be read back.
    GroupSession.objects.filter(pk=session.pk).update(starts_at=END_OF_CALENDAR)


# --- the forms and services refuse it --------------------------------------------------------


@pytest.mark.parametrize("value", ["9999-12-31T23:59", "0001-01-01T00:00", "1899-12-31T23:59"])
def test_moving_a_session_beyond_the_horizon_says_which_dates_are_possible(
    login, counselor1, group, value
):
    upcoming = GroupSessionFactory(group=group, starts_at=_future())

    response = login(counselor1).post(
        reverse("groups:session-move", args=[upcoming.public_id]), {"starts_at": value}
    )

    assert response.status_code == 302
    assert _messages(response) == [horizon.SCHEDULED.error()]
    assert GroupSession.objects.get(pk=upcoming.pk).starts_at == _future()


def test_adding_a_session_beyond_the_horizon_adds_nothing(login, counselor1, group):
    response = login(counselor1).post(
        reverse("groups:session-add", args=[group.public_id]), {"starts_at": "9999-12-31T23:59"}
    )

    assert _messages(response) == [horizon.SCHEDULED.error()]
    assert not group.sessions.exists()


def test_the_move_service_refuses_a_time_beyond_the_horizon_naming_the_field(counselor1, group):
    upcoming = GroupSessionFactory(group=group, starts_at=_future())

    with pytest.raises(ValidationError) as refused:
        schedule.group_session_move(actor=counselor1, session=upcoming, starts_at=END_OF_CALENDAR)

    assert list(refused.value.message_dict) == ["starts_at"]
    assert GroupSession.objects.get(pk=upcoming.pk).starts_at == _future()


def test_the_add_service_refuses_a_time_three_years_ahead(counselor1, group):
    with pytest.raises(ValidationError) as refused:
        schedule.group_session_add(actor=counselor1, group=group, starts_at=_future(days=3 * 366))

    assert list(refused.value.message_dict) == ["starts_at"]
    assert not group.sessions.exists()


def test_a_session_two_years_ahead_can_still_be_added(counselor1, group):
    latest = horizon.SCHEDULED.bounds()[1]
    starts_at = timezone.make_aware(datetime.datetime.combine(latest, datetime.time(18, 0)))

    schedule.group_session_add(actor=counselor1, group=group, starts_at=starts_at)

    assert group.sessions.get().starts_at == starts_at


# --- a row stored beyond it --------------------------------------------------------------------


def test_the_group_page_shows_the_other_sessions_beside_a_row_beyond_the_horizon(
    login, counselor1, group
):
    broken = GroupSessionFactory(group=group, starts_at=_future())
    kept = GroupSessionFactory(group=group, starts_at=_future(days=7))
    _stored_beyond_the_horizon(broken)

    response = login(counselor1).get(reverse("groups:group-detail", args=[group.public_id]))

    assert response.status_code == 200
    assert list(response.context["upcoming"]) == [kept]


def test_the_page_of_a_session_beyond_the_horizon_is_a_404_not_a_500(login, counselor1, group):
    broken = GroupSessionFactory(group=group, starts_at=_future())
    _stored_beyond_the_horizon(broken)
    browser = login(counselor1)

    answers = [
        browser.get(reverse("groups:session-detail", args=[broken.public_id])).status_code,
        browser.post(
            reverse("groups:session-move", args=[broken.public_id]),
            {"starts_at": _future(days=4).strftime("%Y-%m-%dT%H:%M")},
        ).status_code,
        browser.post(
            reverse("groups:session-cancel", args=[broken.public_id]), {"reason": "Typo"}
        ).status_code,
    ]

    assert answers == [404, 404, 404]


def test_cancelling_another_session_of_the_group_still_works(login, counselor1, group):
    broken = GroupSessionFactory(group=group, starts_at=_future(days=14))
    earlier = GroupSessionFactory(group=group, starts_at=_future())
    _stored_beyond_the_horizon(broken)

    schedule.group_session_cancel(actor=counselor1, session=earlier, reason="Snow")

    assert GroupSession.objects.get(pk=earlier.pk).status == GroupSession.Status.CANCELLED


def test_the_nightly_generation_goes_on_beside_a_row_beyond_the_horizon(group):
    broken = GroupSessionFactory(group=group, starts_at=_future())
    _stored_beyond_the_horizon(broken)
    other = RecurringGroupFactory(name="Other RP")

    created = schedule.group_sessions_generate_all()

    assert created > 0
    assert other.sessions.exists()
    assert group.sessions.exclude(pk=broken.pk).exists()


def test_a_group_whose_first_day_is_beyond_the_horizon_generates_nothing_and_stops_nobody(group):
    late = RecurringGroupFactory(name="Late RP", weekday=RecurringGroup.Weekday.MONDAY)
    # The admin form now refuses it (OUTER); the Monday after it does not exist.
    RecurringGroup.objects.filter(pk=late.pk).update(starts_on=datetime.date(9999, 12, 31))

    schedule.group_sessions_generate_all()

    assert not late.sessions.exists()
    assert group.sessions.exists()
