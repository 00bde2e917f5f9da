from django.db import migrations


class Migration(migrations.Migration):
    """Record numbers come from a sequence: unique under concurrent intake,
    no gaps filled in later, no guessing from row ids."""

    dependencies = [("clients", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE clients_mrn_seq START WITH 100001 INCREMENT BY 1;",
            reverse_sql="DROP SEQUENCE IF EXISTS clients_mrn_seq;",
        ),
    ]
