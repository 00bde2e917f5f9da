"""Groups' part in reminders: each upcoming session's roster for the planner
(clients only; family members are added by the family app), the digest line
for unsigned group notes, and the keys used when a session moves or is
cancelled."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import ngettext

from groups.models import GroupSession
from groups.selectors import session_roster
from iop.reminders.services.outbox import reminders_cancel, reminders_schedule
from iop.reminders.texts import VIDEO


def session_key(session: GroupSession) -> str:
    return f"group-session:{session.public_id}"


def _targets(session: GroupSession):
    location = session.room or (VIDEO if session.group.video_link else "")
    for entry in session_roster(session):
        yield {
            "appointment_key": session_key(session),
            "starts_at": session.starts_at,
            "location": location,
            "client": entry.client,
        }


def upcoming_sessions(start, end):
    sessions = GroupSession.objects.filter(
        status=GroupSession.Status.SCHEDULED, starts_at__gte=start, starts_at__lt=end
    ).select_related("group")
    for session in sessions:
        yield from _targets(session)


def session_reminders_replan(session: GroupSession) -> None:
    """After a move: cancel what was planned and plan again at the new time."""
    reminders_cancel(appointment_key=session_key(session))
    if session.status == GroupSession.Status.SCHEDULED:
        for target in _targets(session):
            reminders_schedule(**target)


def session_reminders_cancel(session: GroupSession) -> None:
    reminders_cancel(appointment_key=session_key(session))


def digest_items(user) -> list[str]:
    day_ago = timezone.now() - timedelta(hours=24)
    unsigned = (
        GroupSession.objects.filter(
            group__facilitator=user,
            status=GroupSession.Status.SCHEDULED,
            signed_at__isnull=True,
            starts_at__lt=day_ago,
            starts_at__gte=day_ago - timedelta(days=30),
        )
        .exclude(attendance__isnull=True)
        .distinct()
        .count()
    )
    if not unsigned:
        return []
    return [
        ngettext(
            "%(count)d group note unsigned for more than 24 hours",
            "%(count)d group notes unsigned for more than 24 hours",
            unsigned,
        )
        % {"count": unsigned}
    ]
