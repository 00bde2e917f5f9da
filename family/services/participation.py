"""Family members taking part: Family Education attendance (recorded on the
group session page), conjoint-session attendees (recorded on the session
note), and the roster's disclosures. Each path decides through
family.consents and writes its one ledger row there."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from family.consents import Entry, Recipient, disclosures_record
from family.models import ConjointAttendee, Disclosure, FamilyAttendance, FamilyLink, FamilyMember
from family.selectors import CONJOINT_CATEGORY, ROSTER_CATEGORY, RosterRow
from groups.models import GroupSession
from groups.selectors import session_roster
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Appointment, Client, SessionNote


def roster_reference(session: GroupSession, member_id: int, client_id: int) -> str:
    # Shown on every visit of the page, recorded once per session and person.
    return f"roster:{session.public_id}:{member_id}:{client_id}"


def _roster_entry(session: GroupSession, link: FamilyLink, consent=None) -> Entry:
    day = formats.date_format(timezone.localtime(session.starts_at), "Y-m-d")
    return Entry(
        client=link.client,
        recipient=Recipient.family(link.member),
        categories=[ROSTER_CATEGORY],
        description=_("Family Education participation, session of %s") % day,
        reference=roster_reference(session, link.member_id, link.client_id),
        consent=consent,
    )


def roster_disclosures_record(*, actor, session: GroupSession, rows: list[RosterRow]) -> int:
    """The family roster of a session is shown: one ledger row per family
    member and client, the first time only (one insert)."""
    allowed = [row for row in rows if row.decision.allowed]
    if not allowed:
        return 0
    entries = [_roster_entry(session, row.link, row.decision.consent) for row in allowed]
    return len(disclosures_record(entries=entries, path=Disclosure.Path.ROSTER, actor=actor))


def family_attendance_record(
    *,
    actor,
    session: GroupSession,
    member: FamilyMember,
    client: Client,
    status: str,
    request=None,
) -> FamilyAttendance:
    """Mark a family member present, absent or excused at a Family Education
    session, for the client they come for (with or without the client)."""
    if status not in FamilyAttendance.Status.values:
        raise ValidationError({"status": _("Choose present, absent or excused.")})
    if not session.group.track.for_family:
        raise ValidationError(_("Family members are recorded at Family Education sessions only."))
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded once the session has started."))
    link = (
        FamilyLink.objects.filter(client=client, member=member)
        .select_related("client", "member")
        .first()
    )
    if link is None:
        raise ValidationError(_("This person is not in the client's family."))
    if client.pk not in {entry.client.pk for entry in session_roster(session)}:
        raise ValidationError(_("The client is not on this session's roster."))
    with transaction.atomic():
        disclosures_record(
            entries=[_roster_entry(session, link)], path=Disclosure.Path.ROSTER, actor=actor
        )
        row, _created = FamilyAttendance.objects.update_or_create(
            session=session,
            family_member=member,
            client=client,
            defaults={"status": status, "recorded_by": actor},
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=client,
            obj=session,
            request=request,
            details={"family_attendance": status},
        )
    return row


def conjoint_attendees_set(
    *, actor, appointment: Appointment, members: list[FamilyMember], request=None
) -> list[ConjointAttendee]:
    """Record which family members took part in a conjoint session. Each new
    attendee is a disclosure of the client's progress at the session's time:
    refused without a consent in effect then; once the note is signed the
    list is locked like the note."""
    if appointment.kind != Appointment.Kind.CONJOINT:
        raise ValidationError(_("Family members are recorded on conjoint sessions only."))
    if appointment.starts_at > timezone.now():
        raise ValidationError(_("Record who attended once the session has started."))
    note = SessionNote.objects.filter(appointment=appointment).first()
    if note is not None and note.is_signed:
        raise ValidationError(_("The note is signed: who attended can no longer change."))
    client = appointment.client
    links = {
        link.member_id: link
        for link in FamilyLink.objects.filter(client=client).select_related("member", "client")
    }
    wanted = {member.pk for member in members}
    if wanted - set(links):
        raise ValidationError(_("Choose family members of this client."))
    with transaction.atomic():
        current = set(
            ConjointAttendee.objects.filter(appointment=appointment).values_list(
                "family_member_id", flat=True
            )
        )
        added = sorted(wanted - current)
        entries = [
            Entry(
                client=client,
                recipient=Recipient.family(links[member_id].member),
                categories=[CONJOINT_CATEGORY],
                description=_("Conjoint session of %s")
                % formats.date_format(timezone.localtime(appointment.starts_at), "Y-m-d"),
                reference=f"conjoint:{appointment.public_id}:{member_id}",
                at=appointment.starts_at,
            )
            for member_id in added
        ]
        disclosures_record(entries=entries, path=Disclosure.Path.CONJOINT, actor=actor)
        ConjointAttendee.objects.filter(appointment=appointment).exclude(
            family_member_id__in=wanted
        ).delete()
        ConjointAttendee.objects.bulk_create(
            ConjointAttendee(appointment=appointment, family_member_id=member_id, recorded_by=actor)
            for member_id in added
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=client,
            obj=appointment,
            request=request,
            details={"family_attendees": len(wanted)},
        )
    return list(ConjointAttendee.objects.filter(appointment=appointment))
