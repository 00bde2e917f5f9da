"""Shortcuts shared by the group session tests (test_sessions_*.py): a started
session with its roster, per-client lines, documenting and signing it."""

from groups.models import Attendance
from groups.services.sessions import Line, session_lines_save, session_sign
from iop.accounts import roles
from tests.factories import UserFactory
from tests.groups.factories import GroupSessionFactory, RecurringGroupFactory, enroll

PRESENT = Attendance.Status.PRESENT
LATE = Attendance.Status.LATE
ABSENT = Attendance.Status.ABSENT
EXCUSED = Attendance.Status.EXCUSED


def new_counselor(**fields):
    return UserFactory(roles=[roles.COUNSELOR], **fields)


def started_session(count=3, *, facilitator=None, **session_fields):
    """A started session of an RP group with `count` enrolled clients."""
    group = RecurringGroupFactory(facilitator=facilitator or new_counselor())
    enrollments = enroll(group, count)
    session = GroupSessionFactory(group=group, **session_fields)
    return session, [enrollment.episode.client for enrollment in enrollments]


def make_line(client, status=PRESENT, **fields):
    fields.setdefault("participation", Attendance.Participation.ACTIVE)
    fields.setdefault(
        "remark", f"Named trigger number {client.pk} of their own."
    )  # unique per client
    return Line(status=status, **fields)


def document_all(
    session, clients, *, summary="Topic discussed; group shared triggers.", **statuses
):
    lines = {
        client.pk: make_line(client, statuses.get(str(client.pk), PRESENT)) for client in clients
    }
    return session_lines_save(
        actor=session.group.facilitator, session=session, summary=summary, lines=lines
    )


def sign_session(session, actor=None, **options):
    return session_sign(actor=actor or session.group.facilitator, session=session, **options)


def saved_rows(session):
    return {row.client_id: row for row in Attendance.objects.filter(session=session)}
