"""Administrators' changes to the not-on-track rules (outcomes.rules holds
their definitions): one rule at a time, locked, validated, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from outcomes.models import OnTrackRule

EDITABLE = ("label", "weeks", "points", "percent", "count", "active")


def on_track_rule_update(*, actor, rule: OnTrackRule, data: dict, request=None) -> OnTrackRule:
    """Change a rule's label, parameters or use. The parameters its kind
    reads are required; the others stay empty. The audit event names the
    fields changed, not their values' meaning."""
    with transaction.atomic():
        rule = OnTrackRule.objects.select_for_update().get(pk=rule.pk)
        needed = set(rule.parameters)
        errors = {
            name: _("This rule needs a value here.")
            for name in needed
            if data.get(name) in (None, "")
        }
        if not str(data.get("label", "")).strip():
            errors["label"] = _("Give the rule a label.")
        if errors:
            raise ValidationError(errors)
        changed = []
        for name in EDITABLE:
            if name in ("weeks", "points", "percent", "count") and name not in needed:
                continue
            value = data.get(name)
            value = value.strip() if isinstance(value, str) else value
            if getattr(rule, name) != value:
                setattr(rule, name, value)
                changed.append(name)
        if changed:
            rule.save(update_fields=[*changed, "updated_at"])
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                obj=rule,
                request=request,
                details={"rule": rule.key, "fields": changed},
            )
    return rule
