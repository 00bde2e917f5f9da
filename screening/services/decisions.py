"""Completing a screening: sign it and act on the decision, admission into
the program or a referral out."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iop.audit.models import AuditEvent
from iop.clients.models import Appointment, Demographics, Episode
from iop.clients.services import appointment_schedule, episode_admit, episode_discharge
from iop.clients.signing import note_sign
from screening.instruments import DIMENSIONS
from screening.models import ADMITTING_LEVELS, SafetyFlag, Screening
from screening.selectors import screening_missing_demographics
from screening.services.common import audit, ensure_draft
from screening.services.screenings import screening_refresh_recommendation

DECISION_FIELDS = [
    "status",
    "decision",
    "decided_level",
    "decision_reason",
    "referred_to",
    "share_results_in_letter",
]


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
        missing = screening_missing_demographics(screening)
        if missing:
            errors["demographics"] = _(
                "Before admitting, answer these items or record that the client declined or "
                "that they are unknown: %(items)s."
            ) % {"items": ", ".join(Demographics.verbose(name) for name in missing)}
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
    """Sign the screening (iop.clients.signing: late if over 72 hours after
    the visit started, awaiting a supervisor's co-signature if the screener is
    in training) and act on the decision.

    decision: {"decision": "admit"|"refer", "decided_level", "reason",
    and for admit "counselor", "orientation_at"; for refer "referred_to",
    "share_results_in_letter"}. Admission enters the intensive phase, assigns
    the counselor and books the orientation; a referral out closes the
    episode (TEDS reason: transferred).
    """
    with transaction.atomic():
        screening = Screening.objects.select_for_update().get(pk=screening.pk)
        ensure_draft(screening)
        screening_refresh_recommendation(screening=screening)
        errors = _completion_errors(screening, decision)
        if errors:
            raise ValidationError(errors)
        # Signed first: a completed screening must already be signed (the
        # check constraint screening_completed_is_signed).
        note_sign(note=screening, actor=actor, service_started_at=screening.started_at)
        screening.status = Screening.Status.COMPLETED
        screening.decision = decision["decision"]
        screening.decided_level = decision["decided_level"]
        screening.decision_reason = decision.get("reason", "").strip()
        screening.referred_to = decision.get("referred_to", "").strip()
        screening.share_results_in_letter = bool(decision.get("share_results_in_letter"))
        screening.save(update_fields=DECISION_FIELDS)
        episode = screening.episode
        audit(
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
