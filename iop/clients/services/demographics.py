"""Recording an episode's demographic and social items (TEDS)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Client, Demographics, Episode
from iop.clients.teds import NOT_ANSWERED, Employment, YesNo


def _errors(episode: Episode, values: dict[str, Any], *, employment: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    race = set(values.get("race") or ())
    if race & NOT_ANSWERED and len(race) > 1:
        errors["race"] = _(
            "Choose one or more races, or record that the client declined or it is unknown."
        )
    if values.get("pregnant") == YesNo.YES and episode.client.sex == Client.Sex.MALE:
        errors["pregnant"] = _("The client's record gives the sex as male.")
    if values.get("arrests_discharge") and episode.discharge_date is None:
        errors["arrests_discharge"] = _("Arrests at discharge are recorded once discharged.")
    detail = values.get("not_in_labor_force")
    if detail and employment and employment != Employment.NOT_IN_LABOR_FORCE:
        errors["not_in_labor_force"] = _(
            "The detail applies only to a client who is not in the labor force."
        )
    return errors


def demographics_update(
    *, actor, episode: Episode, data: dict[str, Any], employment: str = "", request=None
) -> Demographics:
    """Record the items in `data` (a subset of Demographics.FIELDS) on the
    episode's Demographics, creating it on first use. `employment`, the
    episode's employment at admission where the caller knows it, checks the
    "not in labor force" detail. Audited with the names of the items changed,
    never their values."""
    unknown = set(data) - set(Demographics.FIELDS)
    if unknown:
        raise ValueError(f"Not demographic items: {sorted(unknown)}")
    with transaction.atomic():
        episode = Episode.objects.select_related("client").select_for_update().get(pk=episode.pk)
        demographics, created = Demographics.objects.select_for_update().get_or_create(
            episode=episode
        )
        values = {name: getattr(demographics, name) for name in Demographics.FIELDS}
        values.update(data)
        errors = _errors(episode, values, employment=employment)
        if errors:
            raise ValidationError(errors)
        changed = []
        for name, value in data.items():
            value = sorted(set(value or ())) if name == "race" else value or ""
            if getattr(demographics, name) != value:
                setattr(demographics, name, value)
                changed.append(name)
        if not changed and not created:
            return demographics
        demographics.updated_by = actor
        demographics.save(update_fields=[*changed, "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            client=episode.client,
            obj=demographics,
            request=request,
            details={"fields": sorted(changed)},
        )
    return demographics


def demographics_missing(episode: Episode, *, employment: str = "") -> list[str]:
    """The items a screening needs before it admits (Demographics.missing),
    all of them when nothing is recorded yet."""
    demographics = getattr(episode, "demographics", None)
    sex = episode.client.sex
    if demographics is None:
        return Demographics.required_fields(sex=sex, employment=employment)
    return demographics.missing(sex=sex, employment=employment)
