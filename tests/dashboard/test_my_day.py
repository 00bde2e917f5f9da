"""My day within the access policy: an appointment names its client only for
a counselor who may open that client (booking a counselor opens the client
to them for the appointment: covering), and each client named is audited as
seen on the list. The page's query count is pinned in tests/groups/test_views.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.clients.models import Appointment
from iop.clients.services import appointment_schedule, episode_discharge
from iop.clients.services.sessions import appointment_cancel

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:my-day")


def _later_today(hours=1):
    # Later today, but never past midnight (My day lists today only).
    now = timezone.localtime()
    end_of_day = now.replace(hour=23, minute=59, second=0, microsecond=0)
    return min(now + datetime.timedelta(hours=hours), end_of_day)


def _booked(*, supervisor, client, counselor):
    """A supervisor books today's individual session for `client` with `counselor`."""
    return appointment_schedule(
        actor=supervisor,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=_later_today(),
        counselor=counselor,
    )


def _chart(client):
    return reverse("clients:client-detail", args=[client.public_id])


def test_a_session_booked_with_another_counselor_names_the_client_and_opens_the_chart(
    login, supervisor, counselor2, client_of_counselor1
):
    _booked(supervisor=supervisor, client=client_of_counselor1, counselor=counselor2)
    browser = login(counselor2)

    content = browser.get(URL).content.decode()

    assert client_of_counselor1.display_name in content
    assert _chart(client_of_counselor1) in content
    assert browser.get(_chart(client_of_counselor1)).status_code == 200


def test_a_cancelled_session_does_not_name_a_client_the_counselor_cannot_open(
    login, supervisor, counselor2, client_of_counselor1
):
    appointment = _booked(supervisor=supervisor, client=client_of_counselor1, counselor=counselor2)
    appointment_cancel(actor=supervisor, appointment=appointment, reason="cancelled_client")

    response = login(counselor2).get(URL)

    content = response.content.decode()
    assert response.context["appointments"] == []
    assert client_of_counselor1.display_name not in content
    assert _chart(client_of_counselor1) not in content


def test_a_session_of_a_client_since_discharged_is_left_out(
    login, supervisor, counselor2, client_of_counselor1
):
    _booked(supervisor=supervisor, client=client_of_counselor1, counselor=counselor2)
    episode_discharge(
        actor=supervisor,
        episode=client_of_counselor1.episodes.get(),
        discharge_date=timezone.localdate(),
        reason=7,
    )

    response = login(counselor2).get(URL)

    assert client_of_counselor1.display_name not in response.content.decode()


def test_the_primary_counselor_still_sees_a_cancelled_session_of_their_client(
    login, counselor1, client_of_counselor1
):
    appointment = _booked(supervisor=counselor1, client=client_of_counselor1, counselor=counselor1)
    appointment_cancel(actor=counselor1, appointment=appointment, reason="cancelled_client")

    response = login(counselor1).get(URL)

    assert response.context["appointments"] == [appointment]


def test_my_day_audits_a_view_of_each_client_it_names(
    login, supervisor, counselor1, client_of_counselor1
):
    _booked(supervisor=supervisor, client=client_of_counselor1, counselor=counselor1)
    _booked(supervisor=supervisor, client=client_of_counselor1, counselor=counselor1)

    login(counselor1).get(URL)

    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW)
    assert (event.client, event.actor) == (client_of_counselor1, counselor1)
    assert event.details == {"list": "my_day"}


def test_my_day_without_sessions_writes_no_view_event(login, counselor1, client_of_counselor1):
    login(counselor1).get(URL)

    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()
