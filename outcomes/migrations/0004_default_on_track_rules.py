"""The default "not on track" rules (outcomes/rules.py states each
definition and its source); administrators edit them."""

from django.db import migrations

DEFAULT_RULES = [
    # key, kind, label, instrument, weeks, points, percent, count
    ("phq9-no-improvement", "no_improvement", "PHQ-9 not improving", "PHQ-9", 8, 5, 50, None),
    ("gad7-no-improvement", "no_improvement", "GAD-7 not improving", "GAD-7", 8, 5, 50, None),
    ("bam-use-running", "use_running", "Use on BAM 2 weeks running", "", 2, None, None, None),
    ("bam-risk-rising", "risk_rising", "BAM risk rising", "", None, 4, None, None),
    ("measures-missed", "missed_measures", "Measures missed", "", None, None, None, 2),
]


def add_rules(apps, schema_editor):
    Rule = apps.get_model("outcomes", "OnTrackRule")
    Rule.objects.bulk_create(
        Rule(
            key=key,
            kind=kind,
            label=label,
            instrument=instrument,
            weeks=weeks,
            points=points,
            percent=percent,
            count=count,
        )
        for key, kind, label, instrument, weeks, points, percent, count in DEFAULT_RULES
    )


def remove_rules(apps, schema_editor):
    apps.get_model("outcomes", "OnTrackRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0003_on_track_rules")]
    operations = [migrations.RunPython(add_rules, remove_rules)]
