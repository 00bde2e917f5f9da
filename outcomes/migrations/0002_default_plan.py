"""The default measurement plan (administrators edit it): the BAM at
admission and every 4 weeks of the intensive phase, PHQ-9 and GAD-7 at
admission and every 30 days, all three at step-down and discharge, and the
BAM and PHQ-9 in aftercare months 3, 6 and 12, by self-report link."""

from django.db import migrations

DEFAULT_PLAN = [
    *[(code, "admission", None, None) for code in ("BAM", "PHQ-9", "GAD-7")],
    ("BAM", "every", 28, None),
    ("PHQ-9", "every", 30, None),
    ("GAD-7", "every", 30, None),
    *[(code, "step_down", None, None) for code in ("BAM", "PHQ-9", "GAD-7")],
    *[(code, "discharge", None, None) for code in ("BAM", "PHQ-9", "GAD-7")],
    *[(code, "aftercare", None, month) for month in (3, 6, 12) for code in ("BAM", "PHQ-9")],
]


def add_plan(apps, schema_editor):
    Entry = apps.get_model("outcomes", "MeasurePlanEntry")
    Entry.objects.bulk_create(
        Entry(instrument=code, moment=moment, every_days=days, aftercare_month=month, method="link")
        for code, moment, days, month in DEFAULT_PLAN
    )


def remove_plan(apps, schema_editor):
    apps.get_model("outcomes", "MeasurePlanEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]
    operations = [migrations.RunPython(add_plan, remove_plan)]
