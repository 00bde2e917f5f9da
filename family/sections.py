"""The family sections on pages other apps own (registered in
family/extensions.py): family members at a Family Education session
(groups' session page) and family attendees of a conjoint session (the
session note). Both return None, without a query, for sessions they do not
concern."""

from django.utils import timezone

from family import selectors
from family.services import roster_disclosures_record
from groups.selectors import session_roster
from iop.accounts import roles
from iop.clients.models import Appointment


def session_family_section(request, session) -> dict | None:
    """The family roster of a Family Education session: each family member
    whose consent allows disclosing the client's participation to them, with
    their attendance and the client's; the others with the reason."""
    if not session.group.track.for_family:
        return None
    roster = session_roster(session, viewer=request.user)
    client_status = {
        entry.client.pk: entry.attendance.status if entry.attendance else "" for entry in roster
    }
    allowed, refused = selectors.session_family_roster(session, client_status)
    if not request.user.sees_whole_program:
        # A family member names their client: only for clients the page may
        # name (not a former member the facilitator may no longer open).
        named = {entry.client.pk for entry in roster if entry.named}
        allowed = [row for row in allowed if row.link.client_id in named]
        refused = [row for row in refused if row.link.client_id in named]
    if not session.is_cancelled:
        roster_disclosures_record(actor=request.user, session=session, rows=allowed)
    return {
        "template": "family/includes/_session_family.html",
        "context": {
            "session": session,
            "rows": allowed,
            "refused": refused,
            "can_record": not session.is_cancelled and session.starts_at <= timezone.now(),
        },
    }


def conjoint_note_section(request, client, appointment, note) -> dict | None:
    if appointment.kind != Appointment.Kind.CONJOINT:
        return None
    return {
        "template": "family/includes/_conjoint_family.html",
        "context": {
            "client": client,
            "appointment": appointment,
            "rows": selectors.conjoint_roster(appointment),
            "locked": note is not None and note.is_signed,
            "started": appointment.starts_at <= timezone.now(),
            "can_edit": request.user.has_role(*roles.CLINICIANS),
        },
    }
