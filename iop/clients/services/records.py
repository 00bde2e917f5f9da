"""Writes to clients and episodes. Each service validates, changes and writes
its audit row in one transaction (STYLE.md)."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iop import horizon
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Appointment, CaseloadAssignment, Client, Episode
from iop.extensions import ADMISSION_HOOKS, DISCHARGE_HOOKS, STEP_DOWN_HOOKS
from iop.reminders.services.outbox import reminders_cancel_for, reminders_schedule
from iop.reminders.texts import VIDEO

# The words a client agrees to when consenting to a reminder channel; stored
# with the consent so that what was agreed to can be shown later.
SMS_CONSENT_WORDING = (
    "I agree to receive appointment reminders by text message at this number. "
    "Reply STOP at any time to stop them."
)
EMAIL_CONSENT_WORDING = "I agree to receive appointment reminders by email at this address."

CONSENT_FIELDS = {
    "sms_consent": ("sms_consent_at", "sms_consent_wording", SMS_CONSENT_WORDING),
    "email_consent": ("email_consent_at", "email_consent_wording", EMAIL_CONSENT_WORDING),
}


def _luhn_check_digit(number: int) -> int:
    """Check digit so a mistyped record number is caught (Luhn mod 10)."""
    total = 0
    for position, char in enumerate(reversed(str(number))):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def mrn_next() -> str:
    """A new record number: a PostgreSQL sequence (migration 0002) plus a check digit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('clients_mrn_seq')")
        (number,) = cursor.fetchone()
    return f"{number}{_luhn_check_digit(number)}"


def _apply_consents(client: Client, *, previous: dict[str, bool]) -> None:
    now = timezone.now()
    for flag, (at_field, wording_field, wording) in CONSENT_FIELDS.items():
        given = getattr(client, flag)
        if given and not previous.get(flag, False):
            setattr(client, at_field, now)
            setattr(client, wording_field, wording)
        elif not given:
            setattr(client, at_field, None)
            setattr(client, wording_field, "")


def client_create(
    *, actor, data: dict[str, Any], referral_date: date | None = None, request=None
) -> Client:
    """Register a client and open an episode of care in the screening phase."""
    with transaction.atomic():
        client = Client(**data)
        client.mrn = mrn_next()
        _apply_consents(client, previous={})
        client.full_clean()
        client.save()
        episode = Episode.objects.create(
            client=client,
            phase=Episode.Phase.SCREENING,
            referral_date=referral_date or timezone.localdate(),
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=client,
            request=request,
            details={"episode": str(episode.public_id)},
        )
    return client


def client_update(*, actor, client: Client, data: dict[str, Any], request=None) -> Client:
    """Change demographics and contact consent; the audit row names the fields."""
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        previous = {flag: getattr(client, flag) for flag in CONSENT_FIELDS}
        changed = sorted(name for name, value in data.items() if getattr(client, name) != value)
        for name, value in data.items():
            setattr(client, name, value)
        _apply_consents(client, previous=previous)
        client.full_clean()
        client.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=client,
            obj=client,
            request=request,
            details={"fields": changed},
        )
    return client


def episode_assign_counselor(
    *, actor, episode: Episode, counselor, reason: str = "", request=None
) -> Episode:
    """Make `counselor` the episode's primary counselor, closing the previous
    assignment so the caseload history stays complete."""
    if not counselor.is_active or not counselor.is_counselor:
        raise ValidationError({"counselor": _("Choose an active counselor.")})
    with transaction.atomic():
        episode = Episode.objects.select_for_update().get(pk=episode.pk)
        if not episode.is_open:
            raise ValidationError(_("A discharged episode cannot be reassigned."))
        if episode.primary_counselor_id == counselor.pk:
            return episode
        now = timezone.now()
        CaseloadAssignment.objects.filter(episode=episode, ended_at__isnull=True).update(
            ended_at=now
        )
        CaseloadAssignment.objects.create(
            episode=episode, counselor=counselor, started_at=now, assigned_by=actor, reason=reason
        )
        episode.primary_counselor = counselor
        episode.save(update_fields=["primary_counselor", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=episode.client,
            obj=episode,
            request=request,
            details={"primary_counselor": counselor.username},
        )
    return episode


def episode_admit(
    *,
    actor,
    episode: Episode,
    admission_date: date,
    level_of_care: str,
    counselor,
    request=None,
) -> Episode:
    """Admit a screened client: the episode enters the intensive phase."""
    with transaction.atomic():
        # Checks run on the locked row: a double submit must not admit twice.
        episode = Episode.objects.select_for_update().get(pk=episode.pk)
        if episode.phase != Episode.Phase.SCREENING:
            raise ValidationError(_("Only an episode in screening can be admitted."))
        if admission_date < episode.referral_date:
            raise ValidationError({"admission_date": _("Admission cannot precede the referral.")})
        if admission_date > timezone.localdate():
            raise ValidationError({"admission_date": _("Admission cannot be in the future.")})
        episode.phase = Episode.Phase.INTENSIVE
        episode.admission_date = admission_date
        episode.level_of_care = level_of_care
        episode.full_clean()
        episode.save(update_fields=["phase", "admission_date", "level_of_care", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=episode.client,
            obj=episode,
            request=request,
            details={"phase": episode.phase, "level_of_care": level_of_care},
        )
        episode_assign_counselor(actor=actor, episode=episode, counselor=counselor, request=request)
        episode.refresh_from_db()
        for hook in ADMISSION_HOOKS:
            hook(actor=actor, episode=episode, request=request)
    return episode


def episode_start_aftercare(
    *, actor, episode: Episode, started_on: date | None = None, request=None
) -> Episode:
    """Step an episode down from the intensive phase to aftercare, which
    starts on `started_on` (today by default); the step-down hooks run in
    the same transaction."""
    started_on = started_on or timezone.localdate()
    with transaction.atomic():
        # Conditional update: only an episode still in the intensive phase moves.
        stepped_down = Episode.objects.filter(pk=episode.pk, phase=Episode.Phase.INTENSIVE).update(
            phase=Episode.Phase.AFTERCARE, updated_at=timezone.now()
        )
        if not stepped_down:
            raise ValidationError(_("Only an episode in the intensive phase can step down."))
        episode.refresh_from_db()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=episode.client,
            obj=episode,
            request=request,
            details={"phase": episode.phase},
        )
        for hook in STEP_DOWN_HOOKS:
            hook(actor=actor, episode=episode, started_on=started_on, request=request)
    return episode


def episode_discharge(
    *, actor, episode: Episode, discharge_date: date, reason: int, request=None
) -> Episode:
    """Close an episode with its TEDS discharge reason. What the episode
    had ahead ends with it, in the same transaction: its future
    appointments are cancelled, every discharge hook ends its app's part
    (groups: enrollments), and the client's pending reminders are
    cancelled; if any of it fails, the episode stays open."""
    if reason not in Episode.DischargeReason.values:
        raise ValidationError({"discharge_reason": _("Choose a TEDS discharge reason.")})
    with transaction.atomic():
        episode = Episode.objects.select_for_update().get(pk=episode.pk)
        if not episode.is_open:
            raise ValidationError(_("This episode is already discharged."))
        start = episode.admission_date or episode.referral_date
        if discharge_date < start:
            raise ValidationError({"discharge_date": _("Discharge cannot precede admission.")})
        episode.phase = Episode.Phase.DISCHARGED
        episode.discharge_date = discharge_date
        episode.discharge_reason = reason
        episode.save(update_fields=["phase", "discharge_date", "discharge_reason", "updated_at"])
        CaseloadAssignment.objects.filter(episode=episode, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=episode.client,
            obj=episode,
            request=request,
            details={"phase": episode.phase, "discharge_reason": reason},
        )
        Appointment.objects.filter(
            episode=episode, status=Appointment.Status.SCHEDULED, starts_at__gt=timezone.now()
        ).update(status=Appointment.Status.CANCELLED_PROGRAM)
        for hook in DISCHARGE_HOOKS:
            hook(actor=actor, episode=episode, discharge_date=discharge_date, request=request)
        # Last, so that it also takes what the hooks' changes left queued:
        # reminders of every kind (appointments, groups, check-ins).
        reminders_cancel_for(client=episode.client, reason="discharged")
    return episode


def appointment_schedule(
    *,
    actor,
    episode: Episode,
    kind: str,
    starts_at: datetime,
    counselor,
    duration_minutes: int = 50,
    mode: str = Appointment.Mode.IN_PERSON,
    request=None,
) -> Appointment:
    """Book a session for the episode's client with a counselor."""
    # Also for callers that bypass the forms: a time beyond the horizon
    # overflows in the reminders' quiet-hours arithmetic (iop/horizon.py).
    horizon.SCHEDULED.check(starts_at, field="starts_at")
    if not episode.is_open:
        raise ValidationError(_("A discharged episode cannot have new appointments."))
    if not 5 <= duration_minutes <= 240:
        raise ValidationError({"duration_minutes": _("A session lasts 5 to 240 minutes.")})
    with transaction.atomic():
        appointment = Appointment.objects.create(
            client=episode.client,
            episode=episode,
            kind=kind,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            counselor=counselor,
            mode=mode,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=episode.client,
            obj=appointment,
            request=request,
            details={"kind": kind},
        )
        # The outbox rows commit with the appointment (no lost reminders).
        reminders_schedule(**appointment_reminder_target(appointment))
    return appointment


def appointment_reminder_target(appointment: Appointment) -> dict:
    """What the reminders of an appointment need: who, when, where (no
    clinical words: the kind of session is not part of it)."""
    return {
        "appointment_key": f"appointment:{appointment.public_id}",
        "starts_at": appointment.starts_at,
        "location": VIDEO if appointment.mode == Appointment.Mode.VIDEO else "",
        "client": appointment.client,
    }


def episode_return_to_intensive(*, actor, episode: Episode, request=None) -> Episode:
    """Re-engagement: an aftercare client goes back to the intensive phase."""
    with transaction.atomic():
        moved = Episode.objects.filter(pk=episode.pk, phase=Episode.Phase.AFTERCARE).update(
            phase=Episode.Phase.INTENSIVE, updated_at=timezone.now()
        )
        if not moved:
            raise ValidationError(_("Only an episode in aftercare can return to intensive."))
        episode.refresh_from_db()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=episode.client,
            obj=episode,
            request=request,
            details={"phase": episode.phase, "re_engagement": True},
        )
    return episode


def episode_open_for_readmission(
    *, actor, client: Client, referral_date: date | None = None, request=None
) -> Episode:
    """A discharged client is referred again: a new episode in screening.
    The old episodes stay as they were."""
    with transaction.atomic():
        Client.objects.select_for_update().get(pk=client.pk)
        if client.episodes.exclude(phase=Episode.Phase.DISCHARGED).exists():
            raise ValidationError(_("This client already has an open episode of care."))
        episode = Episode.objects.create(
            client=client,
            phase=Episode.Phase.SCREENING,
            referral_date=referral_date or timezone.localdate(),
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=episode,
            request=request,
            details={"readmission": True},
        )
    return episode
