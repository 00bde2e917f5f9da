"""Reminders of Family Education sessions to family members.

For each upcoming Family Education session, the family members of the
clients on its roster are reminded when (1) they agreed to be contacted on a
channel and (2) a consent of that client allows disclosing attendance to
them now: a reminder tells them, however neutral its words, that someone
close to them takes part in the program. Each such reminder is one ledger
row (the planner runs every 15 minutes; the reference keeps it to one). The
wording is the clients' (iop.reminders.texts): a time and a place only.
Revoking the consent or withdrawing contact cancels what is queued at once.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from family.consents import Entry, Recipient, disclosures_record
from family.models import Disclosure
from family.selectors import ROSTER_CATEGORY, session_family_roster
from groups.models import GroupSession
from groups.selectors import session_roster
from iop.reminders.models import Reminder
from iop.reminders.sources import register_reminder_source
from iop.reminders.texts import VIDEO


def session_key(session: GroupSession) -> str:
    # The groups app's key: moving or cancelling the session cancels these too.
    return f"group-session:{session.public_id}"


def _channels(member) -> list[tuple[str, str]]:
    channels = []
    if member.sms_consent and member.phone:
        channels.append((Reminder.Channel.SMS, member.phone))
    if member.email_consent and member.email:
        channels.append((Reminder.Channel.EMAIL, member.email))
    return channels


def family_targets(session: GroupSession, *, now=None) -> dict | None:
    """The session's family recipients, with their disclosures recorded."""
    now = now or timezone.now()
    roster = session_roster(session)
    allowed, _refused = session_family_roster(
        session, {entry.client.pk: "" for entry in roster}, at=now
    )
    recipients, entries, consents = {}, [], []
    day = formats.date_format(timezone.localtime(session.starts_at), "Y-m-d")
    for row in allowed:
        member = row.link.member
        channels = _channels(member)
        if not channels:
            continue
        entries.append(
            Entry(
                client=row.link.client,
                recipient=Recipient.family(member),
                categories=[ROSTER_CATEGORY],
                description=_("Family Education reminder, session of %s") % day,
                reference=f"reminder:{session.public_id}:{member.pk}:{row.link.client_id}",
                at=now,
            )
        )
        consents.append(row.decision.consent)
        for channel, address in channels:
            recipients[(member.pk, channel)] = {
                "key": f"family:{member.pk}",
                "channel": channel,
                "address": address,
                "language": member.preferred_language,
                "family_member_id": member.pk,
            }
    if not recipients:
        return None
    disclosures_record(
        entries=entries, path=Disclosure.Path.REMINDER, actor=None, consents=consents
    )
    return {
        "appointment_key": session_key(session),
        "starts_at": session.starts_at,
        "location": session.room or (VIDEO if session.group.video_link else ""),
        "recipients": list(recipients.values()),
    }


def upcoming_family_sessions(start, end):
    sessions = GroupSession.objects.filter(
        status=GroupSession.Status.SCHEDULED,
        starts_at__gte=start,
        starts_at__lt=end,
        group__track__for_family=True,
    ).select_related("group__track")
    for session in sessions:
        target = family_targets(session)
        if target is not None:
            yield target


def register() -> None:
    register_reminder_source("family-education", upcoming_family_sessions)
