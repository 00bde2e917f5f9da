"""The CARC and RARC lists (billing/data/carc.csv, rarc.csv; sources in
billing/data/README.md) as AdjustmentReason rows."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with open(DATA / name, encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def load(apps, schema_editor):
    AdjustmentReason = apps.get_model("billing", "AdjustmentReason")
    for kind, name in (("carc", "carc.csv"), ("rarc", "rarc.csv")):
        for row in _rows(name):
            AdjustmentReason.objects.update_or_create(
                kind=kind, code=row["code"], defaults={"description": row["description"]}
            )


def unload(apps, schema_editor):
    apps.get_model("billing", "AdjustmentReason").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0005_hold_reasons_npi_rejected")]

    operations = [migrations.RunPython(load, unload)]
