"""manage.py check_data: rows whose dates lie outside the horizon.

Every form and scheduling service now refuses a date outside the horizon
(iop/horizon.py), but rows stored before that may hold one: a group session
moved to 9999-12-31 23:59 was stored as year 10000 in UTC, which Python
cannot read back, so every page listing it failed. This command reads every
date and datetime column of the project's models, as text in the database
(never as Python values, which could not be built), reports each row outside
OUTER with a way to fix it, changes nothing, and exits with status 1 when it
found any, so a deployment script or a monitor can run it.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models
from django.db.models.functions import Cast

from iop import horizon

# What to do besides setting the date it should have, for rows that follow others.
ADVICE = {
    "groups.groupsession": (
        "Set starts_at to the time the session was meant to have; until then its page"
        " is a 404 and the group's page leaves it out."
    ),
    "reminders.reminder": (
        "A reminder follows its appointment or session: fix that first, then cancel"
        " this reminder (status='cancelled')."
    ),
}


@dataclass(frozen=True)
class Finding:
    label: str
    pk: object
    public_id: str
    field: str
    value: str
    is_datetime: bool

    def fix(self) -> str:
        model = apps.get_model(self.label)
        example = "YYYY-MM-DD HH:MM+00:00" if self.is_datetime else "YYYY-MM-DD"
        command = (
            f"python manage.py shell -c \"from django.apps import apps; apps.get_model('"
            f"{model._meta.label}').objects.filter(pk={self.pk!r})"
            f".update({self.field}='{example}')\""
        )
        advice = ADVICE.get(self.label, "Set the date it should have (ask who entered it).")
        return f"{advice} For example: {command}"


def _project_models():
    base = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if not config.path.startswith(base):
            continue
        for model in config.get_models():
            if model._meta.managed and not model._meta.proxy:
                yield model


def _outside(field: models.Field, today) -> models.Q:
    if isinstance(field, models.DateTimeField):
        start, after = horizon.outer_datetimes(today)
        return models.Q(**{f"{field.attname}__lt": start}) | models.Q(
            **{f"{field.attname}__gte": after}
        )
    earliest, latest = horizon.OUTER.bounds(today)
    return models.Q(**{f"{field.attname}__lt": earliest}) | models.Q(
        **{f"{field.attname}__gt": latest}
    )


def rows_outside_horizon(today=None) -> list[Finding]:
    """One query per model with date columns: which rows, which columns."""
    findings = []
    for model in _project_models():
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.DateField)  # DateTimeField is one too
        ]
        if not fields:
            continue
        outside = {field: _outside(field, today) for field in fields}
        columns = {}
        for index, (field, condition) in enumerate(outside.items()):
            columns[f"out_{index}"] = models.ExpressionWrapper(
                condition, output_field=models.BooleanField()
            )
            columns[f"text_{index}"] = Cast(field.attname, models.TextField())
        has_public_id = any(field.name == "public_id" for field in model._meta.fields)
        if has_public_id:
            columns["public_text"] = Cast("public_id", models.TextField())
        rows = (
            model._base_manager.filter(reduce(or_, outside.values()))
            .annotate(**columns)
            .order_by("pk")
            .values("pk", *columns)
        )
        for row in rows:
            for index, field in enumerate(fields):
                if row[f"out_{index}"]:
                    findings.append(
                        Finding(
                            label=model._meta.label_lower,
                            pk=row["pk"],
                            public_id=row.get("public_text") or "",
                            field=field.attname,
                            value=row[f"text_{index}"],
                            is_datetime=isinstance(field, models.DateTimeField),
                        )
                    )
    return findings


class Command(BaseCommand):
    help = (
        "Report rows whose dates lie outside the horizon (1900-01-01 to two years ahead);"
        " exit with status 1 when there are any. Changes nothing."
    )

    def handle(self, *args, **options):
        earliest, latest = horizon.OUTER.bounds()
        findings = rows_outside_horizon()
        for finding in findings:
            public = f" (public id {finding.public_id})" if finding.public_id else ""
            self.stdout.write(
                f"{finding.label} id={finding.pk}{public} {finding.field} = {finding.value}"
            )
            self.stdout.write(f"  fix: {finding.fix()}")
        if findings:
            raise CommandError(
                f"{len(findings)} value(s) outside {earliest} to {latest} (iop/horizon.py);"
                " nothing was changed.",
                returncode=1,
            )
        self.stdout.write(f"Every date lies between {earliest} and {latest}.")
