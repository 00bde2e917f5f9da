"""Administrators edit the measurement plan: add a line, change how it is
given, take it out of use. A line that due measures point to keeps its
schedule (instrument, moment, interval, month) for ever: those measures were
made due by it, and rewriting it would rewrite why they were due. To change
such a schedule, take the line out of use and add a new one."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from outcomes.models import DueMeasure, MeasurePlanEntry

SCHEDULE_FIELDS = ("instrument", "moment", "every_days", "aftercare_month")
EDITABLE_FIELDS = (*SCHEDULE_FIELDS, "method", "window_days")


def plan_entry_in_use(entry: MeasurePlanEntry) -> bool:
    """Whether due measures point to this line (its schedule is then fixed)."""
    return entry.pk is not None and DueMeasure.objects.filter(plan_entry=entry).exists()


def _normalise(values: dict) -> dict:
    """Only the moment's own field is kept: an interval on an admission line
    would mean nothing and would defeat the once-per-schedule constraint."""
    values = dict(values)
    moment = values.get("moment")
    if moment != MeasurePlanEntry.Moment.EVERY:
        values["every_days"] = None
    if moment != MeasurePlanEntry.Moment.AFTERCARE:
        values["aftercare_month"] = None
    return values


# The ranges the table's check constraints hold (MeasurePlanEntry.Meta).
EVERY_DAYS_RANGE = (7, 180)
AFTERCARE_MONTH_RANGE = (1, 12)


def _validate(entry: MeasurePlanEntry) -> None:
    entry.full_clean(exclude=["active"], validate_constraints=False)
    low, high = EVERY_DAYS_RANGE
    if entry.moment == MeasurePlanEntry.Moment.EVERY and not (
        entry.every_days and low <= entry.every_days <= high
    ):
        raise ValidationError(
            {
                "every_days": _("Give the interval in days, %(low)s to %(high)s.")
                % {"low": low, "high": high}
            }
        )
    low, high = AFTERCARE_MONTH_RANGE
    if entry.moment == MeasurePlanEntry.Moment.AFTERCARE and not (
        entry.aftercare_month and low <= entry.aftercare_month <= high
    ):
        raise ValidationError(
            {
                "aftercare_month": _("Give the month of aftercare, %(low)s to %(high)s.")
                % {"low": low, "high": high}
            }
        )
    duplicate = MeasurePlanEntry.objects.filter(
        active=True,
        instrument=entry.instrument,
        moment=entry.moment,
        every_days=entry.every_days,
        aftercare_month=entry.aftercare_month,
    ).exclude(pk=entry.pk)
    if entry.active and duplicate.exists():
        raise ValidationError(_("The plan already gives this instrument at this moment."))


def _save(entry: MeasurePlanEntry, *, update_fields=None) -> None:
    try:
        with transaction.atomic():
            entry.save(update_fields=update_fields)
    except IntegrityError as error:
        # Another administrator added the same line meanwhile.
        raise ValidationError(
            _("The plan already gives this instrument at this moment.")
        ) from error


def plan_entry_create(*, actor, values: dict, request=None) -> MeasurePlanEntry:
    values = _normalise({key: values.get(key) for key in EDITABLE_FIELDS})
    with transaction.atomic():
        entry = MeasurePlanEntry(**values)
        _validate(entry)
        _save(entry)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=entry,
            request=request,
            details={"instrument": entry.instrument, "moment": entry.moment},
        )
    return entry


def plan_entry_update(
    *, actor, entry: MeasurePlanEntry, values: dict, request=None
) -> MeasurePlanEntry:
    with transaction.atomic():
        entry = MeasurePlanEntry.objects.select_for_update().get(pk=entry.pk)
        values = _normalise({key: values.get(key, getattr(entry, key)) for key in EDITABLE_FIELDS})
        changed = [key for key in EDITABLE_FIELDS if getattr(entry, key) != values[key]]
        if not changed:
            return entry
        if set(changed) & set(SCHEDULE_FIELDS) and plan_entry_in_use(entry):
            raise ValidationError(
                _(
                    "Measures were made due by this line: its schedule cannot change. "
                    "Take it out of use and add a new line instead."
                )
            )
        for key in changed:
            setattr(entry, key, values[key])
        _validate(entry)
        _save(entry, update_fields=changed)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=entry,
            request=request,
            details={"fields": changed},
        )
    return entry


def plan_entry_set_active(
    *, actor, entry: MeasurePlanEntry, active: bool, request=None
) -> MeasurePlanEntry:
    """Take a line out of use (nothing more is made due by it; measures
    already due stay) or back into use. Lines are never deleted."""
    with transaction.atomic():
        entry = MeasurePlanEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.active == active:
            return entry
        entry.active = active
        if active:
            _validate(entry)
        _save(entry, update_fields=["active"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=entry,
            request=request,
            details={"fields": ["active"], "active": active},
        )
    return entry
