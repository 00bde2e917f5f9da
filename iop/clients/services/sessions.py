"""Individual, conjoint and orientation sessions: documenting attendance and
the DAP note, the service code with its units, signing and co-signing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Appointment, Objective, ServiceCode, SessionNote
from iop.clients.services.records import appointment_schedule
from iop.clients.signing import (
    note_addendum_add,
    note_cosign,
    note_ensure_unsigned,
    note_sign,
)
from iop.extensions import services_changed
from iop.reminders.services.outbox import reminders_cancel

# Timed codes bill a 15-minute unit once at least 8 minutes of it are given
# (CMS "8-minute rule", Medicare Claims Processing Manual ch. 5 §20.2), the
# convention most payers apply to H0004.
UNIT_MINUTES = 15
MINIMUM_MINUTES_FOR_A_UNIT = 8


def session_units(*, service_code: str, minutes: int) -> int:
    """Billable units: H0004 per 15 minutes; H0001 one per assessment."""
    if minutes <= 0:
        return 0
    if service_code == ServiceCode.H0001:
        return 1
    whole, rest = divmod(minutes, UNIT_MINUTES)
    return whole + (1 if rest >= MINIMUM_MINUTES_FOR_A_UNIT else 0)


def _services_changed(appointment: Appointment, actor) -> None:
    """Billing re-evaluates the client's day (iop.extensions.SERVICES_CHANGED)."""
    services_changed(
        client_ids=[appointment.client_id],
        dates=[timezone.localtime(appointment.starts_at).date()],
        actor=actor,
    )


def session_document(
    *,
    actor,
    appointment: Appointment,
    status: str,
    data: str = "",
    assessment: str = "",
    plan: str = "",
    service_code: str = ServiceCode.H0004,
    minutes: int = 0,
    objectives: list[Objective] | None = None,
    next_appointment: dict | None = None,
    request=None,
) -> SessionNote:
    """Record what happened at an appointment and draft its DAP note; books the
    next appointment when one is given. A signed note is refused."""
    errors = {}
    if appointment.starts_at > timezone.now():
        errors["status"] = _("A session in the future cannot be documented yet.")
    if status not in Appointment.Status.values or status == Appointment.Status.SCHEDULED:
        errors["status"] = _("Choose attended, no-show or cancelled.")
    attended = status == Appointment.Status.ATTENDED
    if attended and not 1 <= minutes <= 480:
        errors["minutes"] = _("Minutes of service must be between 1 and 480.")
    if service_code not in ServiceCode.values:
        errors["service_code"] = _("Choose a service code.")
    objectives = objectives or []
    foreign = [o for o in objectives if o.goal.problem.plan.client_id != appointment.client_id]
    if foreign:
        errors["objectives"] = _("Choose objectives of this client's treatment plan.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        note = SessionNote.objects.filter(appointment=appointment).first()
        if note is not None:
            note_ensure_unsigned(note)
        else:
            note = SessionNote(appointment=appointment, author=actor)
        note.data, note.assessment, note.plan = data.strip(), assessment.strip(), plan.strip()
        note.service_code = service_code
        note.minutes = minutes if attended else 0
        note.units = session_units(service_code=service_code, minutes=note.minutes)
        note.save()
        note.objectives.set(objectives)
        appointment.status = status
        appointment.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=appointment.client,
            obj=note,
            request=request,
            details={"status": status, "service_code": service_code, "units": note.units},
        )
        if next_appointment:
            appointment_schedule(
                actor=actor,
                episode=appointment.episode,
                kind=next_appointment.get("kind", Appointment.Kind.INDIVIDUAL),
                starts_at=next_appointment["starts_at"],
                counselor=next_appointment.get("counselor") or appointment.counselor,
                duration_minutes=next_appointment.get("duration_minutes", 50),
                request=request,
            )
    return note


def session_note_sign(*, actor, note: SessionNote, request=None) -> SessionNote:
    """Sign the note: locked from now on; late if over 72 hours after the session."""
    appointment = note.appointment
    if appointment.status == Appointment.Status.ATTENDED and not (
        note.data and note.assessment and note.plan
    ):
        raise ValidationError(_("Write the Data, Assessment and Plan before signing."))
    with transaction.atomic():
        note = SessionNote.objects.select_for_update().get(pk=note.pk)
        note_sign(note=note, actor=actor, service_started_at=appointment.starts_at)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=appointment.client,
            obj=note,
            request=request,
            details={"signed": True, "late": note.signed_late},
        )
        _services_changed(appointment, actor)
    return note


def session_note_cosign(*, actor, note: SessionNote, request=None) -> SessionNote:
    with transaction.atomic():
        note = SessionNote.objects.select_for_update().get(pk=note.pk)
        note_cosign(note=note, actor=actor)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=note.appointment.client,
            obj=note,
            request=request,
            details={"cosigned": True},
        )
        _services_changed(note.appointment, actor)
    return note


def session_note_addendum(*, actor, note: SessionNote, text: str, request=None):
    with transaction.atomic():
        addendum = note_addendum_add(
            note=note, actor=actor, text=text, client=note.appointment.client
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=note.appointment.client,
            obj=note,
            request=request,
            details={"addendum": True},
        )
    return addendum


def appointment_cancel(*, actor, appointment: Appointment, reason: str, request=None):
    """Mark a scheduled appointment as not taking place, with its reason (one
    of Appointment.CANCEL_REASONS: cancelled by the client, by the program,
    or a no-show once its time has come)."""
    if reason not in Appointment.CANCEL_REASONS:
        raise ValidationError(
            {"reason": _("Choose why the appointment does not take place.")}, code="reason"
        )
    if appointment.status != Appointment.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled appointment can be cancelled."))
    if reason == Appointment.Status.NO_SHOW and appointment.starts_at > timezone.now():
        raise ValidationError(
            {"reason": _("A no-show can be recorded once the appointment's time has come.")},
            code="reason",
        )
    status = reason
    with transaction.atomic():
        updated = Appointment.objects.filter(
            pk=appointment.pk, status=Appointment.Status.SCHEDULED
        ).update(status=status)
        if not updated:
            raise ValidationError(_("Only a scheduled appointment can be cancelled."))
        reminders_cancel(appointment_key=f"appointment:{appointment.public_id}")
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=appointment.client,
            obj=appointment,
            request=request,
            details={"status": status},
        )
        _services_changed(appointment, actor)
    appointment.status = status
    return appointment
