"""The discharge (iop.clients.services.episode_discharge) ends what the
episode had ahead in its own transaction: the core cancels the future
appointments and the client's pending reminders, the groups app's discharge
hook ends the enrollments, and a hook that fails undoes all of it. The
step-down hook moves Social Support into aftercare whoever steps down."""

import datetime

import pytest
from django.utils import timezone

from groups.models import Enrollment
from iop.clients.models import Appointment, Episode
from iop.clients.services import appointment_schedule, episode_discharge, episode_start_aftercare
from iop.extensions import DISCHARGE_HOOKS
from iop.reminders.models import Reminder
from tests.factories import ClientFactory, EpisodeFactory
from tests.groups.factories import EnrollmentFactory, RecurringGroupFactory, track

pytestmark = pytest.mark.django_db

PHONE = "+15555550123"


def _in_three_days_at(hour: int) -> datetime.datetime:
    # Both reminders (24 h and 2 h before) are still to send, whatever the hour now.
    day = timezone.localdate() + datetime.timedelta(days=3)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def episode(counselor1):
    """An admitted episode of a client who agreed to text reminders, in a
    group, with an individual session booked three days ahead."""
    today = timezone.localdate()
    episode = EpisodeFactory(
        client=ClientFactory(sms_consent=True, phone=PHONE),
        primary_counselor=counselor1,
        referral_date=today - datetime.timedelta(days=30),
        admission_date=today - datetime.timedelta(days=20),
    )
    EnrollmentFactory(episode=episode, group=RecurringGroupFactory(facilitator=counselor1))
    appointment_schedule(
        actor=counselor1,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=_in_three_days_at(15),
        counselor=counselor1,
    )
    assert Reminder.objects.filter(status=Reminder.Status.PENDING).count() == 2
    return episode


def _discharge(actor, episode, *, when=None):
    return episode_discharge(
        actor=actor,
        episode=episode,
        discharge_date=when or timezone.localdate(),
        reason=Episode.DischargeReason.LEFT_AGAINST_ADVICE,
    )


def test_discharge_cancels_the_future_appointments_and_leaves_past_ones(
    supervisor, counselor1, episode
):
    past = Appointment.objects.create(
        client=episode.client,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        counselor=counselor1,
    )

    _discharge(supervisor, episode)

    future = Appointment.objects.exclude(pk=past.pk).get()
    assert future.status == Appointment.Status.CANCELLED_PROGRAM
    assert Appointment.objects.get(pk=past.pk).status == Appointment.Status.SCHEDULED


def test_discharge_cancels_the_clients_pending_reminders_with_the_reason(supervisor, episode):
    _discharge(supervisor, episode)

    rows = Reminder.objects.all()
    assert {(row.status, row.skip_reason) for row in rows} == {("cancelled", "discharged")}
    assert all(row.cancelled_at is not None for row in rows)


def test_discharge_through_the_core_ends_the_enrollments_on_the_discharge_date(supervisor, episode):
    when = timezone.localdate() - datetime.timedelta(days=2)

    _discharge(supervisor, episode, when=when)

    assert list(episode.enrollments.values_list("status", "end_date")) == [
        (Enrollment.Status.ENDED, when)
    ]


def test_every_discharge_hook_is_given_actor_episode_date_and_request(supervisor, episode):
    seen = []

    def hook(**kwargs):
        seen.append(kwargs)

    with DISCHARGE_HOOKS.isolated():
        DISCHARGE_HOOKS.register("test", hook, order=99)
        _discharge(supervisor, episode)

    assert seen == [
        {
            "actor": supervisor,
            "episode": episode,
            "discharge_date": timezone.localdate(),
            "request": None,
        }
    ]
    assert seen[0]["episode"].phase == Episode.Phase.DISCHARGED


def test_a_failing_discharge_hook_undoes_the_discharge_and_everything_it_ended(supervisor, episode):
    def failing(**kwargs):
        raise RuntimeError("a hook failed")

    # After the groups hook (order 10): the enrollments were ended when it fails.
    with DISCHARGE_HOOKS.isolated():
        DISCHARGE_HOOKS.register("failing", failing, order=99)
        with pytest.raises(RuntimeError):
            _discharge(supervisor, episode)

    episode.refresh_from_db()
    assert episode.phase == Episode.Phase.INTENSIVE
    assert episode.discharge_date is None
    assert set(episode.enrollments.values_list("status", flat=True)) == {"active"}
    assert Appointment.objects.get().status == Appointment.Status.SCHEDULED
    assert set(Reminder.objects.values_list("status", flat=True)) == {"pending"}


def test_ending_a_screening_without_admission_cancels_its_appointments_too(
    supervisor, counselor1, screening_client
):
    episode = screening_client.episodes.get()
    Appointment.objects.create(
        client=screening_client,
        episode=episode,
        kind=Appointment.Kind.ORIENTATION,
        starts_at=_in_three_days_at(10),
        counselor=counselor1,
    )

    _discharge(supervisor, episode)

    assert Appointment.objects.get().status == Appointment.Status.CANCELLED_PROGRAM


def test_a_step_down_through_the_core_starts_social_support_on_its_first_day(
    supervisor, counselor1
):
    today = timezone.localdate()
    episode = EpisodeFactory(
        primary_counselor=counselor1,
        referral_date=today - datetime.timedelta(days=40),
        admission_date=today - datetime.timedelta(days=30),
    )
    social = EnrollmentFactory(
        episode=episode,
        group=RecurringGroupFactory(track=track("social"), facilitator=counselor1),
        start_date=today + datetime.timedelta(days=60),
    )
    started_on = today - datetime.timedelta(days=1)

    episode_start_aftercare(actor=supervisor, episode=episode, started_on=started_on)

    social.refresh_from_db()
    assert social.start_date == started_on
