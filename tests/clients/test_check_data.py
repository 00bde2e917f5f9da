"""manage.py check_data reports rows dated outside the horizon (model, id,
field, value, how to fix), changes nothing, and exits with status 1."""

import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from groups.models import GroupSession
from iop.clients.models import Appointment, Client
from iop.clients.services import appointment_schedule
from iop.reminders.models import Reminder
from tests.groups.factories import GroupSessionFactory

pytestmark = pytest.mark.django_db

# What the unbounded move form stored: 04:59 on 1 January 10000 in UTC.
END_OF_CALENDAR = datetime.datetime(
    9999, 12, 31, 23, 59, tzinfo=zoneinfo.ZoneInfo("America/New_York")
)


def _check_data():
    out = io.StringIO()
    try:
        call_command("check_data", stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), ""


def _as_text(table: str, column: str, pk) -> str:
    # Read in the database: Python cannot build a datetime of year 10000.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column}::text FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_a_program_with_plausible_dates_passes(counselor1, client_of_counselor1):
    GroupSessionFactory()

    status, out, _ = _check_data()

    assert status == 0
    assert out.startswith("Every date lies between 1900-01-01 and ")


def test_a_group_session_moved_to_year_10000_is_reported_with_a_fix_and_status_1(db):
    session = GroupSessionFactory()
    GroupSession.objects.filter(pk=session.pk).update(starts_at=END_OF_CALENDAR)

    status, out, error = _check_data()

    assert status == 1
    assert (
        f"groups.groupsession id={session.pk} (public id {session.public_id}) starts_at ="
        " 10000-01-01 04:59:00+00"
    ) in out
    assert "Set starts_at to the time the session was meant to have" in out
    assert f"apps.get_model('groups.GroupSession').objects.filter(pk={session.pk})" in out
    assert error.startswith("1 value(s) outside 1900-01-01 to ")


def test_dates_before_1900_and_beyond_two_years_are_reported_per_field(
    counselor1, client_of_counselor1
):
    Client.objects.filter(pk=client_of_counselor1.pk).update(date_of_birth=datetime.date(1, 1, 1))
    appointment = appointment_schedule(
        actor=counselor1,
        episode=client_of_counselor1.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        counselor=counselor1,
    )
    three_years = timezone.now() + datetime.timedelta(days=3 * 366)
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=three_years)

    status, out, _ = _check_data()

    assert status == 1
    assert f"clients.client id={client_of_counselor1.pk}" in out
    assert "date_of_birth = 0001-01-01" in out
    assert f"clients.appointment id={appointment.pk}" in out
    assert out.count("  fix: ") == 2


def test_the_check_changes_nothing(db):
    session = GroupSessionFactory()
    GroupSession.objects.filter(pk=session.pk).update(starts_at=END_OF_CALENDAR)
    reminders = Reminder.objects.count()

    _check_data()

    assert _as_text("groups_groupsession", "starts_at", session.pk) == "10000-01-01 04:59:00+00"
    assert Reminder.objects.count() == reminders
