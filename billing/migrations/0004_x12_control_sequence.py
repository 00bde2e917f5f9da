from django.db import migrations


class Migration(migrations.Migration):
    """X12 interchange and group control numbers (ISA13, GS06) come from a
    sequence: they never repeat, even under concurrent batch building. ISA13
    is nine digits, so the sequence stops at 999999999."""

    dependencies = [
        ("billing", "0003_claims_remittances"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE billing_x12_control_seq START 1 MAXVALUE 999999999 NO CYCLE",
            "DROP SEQUENCE billing_x12_control_seq",
        ),
    ]
