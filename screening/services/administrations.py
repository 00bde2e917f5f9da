"""Instrument administrations, scored by screening.instruments, and the
safety flags a suicide-risk answer raises."""

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iop.accounts import roles
from iop.audit.models import AuditEvent
from iop.clients.models import Client, Episode
from iop.reminders.services import staff_alert_texts_queue, staff_notify
from screening.instruments import get_instrument, score
from screening.models import InstrumentAdministration, SafetyFlag, Screening
from screening.services.common import audit, ensure_draft
from screening.services.screenings import screening_refresh_recommendation

SUICIDE_RISK = "suicide_risk"


def _sex_for_scoring(client: Client) -> str | None:
    return client.sex if client.sex in ("female", "male") else None


def _suicide_risk_reason(code: str, answers: dict, band: str) -> str:
    if code == "PHQ-9" and answers.get("9", 0) >= 1:
        return _("PHQ-9 item 9 (thoughts of self-harm) answered %(points)s") % {
            "points": answers["9"]
        }
    if code == "C-SSRS":
        return _("C-SSRS screener: %(band)s risk") % {"band": band}
    return _("%(code)s raised a suicide-risk flag") % {"code": code}


def administration_record(
    *,
    actor,
    client: Client,
    code: str,
    answers: dict[str, Any],
    screening: Screening | None = None,
    administered_at: datetime | None = None,
    source: str = InstrumentAdministration.Source.STAFF,
    language: str = "en",
    request=None,
) -> InstrumentAdministration:
    """Score and store one administration. A suicide-risk answer raises a
    safety flag and notifies the primary counselor and every supervisor at once.

    `actor` is None for a client's own answers through a self-report link
    (`source` "link"); a kiosk's administration is the staff member who
    started it.

    Raises InstrumentValidationError (item by item) for bad answers; nothing
    is written then.
    """
    instrument = get_instrument(code)
    if screening is not None:
        ensure_draft(screening)
    sex = _sex_for_scoring(client) if code in ("AUDIT", "AUDIT-C") else None
    result = score(code, answers, sex=sex)
    episode = (
        screening.episode if screening else client.episodes.exclude(phase="discharged").first()
    )
    with transaction.atomic():
        if screening is not None:
            # Re-check on the locked row: it may have been signed meanwhile.
            screening = Screening.objects.select_for_update().get(pk=screening.pk)
            ensure_draft(screening)
        administration = InstrumentAdministration.objects.create(
            client=client,
            episode=episode,
            screening=screening,
            code=instrument.code,
            version=result.version,
            answers=result.answers,
            sex_used=sex or "",
            total=result.total,
            band=result.band,
            band_label=result.band_label,
            flags=list(result.flags),
            subscales=dict(result.subscales),
            source=source,
            language=language,
            administered_by=actor,
            administered_at=administered_at or timezone.now(),
        )
        audit(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=administration,
            request=request,
            instrument=code,
            source=source,
        )
        if SUICIDE_RISK in result.flags:
            safety_flag_raise(
                actor=actor,
                administration=administration,
                reason=_suicide_risk_reason(code, result.answers, result.band),
                request=request,
            )
        if screening is not None:
            screening_refresh_recommendation(screening=screening)
    return administration


def _primary_counselors(client: Client):
    """The primary counselor of the client's open episodes (a subquery)."""
    return (
        Episode.objects.filter(client=client, primary_counselor__isnull=False)
        .exclude(phase=Episode.Phase.DISCHARGED)
        .values("primary_counselor")
    )


def safety_flag_raise(
    *, actor, administration: InstrumentAdministration, reason: str, request=None
) -> SafetyFlag:
    """Open a flag and tell the client's primary counselor and every active
    supervisor (in-app, and by a discreet text where configured)."""
    flag = SafetyFlag.objects.create(
        client=administration.client, administration=administration, reason=reason
    )
    client = administration.client
    recipients = (
        get_user_model()
        .objects.filter(
            Q(groups__name=roles.SUPERVISOR) | Q(pk__in=_primary_counselors(client)),
            is_active=True,
        )
        .distinct()
    )
    recipients = list(recipients)
    staff_notify(
        recipients=recipients,
        kind="safety_flag",
        client=client,
        message=_("Safety flag for client %(mrn)s: %(reason)s")
        % {"mrn": client.mrn, "reason": reason},
        link=reverse("clients:client-detail", args=[client.public_id]),
    )
    # Where configured, a text that says only "sign in" (no client data).
    staff_alert_texts_queue(recipients=recipients, key=f"safety-flag:{flag.public_id}")
    audit(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        client=client,
        obj=flag,
        request=request,
        kind=flag.kind,
    )
    return flag


def safety_flag_address(
    *, actor, flag: SafetyFlag, action: str, note: str, request=None
) -> SafetyFlag:
    """Record the action taken on a flag; the flag then stops blocking."""
    if action not in SafetyFlag.Action.values:
        raise ValidationError({"action": _("Choose the action taken.")})
    if not note.strip():
        raise ValidationError({"action_note": _("Say what was done.")})
    with transaction.atomic():
        flag = SafetyFlag.objects.select_for_update().get(pk=flag.pk)
        if not flag.is_open:
            raise ValidationError(_("This flag has already been addressed."))
        flag.action = action
        flag.action_note = note.strip()
        flag.addressed_by = actor
        flag.addressed_at = timezone.now()
        flag.save(update_fields=["action", "action_note", "addressed_by", "addressed_at"])
        audit(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=flag.client,
            obj=flag,
            request=request,
            flag_action=action,
        )
    return flag
