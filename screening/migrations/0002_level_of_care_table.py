from django.db import migrations

# The default placement table of DOMAIN.md section 4 (ASAM Criteria 3rd ed.
# numbering): the highest rating per dimension each level serves; None = any.
# Written out here, not imported, so this migration never changes.
ROWS = [
    ("1.0", "Outpatient", 1, (1, 1, 1, 1, 1, 1)),
    ("2.1", "Intensive outpatient", 2, (1, 2, 2, 2, 2, 2)),
    ("2.5", "Partial hospitalization / high-intensity outpatient", 3, (2, 2, 3, 3, 3, 3)),
    ("3.5", "Clinically managed residential", 4, (2, 3, 3, 4, 4, 4)),
    ("3.7", "Medically monitored residential", 5, (3, 3, 3, 4, 4, 4)),
    ("4", "Medically managed inpatient", 6, (None, None, None, None, None, None)),
]


def load(apps, schema_editor):
    Rule = apps.get_model("screening", "LevelOfCareRule")
    for code, label, order, caps in ROWS:
        Rule.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "order": order,
                **{f"d{number}_max": cap for number, cap in enumerate(caps, start=1)},
            },
        )


def unload(apps, schema_editor):
    apps.get_model("screening", "LevelOfCareRule").objects.filter(
        code__in=[row[0] for row in ROWS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
