from django.db import migrations

# Every audit event is written twice: inserted, then sealed into the chain at
# commit (a non-HOT update, chain_seq being indexed). The seal looks up the
# transaction's unsealed events and the chain head through that index, which
# slows as dead versions pile up: vacuum this table after 2% of it is dead
# rather than PostgreSQL's default 20%.
FORWARD = """
ALTER TABLE audit_auditevent SET (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02
);
"""

REVERSE = """
ALTER TABLE audit_auditevent RESET (
    autovacuum_vacuum_scale_factor,
    autovacuum_analyze_scale_factor
);
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_emergency_access_group")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=REVERSE)]
