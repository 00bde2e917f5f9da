"""Reminders of Family Education sessions to family members.

For each upcoming Family Education session, the family members of the
clients on its roster are reminded when (1) they agreed to be contacted on a
channel and (2) a consent of that client allows disclosing attendance to
them: a reminder tells them, however neutral its words, that someone close
to them takes part in the program. The wording is the clients'
(iop.reminders.texts): a time and a place only.

The planner decides when it queues a reminder, and the dispatcher decides
again when it sends it (send_check, registered as a send-time check of
iop.reminders): a consent that expired by date, was revoked or ended since,
or a client no longer on the roster, ends the queued row skipped
("disclosure_not_allowed") with no message sent. The ledger row is written
when a message has left, at the moment of sending, once per session, family
member and client (the reference keeps it to one); a planned reminder
discloses nothing yet. Revoking the consent or withdrawing contact also
cancels what is queued at once (iop.reminders' reminders_cancel_for).
"""

import functools
import uuid
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from family.consents import Entry, Recipient, disclosures_record
from family.models import Disclosure
from family.selectors import ROSTER_CATEGORY, RosterRow, session_family_roster
from groups.models import GroupSession
from groups.selectors import session_roster
from iop.extensions import SendVerdict
from iop.reminders.models import Reminder
from iop.reminders.texts import VIDEO

SESSION_KEY = "group-session:"
# The skip reason of a family reminder the decision no longer allows.
REFUSED = "disclosure_not_allowed"


def session_key(session: GroupSession) -> str:
    # The groups app's key: moving or cancelling the session cancels these too.
    return f"{SESSION_KEY}{session.public_id}"


def _channels(member) -> list[tuple[str, str]]:
    channels = []
    if member.sms_consent and member.phone:
        channels.append((Reminder.Channel.SMS, member.phone))
    if member.email_consent and member.email:
        channels.append((Reminder.Channel.EMAIL, member.email))
    return channels


def _allowed_rows(session: GroupSession, *, at: datetime) -> list[RosterRow]:
    """The session's family members (per client) a consent allows reminding at `at`."""
    roster = session_roster(session)
    allowed, _refused = session_family_roster(
        session, {entry.client.pk: "" for entry in roster}, at=at
    )
    return allowed


def family_targets(session: GroupSession, *, now=None) -> dict | None:
    """The session's family recipients, as the planner queues them."""
    now = now or timezone.now()
    recipients = {}
    for row in _allowed_rows(session, at=now):
        member = row.link.member
        for channel, address in _channels(member):
            recipients[(member.pk, channel)] = {
                "key": f"family:{member.pk}",
                "channel": channel,
                "address": address,
                "language": member.preferred_language,
                "family_member_id": member.pk,
            }
    if not recipients:
        return None
    return {
        "appointment_key": session_key(session),
        "starts_at": session.starts_at,
        "location": session.room or (VIDEO if session.group.video_link else ""),
        "recipients": list(recipients.values()),
    }


def _session_of(reminder: Reminder) -> GroupSession | None:
    if not reminder.appointment_key.startswith(SESSION_KEY):
        return None
    try:
        public_id = uuid.UUID(reminder.appointment_key.removeprefix(SESSION_KEY))
    except ValueError:
        return None
    return (
        GroupSession.objects.filter(
            public_id=public_id,
            status=GroupSession.Status.SCHEDULED,
            group__track__for_family=True,
        )
        .select_related("group__track")
        .first()
    )


def send_check(reminder: Reminder, now: datetime) -> SendVerdict | None:
    """At the moment of sending, may this family member still be reminded?
    None for a reminder to anyone else, without a query."""
    if reminder.family_member_id is None:
        return None
    session = _session_of(reminder)
    rows = _allowed_rows(session, at=now) if session is not None else []
    rows = [row for row in rows if row.link.member_id == reminder.family_member_id]
    if not rows:
        return SendVerdict(refusal=REFUSED)
    return SendVerdict(on_sent=functools.partial(_record_sent, session, rows, at=now))


def _record_sent(session: GroupSession, rows: list[RosterRow], *, at: datetime) -> None:
    """The message left: one ledger row per client it told about (first message only)."""
    day = formats.date_format(timezone.localtime(session.starts_at), "Y-m-d")
    entries = [
        Entry(
            client=row.link.client,
            recipient=Recipient.family(row.link.member),
            categories=[ROSTER_CATEGORY],
            description=_("Family Education reminder, session of %s") % day,
            reference=f"reminder:{session.public_id}:{row.link.member_id}:{row.link.client_id}",
            at=at,
        )
        for row in rows
    ]
    disclosures_record(
        entries=entries,
        path=Disclosure.Path.REMINDER,
        actor=None,
        consents=[row.decision.consent for row in rows],
    )


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
