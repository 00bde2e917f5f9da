"""The screening visit: open it, rate the six dimensions, keep the placement
aid's recommendation current, and add addenda once it is signed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from iop.audit.models import AuditEvent
from iop.clients.models import Episode
from screening.instruments import DIMENSIONS
from screening.models import DimensionRating, Screening, ScreeningAddendum
from screening.selectors import screening_placement
from screening.services.common import audit, ensure_draft


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
        audit(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=episode.client,
            obj=screening,
            request=request,
        )
    return screening


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
    ensure_draft(screening)
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
        ensure_draft(screening)
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
        audit(
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
        audit(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=screening.client,
            obj=addendum,
            request=request,
        )
    return addendum
