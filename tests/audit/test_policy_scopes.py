"""The access policy's scopes beyond a counselor's own caseload: covering an
appointment, facilitating a group (while enrolled or recently attending),
and the record of a client one discharged; how a view through them is
audited; and who holds the whole record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Attendance, Enrollment
from iop.audit.models import AuditEvent
from iop.audit.policy import client_get_for_user, clients_visible_to, holds_record
from iop.clients.models import Appointment, Episode
from tests.factories import EpisodeFactory
from tests.groups.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
)

pytestmark = pytest.mark.django_db


def _appointment(client, counselor, *, starts_in, status=Appointment.Status.SCHEDULED):
    return Appointment.objects.create(
        client=client,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() + starts_in,
        counselor=counselor,
        status=status,
    )


# --- covering an appointment ------------------------------------------------


def test_counselor_booked_for_another_caseloads_client_sees_them_for_the_window(
    counselor2, client_of_counselor1
):
    _appointment(client_of_counselor1, counselor2, starts_in=datetime.timedelta(hours=3))

    assert client_of_counselor1 in clients_visible_to(counselor2)


@pytest.mark.parametrize(
    "starts_in",
    [datetime.timedelta(days=7, minutes=5), -datetime.timedelta(hours=72, minutes=5)],
    ids=["more than a week ahead", "more than 72 hours ago"],
)
def test_covering_opens_nothing_outside_the_window(counselor2, client_of_counselor1, starts_in):
    _appointment(client_of_counselor1, counselor2, starts_in=starts_in)

    assert client_of_counselor1 not in clients_visible_to(counselor2)


def test_a_cancelled_appointment_opens_nothing(counselor2, client_of_counselor1):
    _appointment(
        client_of_counselor1,
        counselor2,
        starts_in=datetime.timedelta(hours=3),
        status=Appointment.Status.CANCELLED_PROGRAM,
    )

    assert client_of_counselor1 not in clients_visible_to(counselor2)


def test_a_chart_opened_while_covering_is_audited_as_covering(
    login, counselor2, client_of_counselor1
):
    _appointment(client_of_counselor1, counselor2, starts_in=datetime.timedelta(hours=3))

    response = login(counselor2).get(
        reverse("clients:client-detail", args=[client_of_counselor1.public_id])
    )

    assert response.status_code == 200
    event = AuditEvent.objects.get(actor=counselor2, client=client_of_counselor1, action="view")
    assert event.details == {"access": ["covering"]}


def test_a_chart_of_ones_own_caseload_is_audited_without_an_access_note(
    login, counselor1, client_of_counselor1
):
    login(counselor1).get(reverse("clients:client-detail", args=[client_of_counselor1.public_id]))

    event = AuditEvent.objects.get(actor=counselor1, client=client_of_counselor1, action="view")
    assert event.details == {}


# --- facilitating a group -----------------------------------------------------


@pytest.fixture
def group(counselor2):
    return RecurringGroupFactory(facilitator=counselor2)


def test_facilitator_sees_a_member_enrolled_today(group, counselor2, client_of_counselor1):
    EnrollmentFactory(group=group, episode=client_of_counselor1.episodes.get())

    assert client_of_counselor1 in clients_visible_to(counselor2)


def test_an_enrollment_that_starts_later_opens_nothing_yet(group, counselor2, client_of_counselor1):
    # Admission enrolls a client in Social Support from week 13 at once.
    EnrollmentFactory(
        group=group,
        episode=client_of_counselor1.episodes.get(),
        start_date=timezone.localdate() + datetime.timedelta(weeks=10),
    )

    assert client_of_counselor1 not in clients_visible_to(counselor2)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Enrollment.Status.ENDED},
        {"end_date": datetime.date(2026, 1, 31)},
    ],
    ids=["ended", "past its end date"],
)
def test_an_enrollment_no_longer_in_force_opens_nothing(
    group, counselor2, client_of_counselor1, fields
):
    EnrollmentFactory(group=group, episode=client_of_counselor1.episodes.get(), **fields)

    assert client_of_counselor1 not in clients_visible_to(counselor2)


def test_one_who_attended_a_session_in_the_last_14_days_stays_visible(
    group, counselor2, client_of_counselor1
):
    session = GroupSessionFactory(
        group=group, starts_at=timezone.now() - datetime.timedelta(days=13)
    )
    AttendanceFactory(session=session, episode=client_of_counselor1.episodes.get())

    assert client_of_counselor1 in clients_visible_to(counselor2)


@pytest.mark.parametrize(
    ("days_ago", "status"),
    [(15, Attendance.Status.PRESENT), (2, Attendance.Status.ABSENT)],
    ids=["attended 15 days ago", "absent two days ago"],
)
def test_an_old_or_missed_session_opens_nothing(
    group, counselor2, client_of_counselor1, days_ago, status
):
    session = GroupSessionFactory(
        group=group, starts_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    AttendanceFactory(session=session, episode=client_of_counselor1.episodes.get(), status=status)

    assert client_of_counselor1 not in clients_visible_to(counselor2)


def test_a_facilitator_loses_a_member_whose_episode_closed(group, counselor2):
    episode = EpisodeFactory(
        phase=Episode.Phase.DISCHARGED,
        discharge_date=timezone.localdate(),
        discharge_reason=Episode.DischargeReason.COMPLETED,
    )
    EnrollmentFactory(group=group, episode=episode)

    assert episode.client not in clients_visible_to(counselor2)


# --- who holds the whole record ---------------------------------------------------


def test_the_primary_counselor_holds_the_record(counselor1, client_of_counselor1):
    client = client_get_for_user(counselor1, client_of_counselor1.public_id)

    assert holds_record(counselor1, client)


def test_a_facilitator_or_covering_counselor_does_not_hold_the_record(
    group, counselor2, client_of_counselor1
):
    EnrollmentFactory(group=group, episode=client_of_counselor1.episodes.get())
    _appointment(client_of_counselor1, counselor2, starts_in=datetime.timedelta(hours=1))

    client = client_get_for_user(counselor2, client_of_counselor1.public_id)

    assert sorted(client.access_scopes) == ["covering", "group"]
    assert not holds_record(counselor2, client)


def test_supervisors_hold_every_record(supervisor, client_of_counselor1):
    assert holds_record(supervisor, client_of_counselor1)


def test_holds_record_asks_the_policy_for_a_client_not_read_through_it(
    counselor1, counselor2, client_of_counselor1
):
    assert holds_record(counselor1, client_of_counselor1)
    assert not holds_record(counselor2, client_of_counselor1)


def test_the_counselor_who_discharged_a_client_holds_the_record_for_the_period(counselor1):
    episode = EpisodeFactory(
        primary_counselor=counselor1,
        phase=Episode.Phase.DISCHARGED,
        discharge_date=timezone.localdate() - datetime.timedelta(days=10),
        discharge_reason=Episode.DischargeReason.COMPLETED,
    )

    client = client_get_for_user(counselor1, episode.client.public_id)

    assert client.access_scopes == ["recently_discharged"]
    assert holds_record(counselor1, client)
