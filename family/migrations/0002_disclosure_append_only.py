from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION family_disclosure_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'family_disclosure is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER family_disclosure_no_update_delete
    BEFORE UPDATE OR DELETE ON family_disclosure
    FOR EACH ROW EXECUTE FUNCTION family_disclosure_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS family_disclosure_no_update_delete ON family_disclosure;
DROP FUNCTION IF EXISTS family_disclosure_append_only();
"""


class Migration(migrations.Migration):
    """The disclosure ledger is the accounting of disclosures a client may ask
    for (42 CFR 2.24): like the audit trail, the database itself refuses to
    rewrite or delete a row, whoever asks."""

    dependencies = [("family", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=REVERSE)]
