"""Registering a referral: the client, an episode in screening and the TEDS
referral fields."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from iop.audit.models import AuditEvent
from iop.clients.services import client_create, demographics_update
from screening.models import Referral, ReferralSubstance
from screening.services.common import audit


def referral_register(
    *,
    actor,
    client_data: dict[str, Any],
    referral_data: dict[str, Any],
    substances: list[dict[str, Any]],
    demographics: dict[str, Any] | None = None,
    referral_date=None,
    request=None,
) -> Referral:
    """Register a referral: a new client, an episode in screening and the
    TEDS referral fields with up to three ranked substances, and whichever
    demographic items are known already (all optional at referral)."""
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
        if demographics and any(demographics.values()):
            demographics_update(
                actor=actor,
                episode=episode,
                data=demographics,
                employment=referral.employment,
                request=request,
            )
        audit(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=referral,
            request=request,
            substances=len(substances),
        )
    return referral
