"""The screening visit: open it, rate the six dimensions, keep the placement
aid's recommendation current; once it is signed, addenda and the
co-signature of a supervisor (the shared signing mechanism)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from iop.audit.models import AuditEvent
from iop.clients.models import Episode
from iop.clients.notes import NoteAddendum
from iop.clients.signing import note_addendum_add, note_cosign
from screening.instruments import DIMENSIONS
from screening.models import DimensionRating, Screening
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


def _locked(screening: Screening) -> Screening:
    # The row lock orders an addendum or co-signature after a completion
    # (signature) in progress.
    return (
        Screening.objects.select_for_update(of=("self",))
        .select_related("episode__client")
        .get(pk=screening.pk)
    )


def screening_addendum_add(*, actor, screening: Screening, text: str, request=None) -> NoteAddendum:
    """Corrections to a signed screening are addenda (the shared NoteAddendum),
    signed by their author; audited as the other notes' addenda are."""
    with transaction.atomic():
        screening = _locked(screening)
        if not screening.is_completed:
            raise ValidationError(_("Edit the screening itself while it is in progress."))
        addendum = note_addendum_add(
            note=screening, actor=actor, text=text, client=screening.client
        )
        audit(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=screening.client,
            obj=screening,
            request=request,
            addendum=True,
        )
    return addendum


def screening_cosign(*, actor, screening: Screening, request=None) -> Screening:
    """A supervisor co-signs the screening of a screener in training."""
    with transaction.atomic():
        screening = _locked(screening)
        note_cosign(note=screening, actor=actor)
        audit(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=screening.client,
            obj=screening,
            request=request,
            cosigned=True,
        )
    return screening
