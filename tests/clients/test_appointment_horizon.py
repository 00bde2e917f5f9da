"""Appointments stay within the horizon (iop/horizon.py): one at 9999-12-31
reached the reminders' quiet-hours arithmetic and overflowed (a 500). The
form refuses it with a clear error, and the scheduling service refuses it
from any caller, naming the field."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from iop import horizon
from iop.clients.models import Appointment
from iop.clients.services import appointment_schedule
from iop.reminders.models import Reminder

pytestmark = pytest.mark.django_db

END_OF_CALENDAR = datetime.datetime(
    9999, 12, 31, 23, 59, tzinfo=zoneinfo.ZoneInfo("America/New_York")
)


def _post(counselor, starts_at: str) -> dict:
    return {
        "kind": Appointment.Kind.INDIVIDUAL,
        "starts_at": starts_at,
        "duration_minutes": "50",
        "counselor": str(counselor.pk),
        "mode": Appointment.Mode.IN_PERSON,
    }


@pytest.mark.parametrize(
    "starts_at", ["9999-12-31T23:59", "9999-12-31T00:00", "0001-01-01T00:00", "1899-12-31T12:00"]
)
def test_an_appointment_beyond_the_horizon_is_a_form_error_and_saves_nothing(
    login, counselor1, client_of_counselor1, starts_at
):
    client_of_counselor1.sms_consent = True
    client_of_counselor1.phone = "+15555550100"
    client_of_counselor1.save()
    browser = login(counselor1)
    browser.raise_request_exception = False

    response = browser.post(
        reverse("clients:appointment-new", args=[client_of_counselor1.public_id]),
        _post(counselor1, starts_at),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["starts_at"] == [horizon.SCHEDULED.error()]
    assert not Appointment.objects.exists()
    assert not Reminder.objects.exists()


def test_the_scheduling_service_refuses_a_time_beyond_the_horizon_naming_the_field(
    counselor1, client_of_counselor1
):
    episode = client_of_counselor1.episodes.get()

    with pytest.raises(ValidationError) as refused:
        appointment_schedule(
            actor=counselor1,
            episode=episode,
            kind=Appointment.Kind.INDIVIDUAL,
            starts_at=END_OF_CALENDAR,
            counselor=counselor1,
        )

    assert list(refused.value.message_dict) == ["starts_at"]
    assert not Appointment.objects.exists()


def test_the_scheduling_service_refuses_a_time_three_years_back(counselor1, client_of_counselor1):
    with pytest.raises(ValidationError):
        appointment_schedule(
            actor=counselor1,
            episode=client_of_counselor1.episodes.get(),
            kind=Appointment.Kind.INDIVIDUAL,
            starts_at=timezone.now() - datetime.timedelta(days=3 * 366),
            counselor=counselor1,
        )

    assert not Appointment.objects.exists()


def test_an_appointment_a_year_ahead_is_still_booked(counselor1, client_of_counselor1):
    appointment = appointment_schedule(
        actor=counselor1,
        episode=client_of_counselor1.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() + datetime.timedelta(days=365),
        counselor=counselor1,
    )

    assert Appointment.objects.get() == appointment
