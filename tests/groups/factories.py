"""Factories for the groups app: recurring groups, their sessions,
enrollments and attendance, and a helper that makes sure the Matrix
curriculum exists (transactional tests flush what data migrations made)."""

import datetime
import importlib

import django.apps
import factory
from django.utils import timezone

from groups.models import (
    Attendance,
    Enrollment,
    GroupSession,
    Program,
    ProgramTrack,
    RecurringGroup,
    Track,
)
from groups.services.schedule import group_sessions_generate
from iop.accounts import roles
from iop.clients.models import Episode
from iop.clients.services import episode_admit
from tests.factories import ClientFactory, EpisodeFactory, UserFactory

CURRICULUM_MIGRATION = "groups.migrations.0002_matrix_curriculum"
DEFAULT_PROGRAM = "Matrix 16-week IOP"


def ensure_curriculum() -> Program:
    """Load the Matrix curriculum the way its data migration does; a no-op
    where it is already there. Returns the default program."""
    program = Program.objects.filter(name=DEFAULT_PROGRAM).first()
    if program is None or not Track.objects.filter(code="social").exists():
        importlib.import_module(CURRICULUM_MIGRATION).load(django.apps.apps, None)
        program = Program.objects.get(name=DEFAULT_PROGRAM)
    return program


def track(code: str) -> Track:
    ensure_curriculum()
    return Track.objects.get(code=code)


def program_track(code: str) -> ProgramTrack:
    program = ensure_curriculum()
    return ProgramTrack.objects.select_related("track").get(program=program, track__code=code)


def started_today(minutes_ago: int = 5) -> datetime.datetime:
    """A start time today (program time zone) that has already passed:
    `minutes_ago` minutes before now, but never before midnight."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    midnight = now.replace(hour=0, minute=0)
    return max(midnight, now - datetime.timedelta(minutes=minutes_ago))


def local(year, month, day, hour=0, minute=0) -> datetime.datetime:
    """An aware datetime at this wall-clock time in the program's time zone."""
    wall_clock = datetime.datetime.combine(
        datetime.date(year, month, day), datetime.time(hour, minute)
    )
    return timezone.make_aware(wall_clock)


class RecurringGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecurringGroup

    track = factory.LazyFunction(lambda: track("rp"))
    name = factory.Sequence(lambda n: f"Relapse Prevention {n}")
    weekday = RecurringGroup.Weekday.MONDAY
    start_time = datetime.time(18, 0)
    room = "Room 2"
    facilitator = factory.SubFactory(UserFactory, roles=[roles.COUNSELOR])
    starts_on = datetime.date(2026, 1, 1)


class GroupSessionFactory(factory.django.DjangoModelFactory):
    """A session that started an hour ago unless told otherwise."""

    class Meta:
        model = GroupSession

    group = factory.SubFactory(RecurringGroupFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    duration_minutes = factory.LazyAttribute(lambda session: session.group.track.session_minutes)
    room = factory.LazyAttribute(lambda session: session.group.room)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """An admitted episode placed in a group's track, from its admission."""

    class Meta:
        model = Enrollment

    episode = factory.SubFactory(EpisodeFactory)
    group = factory.SubFactory(RecurringGroupFactory)
    program_track = factory.LazyAttribute(
        lambda enrollment: program_track(enrollment.group.track.code)
    )
    start_date = factory.LazyAttribute(lambda enrollment: enrollment.episode.admission_date)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(GroupSessionFactory)
    episode = factory.SubFactory(EpisodeFactory)
    client = factory.LazyAttribute(lambda attendance: attendance.episode.client)
    status = Attendance.Status.PRESENT
    minutes = factory.LazyAttribute(
        lambda attendance: (
            attendance.session.duration_minutes
            if attendance.status == Attendance.Status.PRESENT
            else 0
        )
    )


def enroll(group: RecurringGroup, count: int, **episode_fields) -> list[Enrollment]:
    """`count` admitted episodes enrolled in `group`."""
    return [
        EnrollmentFactory(group=group, episode=EpisodeFactory(**episode_fields))
        for _ in range(count)
    ]


def group_meeting_now(facilitator, names, *, track_code="rp", name="Relapse Prevention"):
    """A weekly group of `facilitator` whose occurrence today has just
    started, with one admitted client per (first, last) name in `names`,
    enrolled by the admission hook as the program does it. Returns the
    group, today's session and the clients (in the roster's order)."""
    ensure_curriculum()
    starts_at = started_today()
    group = RecurringGroupFactory(
        track=track(track_code),
        name=name,
        facilitator=facilitator,
        weekday=starts_at.weekday(),
        start_time=starts_at.time(),
        starts_on=starts_at.date(),
    )
    session = group_sessions_generate(group=group, until=starts_at.date())[0]
    clients = []
    for first, last in names:
        episode = EpisodeFactory(
            client=ClientFactory(legal_first_name=first, legal_last_name=last),
            phase=Episode.Phase.SCREENING,
            admission_date=None,
            level_of_care="",
        )
        episode_admit(
            actor=facilitator,
            episode=episode,
            admission_date=starts_at.date() - datetime.timedelta(days=1),
            level_of_care="2.1",
            counselor=facilitator,
        )
        clients.append(episode.client)
    return group, session, sorted(clients, key=lambda client: (client.legal_last_name, client.pk))
