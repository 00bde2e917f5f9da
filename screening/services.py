"""The referral-to-admission workflow. Each service validates, changes and
audits in one transaction; scoring is delegated to screening.instruments."""

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iop.accounts import roles
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Appointment, Client, Episode
from iop.clients.services import (
    appointment_schedule,
    client_create,
    episode_admit,
    episode_discharge,
)
from iop.reminders.services import staff_notify
from screening.instruments import (
    DIMENSIONS,
    InstrumentValidationError,
    get_instrument,
    score,
)
from screening.models import (
    ADMITTING_LEVELS,
    DimensionRating,
    InstrumentAdministration,
    Referral,
    ReferralSubstance,
    SafetyFlag,
    Screening,
    ScreeningAddendum,
)
from screening.selectors import screening_placement

SUICIDE_RISK = "suicide_risk"


def _audit(*, actor, action, client, obj, request=None, **details):
    audit_record(
        actor=actor, action=action, client=client, obj=obj, request=request, details=details
    )


def referral_register(
    *,
    actor,
    client_data: dict[str, Any],
    referral_data: dict[str, Any],
    substances: list[dict[str, Any]],
    referral_date=None,
    request=None,
) -> Referral:
    """Register a referral: a new client, an episode in screening and the
    TEDS referral fields with up to three ranked substances."""
    ranks = [substance["rank"] for substance in substances]
    if len(ranks) != len(set(ranks)):
        raise ValidationError(_("Each substance rank (primary, secondary, tertiary) once only."))
    with transaction.atomic():
        client = client_create(
            actor=actor, data=client_data, referral_date=referral_date, request=request
        )
        episode = client.episodes.get()
        referral = Referral(episode=episode, created_by=actor, **referral_data)
        referral.full_clean()
        referral.save()
        for substance in substances:
            row = ReferralSubstance(referral=referral, **substance)
            row.full_clean(exclude=["referral"])
            row.save()
        _audit(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=referral,
            request=request,
            substances=len(substances),
        )
    return referral


def screening_start(*, actor, episode: Episode, request=None) -> Screening:
    """Open a screening visit (or return the one already in progress)."""
    if episode.phase != Episode.Phase.SCREENING:
        raise ValidationError(_("Only a client in screening can be screened for admission."))
    with transaction.atomic():
        Episode.objects.select_for_update().get(pk=episode.pk)
        existing = episode.screenings.filter(status=Screening.Status.DRAFT).first()
        if existing is not None:
            return existing
        screening = Screening.objects.create(episode=episode, started_by=actor)
        _audit(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=episode.client,
            obj=screening,
            request=request,
        )
    return screening


def _sex_for_scoring(client: Client) -> str | None:
    return client.sex if client.sex in ("female", "male") else None


def _ensure_draft(screening: Screening) -> None:
    if screening.is_completed:
        raise ValidationError(_("This screening is completed and signed; add an addendum instead."))


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
    request=None,
) -> InstrumentAdministration:
    """Score and store one administration. A suicide-risk answer raises a
    safety flag and notifies every supervisor at once.

    Raises InstrumentValidationError (item by item) for bad answers; nothing
    is written then.
    """
    instrument = get_instrument(code)
    if screening is not None:
        _ensure_draft(screening)
    sex = _sex_for_scoring(client) if code in ("AUDIT", "AUDIT-C") else None
    result = score(code, answers, sex=sex)
    episode = (
        screening.episode if screening else client.episodes.exclude(phase="discharged").first()
    )
    with transaction.atomic():
        if screening is not None:
            # Re-check on the locked row: it may have been signed meanwhile.
            screening = Screening.objects.select_for_update().get(pk=screening.pk)
            _ensure_draft(screening)
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
            administered_by=actor,
            administered_at=administered_at or timezone.now(),
        )
        _audit(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=administration,
            request=request,
            instrument=code,
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


def safety_flag_raise(
    *, actor, administration: InstrumentAdministration, reason: str, request=None
) -> SafetyFlag:
    """Open a flag and tell every active supervisor (in-app notification)."""
    flag = SafetyFlag.objects.create(
        client=administration.client, administration=administration, reason=reason
    )
    supervisors = get_user_model().objects.filter(is_active=True, groups__name=roles.SUPERVISOR)
    client = administration.client
    staff_notify(
        recipients=supervisors,
        kind="safety_flag",
        client=client,
        message=_("Safety flag for client %(mrn)s: %(reason)s")
        % {"mrn": client.mrn, "reason": reason},
        link=reverse("clients:client-detail", args=[client.public_id]),
    )
    _audit(
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
        _audit(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=flag.client,
            obj=flag,
            request=request,
            flag_action=action,
        )
    return flag


def screening_rate_dimensions(
    *,
    actor,
    screening: Screening,
    ratings: dict[str, tuple[int, str]],
    complicated_withdrawal: bool = False,
    request=None,
) -> Screening:
    """Store the six dimension ratings (0-4, each with a justification) and
    recompute the recommendation."""
    _ensure_draft(screening)
    errors = {}
    for dimension in DIMENSIONS:
        rating, justification = ratings.get(dimension, (None, ""))
        if not isinstance(rating, int) or isinstance(rating, bool) or not 0 <= rating <= 4:
            errors[dimension] = _("Rate %(dimension)s from 0 to 4.") % {"dimension": dimension}
        elif not str(justification).strip():
            errors[dimension] = _("Justify the %(dimension)s rating.") % {"dimension": dimension}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        screening = Screening.objects.select_for_update().get(pk=screening.pk)
        _ensure_draft(screening)
        for dimension in DIMENSIONS:
            rating, justification = ratings[dimension]
            DimensionRating.objects.update_or_create(
                screening=screening,
                dimension=dimension,
                defaults={"rating": rating, "justification": justification.strip()},
            )
        screening.complicated_withdrawal = complicated_withdrawal
        screening.save(update_fields=["complicated_withdrawal"])
        screening_refresh_recommendation(screening=screening)
        _audit(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=screening.client,
            obj=screening,
            request=request,
            fields=["ratings"],
        )
    return screening


def screening_refresh_recommendation(*, screening: Screening) -> Screening:
    """Store the placement aid's current recommendation on the screening."""
    placement = screening_placement(screening)
    level, reasons = (placement.level, placement.reasons) if placement else ("", [])
    Screening.objects.filter(pk=screening.pk).update(
        recommended_level=level, recommendation_reasons=reasons
    )
    screening.recommended_level, screening.recommendation_reasons = level, reasons
    return screening


def _completion_errors(screening: Screening, decision: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not screening.administrations.exists():
        errors["__all__"] = _("Administer at least one instrument before completing.")
    if screening.ratings.count() != len(DIMENSIONS):
        errors["ratings"] = _("Rate all six dimensions before completing.")
    if SafetyFlag.objects.filter(
        administration__screening=screening, addressed_at__isnull=True
    ).exists():
        errors["safety"] = _("Record the action taken on every safety flag before completing.")
    level = decision.get("decided_level", "")
    if decision.get("decision") == Screening.Decision.ADMIT:
        if level not in ADMITTING_LEVELS:
            errors["decided_level"] = _("The program admits at levels 1.0, 2.1 or 2.5 only.")
        if decision.get("counselor") is None:
            errors["counselor"] = _("Choose the primary counselor.")
        if decision.get("orientation_at") is None:
            errors["orientation_at"] = _("Book the orientation session.")
    elif decision.get("decision") == Screening.Decision.REFER:
        if not decision.get("referred_to", "").strip():
            errors["referred_to"] = _("Name where the client is referred.")
    else:
        errors["decision"] = _("Choose admit or refer.")
    if level != screening.recommended_level and not decision.get("reason", "").strip():
        errors["reason"] = _("The decision differs from the recommendation: give the reason.")
    return errors


def screening_complete(
    *, actor, screening: Screening, decision: dict[str, Any], request=None
) -> Screening:
    """Sign the screening and act on the decision.

    decision: {"decision": "admit"|"refer", "decided_level", "reason",
    and for admit "counselor", "orientation_at"; for refer "referred_to",
    "share_results_in_letter"}. Admission enters the intensive phase, assigns
    the counselor and books the orientation; a referral out closes the
    episode (TEDS reason: transferred).
    """
    with transaction.atomic():
        screening = Screening.objects.select_for_update().get(pk=screening.pk)
        _ensure_draft(screening)
        screening_refresh_recommendation(screening=screening)
        errors = _completion_errors(screening, decision)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        screening.status = Screening.Status.COMPLETED
        screening.decision = decision["decision"]
        screening.decided_level = decision["decided_level"]
        screening.decision_reason = decision.get("reason", "").strip()
        screening.referred_to = decision.get("referred_to", "").strip()
        screening.share_results_in_letter = bool(decision.get("share_results_in_letter"))
        screening.completed_by = actor
        screening.completed_at = now
        screening.save()
        episode = screening.episode
        _audit(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=episode.client,
            obj=screening,
            request=request,
            status="completed",
            decision=screening.decision,
            level=screening.decided_level,
        )
        today = timezone.localdate()
        if screening.decision == Screening.Decision.ADMIT:
            episode = episode_admit(
                actor=actor,
                episode=episode,
                admission_date=today,
                level_of_care=screening.decided_level,
                counselor=decision["counselor"],
                request=request,
            )
            appointment_schedule(
                actor=actor,
                episode=episode,
                kind=Appointment.Kind.ORIENTATION,
                starts_at=decision["orientation_at"],
                counselor=decision["counselor"],
                request=request,
            )
        else:
            episode_discharge(
                actor=actor,
                episode=episode,
                discharge_date=today,
                reason=Episode.DischargeReason.TRANSFERRED,
                request=request,
            )
    return screening


def screening_addendum_add(*, actor, screening: Screening, text: str, request=None):
    """Corrections to a signed screening are addenda, signed by their author."""
    if not screening.is_completed:
        raise ValidationError(_("Edit the screening itself while it is in progress."))
    if not text.strip():
        raise ValidationError({"text": _("Write the addendum.")})
    with transaction.atomic():
        addendum = ScreeningAddendum.objects.create(
            screening=screening, text=text.strip(), author=actor
        )
        _audit(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=screening.client,
            obj=addendum,
            request=request,
        )
    return addendum


__all__ = [
    "InstrumentValidationError",
    "administration_record",
    "referral_register",
    "safety_flag_address",
    "screening_addendum_add",
    "screening_complete",
    "screening_rate_dimensions",
    "screening_start",
]
