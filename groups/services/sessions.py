"""Documenting a group session on one screen: attendance, the shared group
note, one participation line per client, and signing all of it at once.

The roster can change at any time (open groups): adding or removing a client
touches that client's row only, never another client's note or signature.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Attendance, GroupSession
from groups.selectors import active_objectives_by_client, session_roster
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record, audit_record_many
from iop.clients.models import Client, Episode
from iop.clients.notes import NoteAddendum
from iop.clients.signing import (
    note_addendum_add,
    note_cosign,
    note_ensure_unsigned,
    signature_fields,
)
from iop.extensions import services_changed

# A late arrival misses the opening check-in: the default minutes reflect it.
LATE_DEFAULT_MISSED_MINUTES = 15


@dataclass(frozen=True)
class Line:
    """What the session form posts for one client."""

    status: str
    minutes: int | None = None
    participation: str = ""
    remark: str = ""
    objective_id: int | None = None


def _services_changed(session: GroupSession, client_ids, actor) -> None:
    """Billing re-evaluates these clients' day (iop.extensions.SERVICES_CHANGED)."""
    services_changed(
        client_ids=client_ids, dates=[timezone.localtime(session.starts_at).date()], actor=actor
    )


def default_minutes(session: GroupSession, status: str) -> int:
    if status == Attendance.Status.PRESENT:
        return session.duration_minutes
    if status == Attendance.Status.LATE:
        return max(session.duration_minutes - LATE_DEFAULT_MISSED_MINUTES, 0)
    return 0


def _ensure_open(session: GroupSession) -> None:
    """Attendance (and the roster) can change from half an hour before the
    start (GroupSession.ATTENDANCE_OPENS_BEFORE)."""
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled."))
    if not session.attendance_is_open:
        raise ValidationError(
            _("Attendance opens %(minutes)s minutes before the session starts.")
            % {"minutes": int(GroupSession.ATTENDANCE_OPENS_BEFORE.total_seconds() // 60)}
        )


NOTES_CLOSED = _("The group note and participation lines are written once the session has started.")


def _ensure_notes_open(session: GroupSession) -> None:
    _ensure_open(session)
    if not session.notes_are_open:
        raise ValidationError(NOTES_CLOSED)


def _validate_line(session: GroupSession, line: Line) -> tuple[int, dict]:
    errors = {}
    if line.status not in Attendance.Status.values:
        errors["status"] = _("Choose present, late, absent or excused.")
    minutes = line.minutes if line.minutes is not None else default_minutes(session, line.status)
    if not 0 <= minutes <= session.duration_minutes:
        errors["minutes"] = _("Minutes attended must be between 0 and %(max)s.") % {
            "max": session.duration_minutes
        }
    if line.participation and line.participation not in Attendance.Participation.values:
        errors["participation"] = _("Choose a participation level from the list.")
    if len(line.remark) > 500:
        errors["remark"] = _("Keep the remark under 500 characters.")
    return minutes, errors


def session_lines_save(
    *,
    actor,
    session: GroupSession,
    summary: str | None,
    lines: dict[int, Line],
    request=None,
) -> list[Attendance]:
    """Save the group note and the attendance lines in a bounded number of
    queries, whatever the roster size. Lines for clients not on the roster,
    and changes to signed lines, are refused; nothing is saved then. Before
    the start only attendance is taken: a group note, minutes or a
    participation line are refused."""
    _ensure_open(session)
    if not session.notes_are_open and (
        summary is not None
        or any(
            line.minutes is not None or line.participation or line.remark or line.objective_id
            for line in lines.values()
        )
    ):
        raise ValidationError(NOTES_CLOSED)
    with transaction.atomic():
        # The session lock serialises saving with signing.
        locked = GroupSession.objects.select_for_update().get(pk=session.pk)
        rows = _lines_to_rows(locked, lines)
        if summary is not None:
            note_ensure_unsigned(locked)
            GroupSession.objects.filter(pk=session.pk).update(
                summary=summary.strip(), updated_at=timezone.now()
            )
            session.summary = summary.strip()
        # One upsert for every line: insert new rows, update unsigned ones.
        saved = Attendance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["session", "client"],
            update_fields=[
                "status",
                "minutes",
                "participation",
                "remark",
                "objective",
                "updated_at",
            ],
        )
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            clients=[row.client for row in rows],
            obj=session,
            request=request,
            details={"group_attendance": True},
        )
    return saved


def _lines_to_rows(session: GroupSession, lines: dict[int, Line]) -> list[Attendance]:
    roster = {entry.client.pk: entry for entry in session_roster(session)}
    objectives = active_objectives_by_client(list(roster))
    errors: dict[str, str] = {}
    rows: list[Attendance] = []
    for client_id, line in lines.items():
        entry = roster.get(client_id)
        if entry is None:
            errors[f"client-{client_id}"] = _("This client is not on the roster.")
            continue
        if entry.attendance is not None and entry.attendance.is_signed:
            errors[f"client-{client_id}"] = _("This line is signed; add an addendum instead.")
            continue
        minutes, line_errors = _validate_line(session, line)
        errors.update({f"client-{client_id}-{name}": msg for name, msg in line_errors.items()})
        allowed = {objective.pk for objective in objectives.get(client_id, [])}
        if line.objective_id is not None and line.objective_id not in allowed:
            errors[f"client-{client_id}-objective"] = _(
                "Choose an objective of this client's active treatment plan."
            )
        attended = line.status in Attendance.ATTENDED
        rows.append(
            Attendance(
                session=session,
                client=entry.client,
                episode_id=entry.episode_id,
                status=line.status,
                minutes=minutes,
                drop_in=entry.drop_in,
                participation=line.participation if attended else "",
                remark=line.remark.strip() if attended else "",
                objective_id=line.objective_id if attended else None,
            )
        )
    if errors:
        raise ValidationError(errors)
    return rows


def session_add_client(
    *, actor, session: GroupSession, client: Client, visible_clients, request=None
) -> Attendance:
    """Add a drop-in (a client not enrolled in this group) to the roster."""
    _ensure_open(session)
    if not visible_clients.filter(pk=client.pk).exists():
        raise ValidationError({"client": _("Choose a client you may see.")})
    episode = Episode.objects.filter(client=client, phase__in=Episode.ACTIVE_PHASES).first()
    if episode is None:
        raise ValidationError({"client": _("Only an admitted client can attend a group.")})
    with transaction.atomic():
        row, created = Attendance.objects.get_or_create(
            session=session,
            client=client,
            defaults={
                "episode": episode,
                "status": Attendance.Status.PRESENT,
                "minutes": session.duration_minutes,
                "drop_in": True,
            },
        )
        if not created:
            raise ValidationError({"client": _("This client is already on the roster.")})
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=session,
            request=request,
            details={"drop_in": True},
        )
        _services_changed(session, [client.pk], actor)
    return row


def session_remove_client(*, actor, session: GroupSession, client: Client, request=None) -> None:
    """Take a client's unsigned line off the session (recorded by mistake)."""
    with transaction.atomic():
        row = Attendance.objects.select_for_update().filter(session=session, client=client).first()
        if row is None:
            raise ValidationError(_("This client has no line on this session."))
        note_ensure_unsigned(row)
        row.delete()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.DELETE,
            client=client,
            obj=session,
            request=request,
            details={"attendance_removed": True},
        )
        _services_changed(session, [client.pk], actor)


def _normalised(remark: str) -> str:
    return re.sub(r"\W+", " ", remark.lower()).strip()


def session_cloned_remarks(session: GroupSession) -> list[list[Attendance]]:
    """Groups of two or more clients whose individual remarks are the same
    (ignoring case, spacing and punctuation): payers deny cloned notes."""
    by_text: dict[str, list[Attendance]] = {}
    rows = session.attendance.filter(status__in=Attendance.ATTENDED).select_related("client")
    for row in rows:
        text = _normalised(row.remark)
        if text:
            by_text.setdefault(text, []).append(row)
    return [rows for rows in by_text.values() if len(rows) > 1]


def _signing_errors(session: GroupSession, roster, unsigned: list[Attendance]) -> list[str]:
    errors = []
    if not session.is_signed and not session.summary.strip():
        errors.append(_("Write the group note before signing."))
    # Named as the signer may name them: a former member is "a former member".
    labels = {entry.client.pk: entry.label for entry in roster}
    missing = [entry.label for entry in roster if entry.attendance is None]
    if missing:
        errors.append(_("Record attendance for: %s.") % ", ".join(missing))
    no_line = [
        labels.get(row.client_id, "")
        for row in unsigned
        if row.status in Attendance.ATTENDED and not (row.participation and row.remark.strip())
    ]
    if no_line:
        errors.append(_("Write a participation line for: %s.") % ", ".join(no_line))
    return errors


def session_sign(
    *, actor, session: GroupSession, accept_identical: bool = False, request=None
) -> GroupSession:
    """Sign the group note and every unsigned participant line at once.

    Identical per-client remarks block signing unless the signer confirms
    them (accept_identical). Lines added after an earlier signing are signed
    now without touching the lines already signed.
    """
    _ensure_notes_open(session)
    with transaction.atomic():
        session = GroupSession.objects.select_for_update().get(pk=session.pk)
        roster = session_roster(session, viewer=actor)
        unsigned = [
            entry.attendance
            for entry in roster
            if entry.attendance is not None and not entry.attendance.is_signed
        ]
        errors = _signing_errors(session, roster, unsigned)
        if errors:
            raise ValidationError(errors)
        if session.is_signed and not unsigned:
            raise ValidationError(_("Everything on this session is already signed."))
        if session_cloned_remarks(session) and not accept_identical:
            raise ValidationError(
                _("Some clients have identical remarks. Individualize them, or confirm.")
            )
        signature = signature_fields(actor=actor, service_started_at=session.starts_at)
        if not session.is_signed:
            GroupSession.objects.filter(pk=session.pk).update(**signature)
        Attendance.objects.filter(pk__in=[row.pk for row in unsigned]).update(**signature)
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            clients=[row.client for row in unsigned],
            obj=session,
            request=request,
            details={"signed": True},
        )
        _services_changed(session, [row.client_id for row in unsigned], actor)
    session.refresh_from_db()
    return session


def session_cosign(*, actor, session: GroupSession, request=None) -> GroupSession:
    """A supervisor co-signs a group note of a counselor in training, and with
    it every participant line signed with it."""
    with transaction.atomic():
        session = GroupSession.objects.select_for_update().get(pk=session.pk)
        note_cosign(note=session, actor=actor)
        rows = list(
            session.attendance.filter(cosign_required=True, cosigned_at__isnull=True)
            .exclude(signed_at__isnull=True)
            .select_related("client")
        )
        Attendance.objects.filter(pk__in=[row.pk for row in rows]).update(
            cosigned_by=actor, cosigned_at=session.cosigned_at
        )
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            clients=[row.client for row in rows],
            obj=session,
            request=request,
            details={"cosigned": True},
        )
        _services_changed(session, [row.client_id for row in rows], actor)
    return session


def session_addendum_add(*, actor, session: GroupSession, text: str, request=None) -> NoteAddendum:
    """Add a signed addendum to a signed group note. The group note concerns
    every client on the roster: one audit event each, in one insert, with
    the session as the object (as signing writes them)."""
    with transaction.atomic():
        # The session lock orders the addendum after a signing in progress.
        session = GroupSession.objects.select_for_update().get(pk=session.pk)
        addendum = note_addendum_add(note=session, actor=actor, text=text)
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            clients=[entry.client for entry in session_roster(session)],
            obj=session,
            request=request,
            details={"addendum": True},
        )
    return addendum
