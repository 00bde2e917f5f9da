"""The clinic tablet (kiosk mode): a counselor hands a device to one client
for one questionnaire.

Starting a kiosk ends the staff member's session on that device; the
device's new session holds only the kiosk's id (outcomes.middleware keeps
it on the questionnaire and the lock screen). The kiosk ends once: at
submission, on timeout, or when staff sign in on the lock screen, by a
conditional UPDATE on `ended_at IS NULL`, so two tabs or a late timeout
cannot end it twice or record a second answer.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Client, Episode
from outcomes.models import DueMeasure, KioskSession
from outcomes.models.plan import PLAN_INSTRUMENTS
from outcomes.services.plan import EARLY_DAYS
from screening.instruments.translations import languages_of
from screening.models import InstrumentAdministration
from screening.services.administrations import SUICIDE_RISK, administration_record

INSTRUMENT_CODES = frozenset(code for code, _label in PLAN_INSTRUMENTS)


class EndReason:
    SUBMITTED = "submitted"
    TIMEOUT = "timeout"
    SIGNED_IN = "signed_in"
    # The device showed the lock screen before the questionnaire was sent
    # (the client left the questionnaire, or the page locked itself).
    LOCKED = "locked"


def kiosk_start(
    *,
    actor,
    client: Client,
    due: DueMeasure | None = None,
    instrument: str = "",
    language: str = "en",
    request=None,
) -> KioskSession:
    """Hand the device to `client` for one measure: an open due measure of
    theirs, or an instrument given now."""
    if due is not None:
        if due.client_id != client.pk or due.status != DueMeasure.Status.OPEN:
            raise ValidationError(_("This measure is no longer due."))
        instrument = due.instrument
    if instrument not in INSTRUMENT_CODES:
        raise ValidationError({"instrument": _("Choose a measure the client can answer.")})
    if language not in languages_of(instrument):
        raise ValidationError({"language": _("This measure is not offered in that language.")})
    if not client.episodes.exclude(phase=Episode.Phase.DISCHARGED).exists():
        raise ValidationError(_("The client has no open episode."))
    with transaction.atomic():
        kiosk = KioskSession.objects.create(
            due=due, client=client, instrument=instrument, language=language, started_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=kiosk,
            request=request,
            details={"instrument": instrument, "kiosk": "start"},
        )
    return kiosk


def _end(kiosk: KioskSession, reason: str) -> bool:
    """End the kiosk if it is still running; False when it had ended."""
    ended = KioskSession.objects.filter(pk=kiosk.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason
    )
    return bool(ended)


def kiosk_end(*, kiosk: KioskSession, reason: str, actor=None, request=None) -> bool:
    """End a running kiosk (timeout, or staff signing in on the lock screen).
    Audited in the name of whoever ends it, else of the one who started it."""
    with transaction.atomic():
        if not _end(kiosk, reason):
            return False
        audit_record(
            actor=actor or kiosk.started_by,
            action=AuditEvent.Action.UPDATE,
            client=kiosk.client,
            obj=kiosk,
            request=request,
            details={"kiosk": reason},
        )
    return True


def _complete_due(kiosk: KioskSession, administration: InstrumentAdministration) -> int:
    """The kiosk's own due measure, or else any open measure of the same
    instrument this answer falls within (the planner's matching rule,
    outcomes.services.plan), is completed now rather than at the next
    settling."""
    today = timezone.localdate(administration.administered_at)
    due = DueMeasure.objects.filter(
        client_id=kiosk.client_id, status=DueMeasure.Status.OPEN, instrument=kiosk.instrument
    )
    if kiosk.due_id:
        due = due.filter(pk=kiosk.due_id)
    else:
        due = due.filter(due_on__lte=today + timedelta(days=EARLY_DAYS), closes_on__gte=today)
    return due.update(
        status=DueMeasure.Status.COMPLETED,
        administration=administration,
        completed_at=administration.administered_at,
    )


def kiosk_submit(*, kiosk: KioskSession, answers: dict, request=None) -> InstrumentAdministration:
    """Record the client's answers (in the name of the staff member who
    started the kiosk, source "kiosk"), complete the due measure and end
    the kiosk, in one transaction. Raises InstrumentValidationError for
    incomplete answers (nothing is written), ValidationError once ended."""
    with transaction.atomic():
        kiosk = (
            KioskSession.objects.select_for_update()
            .select_related("client", "started_by")
            .get(pk=kiosk.pk)
        )
        if kiosk.ended_at is not None:
            raise ValidationError(_("This questionnaire has already ended."))
        administration = administration_record(
            actor=kiosk.started_by,
            client=kiosk.client,
            code=kiosk.instrument,
            answers=answers,
            source=InstrumentAdministration.Source.KIOSK,
            language=kiosk.language,
            request=request,
        )
        _complete_due(kiosk, administration)
        _end(kiosk, EndReason.SUBMITTED)
        audit_record(
            actor=kiosk.started_by,
            action=AuditEvent.Action.UPDATE,
            client=kiosk.client,
            obj=kiosk,
            request=request,
            details={"kiosk": EndReason.SUBMITTED, "instrument": kiosk.instrument},
        )
    return administration


def raised_suicide_risk(administration: InstrumentAdministration) -> bool:
    return SUICIDE_RISK in administration.flags
