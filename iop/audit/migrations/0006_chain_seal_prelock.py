from django.db import migrations

# The seal of migration 0005, with one step added before the chain lock: the
# rows this transaction's audit events point to (clients and users) are
# locked FOR KEY SHARE first, once per transaction. Their foreign-key checks
# are deferred to commit too and queued after the first event's seal; had
# they waited there for a row another transaction holds FOR UPDATE (editing
# a client), while that transaction waited at its own commit for the chain
# lock, the two would deadlock. Waiting before taking the lock is the
# ordinary wait for a row lock.
FORWARD = """
CREATE OR REPLACE FUNCTION audit_event_seal() RETURNS trigger AS $$
DECLARE
    head_seq bigint;
    head_hash text;
BEGIN
    IF NEW.chain_seq IS NOT NULL OR NEW.chain_hash <> '' THEN
        RAISE EXCEPTION 'audit_auditevent: the chain is set by the database, not on insert'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Unsealed rows visible here are this transaction's own (the others'
    -- are not visible before they commit, and are sealed as they do).
    IF current_setting('audit.chain_prelocked', true) IS DISTINCT FROM '1' THEN
        PERFORM 1 FROM clients_client c
            WHERE c.id IN (
                SELECT client_id FROM audit_auditevent
                WHERE chain_seq IS NULL AND client_id IS NOT NULL
            )
            FOR KEY SHARE OF c;
        PERFORM 1 FROM accounts_user u
            WHERE u.id IN (
                SELECT actor_id FROM audit_auditevent
                WHERE chain_seq IS NULL AND actor_id IS NOT NULL
            )
            FOR KEY SHARE OF u;
        -- Local to the transaction: the next one locks its own rows again.
        PERFORM set_config('audit.chain_prelocked', '1', true);
    END IF;
    -- One chain, one writer at a time: the head read below must be the head
    -- this event is appended to. Released when the transaction ends, after
    -- its rows are visible, so the next sealer reads the new head.
    PERFORM pg_advisory_xact_lock(7417001);
    SELECT chain_seq, chain_hash INTO head_seq, head_hash
        FROM audit_auditevent
        WHERE chain_seq IS NOT NULL
        ORDER BY chain_seq DESC
        LIMIT 1;
    UPDATE audit_auditevent
        SET chain_seq = coalesce(head_seq, 0) + 1,
            chain_hash = audit_chain_link(
                coalesce(head_hash, repeat('0', 64)), audit_event_payload(NEW)
            )
        -- Already sealed when the bulk sealer ran in this same transaction.
        WHERE id = NEW.id AND chain_seq IS NULL;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

REVERSE = """
CREATE OR REPLACE FUNCTION audit_event_seal() RETURNS trigger AS $$
DECLARE
    head_seq bigint;
    head_hash text;
BEGIN
    IF NEW.chain_seq IS NOT NULL OR NEW.chain_hash <> '' THEN
        RAISE EXCEPTION 'audit_auditevent: the chain is set by the database, not on insert'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM pg_advisory_xact_lock(7417001);
    SELECT chain_seq, chain_hash INTO head_seq, head_hash
        FROM audit_auditevent
        WHERE chain_seq IS NOT NULL
        ORDER BY chain_seq DESC
        LIMIT 1;
    UPDATE audit_auditevent
        SET chain_seq = coalesce(head_seq, 0) + 1,
            chain_hash = audit_chain_link(
                coalesce(head_hash, repeat('0', 64)), audit_event_payload(NEW)
            )
        WHERE id = NEW.id AND chain_seq IS NULL;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    """The seal locks the rows its events point to before the chain lock,
    so a commit never waits for a row lock while holding the chain."""

    dependencies = [("audit", "0005_chain_triggers"), ("clients", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=REVERSE)]
