from django.db import migrations

# One definition of what is hashed, in the database, used both by the seal
# at commit and by the verifier (iop/audit/chain.py): the event's columns as
# a JSON array, whose jsonb text form is canonical and unambiguous (strings
# are quoted and escaped, so no content can move from one field to the next).
# The time is written in UTC with microseconds, independent of the session's
# time zone and date style.
FORWARD = """
CREATE OR REPLACE FUNCTION audit_event_payload(e audit_auditevent) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_array(
        e.id,
        to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.actor_id,
        e.actor_username,
        e.action,
        e.client_id,
        e.object_type,
        e.object_id,
        e.path,
        host(e.ip_address),
        e.user_agent,
        e.details::jsonb
    )::text
$$;

-- hash_n = sha256(hash_{n-1} || payload_n), hex; the first link follows 64 zeros.
CREATE OR REPLACE FUNCTION audit_chain_link(prev_hash text, payload text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT encode(sha256(convert_to(prev_hash || payload, 'UTF8')), 'hex')
$$;

-- Append-only, with one exception: sealing, which gives an unsealed event
-- its chain position and hash and changes nothing else.
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.chain_seq IS NULL
        AND NEW.chain_seq IS NOT NULL
        AND NEW.chain_hash <> ''
        AND (to_jsonb(NEW) - 'chain_seq' - 'chain_hash')
            = (to_jsonb(OLD) - 'chain_seq' - 'chain_hash')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

-- Runs when the inserting transaction commits (a deferred constraint
-- trigger), so the chain lock below is held only for the commit itself and
-- events are chained in commit order: a transaction still open never holds
-- up the others' audit rows. Row triggers fire in name order, so the
-- foreign-key checks of the same row ("RI_...") run before this one.
CREATE OR REPLACE FUNCTION audit_event_seal() RETURNS trigger AS $$
DECLARE
    head_seq bigint;
    head_hash text;
BEGIN
    IF NEW.chain_seq IS NOT NULL OR NEW.chain_hash <> '' THEN
        RAISE EXCEPTION 'audit_auditevent: the chain is set by the database, not on insert'
            USING ERRCODE = 'insufficient_privilege';
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

CREATE CONSTRAINT TRIGGER audit_event_seal
    AFTER INSERT ON audit_auditevent
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION audit_event_seal();

-- Seal, in id order, every committed event that has no chain position yet:
-- the events that predate the chain, and a bulk load that disabled the seal
-- trigger (the large-clinic generator). Set-based where it can be: the
-- hashes are computed in one pass (each needs the previous, so a loop) and
-- written back in batches.
CREATE OR REPLACE FUNCTION audit_chain_seal_unsealed() RETURNS bigint AS $$
DECLARE
    head_seq bigint;
    head_hash text;
    sealed bigint := 0;
    event record;
    ids bigint[] := '{}';
    seqs bigint[] := '{}';
    hashes text[] := '{}';
BEGIN
    PERFORM pg_advisory_xact_lock(7417001);
    SELECT chain_seq, chain_hash INTO head_seq, head_hash
        FROM audit_auditevent
        WHERE chain_seq IS NOT NULL
        ORDER BY chain_seq DESC
        LIMIT 1;
    head_seq := coalesce(head_seq, 0);
    head_hash := coalesce(head_hash, repeat('0', 64));
    FOR event IN
        SELECT a.id, audit_event_payload(a) AS payload
        FROM audit_auditevent a
        WHERE a.chain_seq IS NULL
        ORDER BY a.id
    LOOP
        head_seq := head_seq + 1;
        head_hash := encode(sha256(convert_to(head_hash || event.payload, 'UTF8')), 'hex');
        ids := array_append(ids, event.id);
        seqs := array_append(seqs, head_seq);
        hashes := array_append(hashes, head_hash);
        IF cardinality(ids) >= 20000 THEN
            UPDATE audit_auditevent a SET chain_seq = u.seq, chain_hash = u.hash
                FROM unnest(ids, seqs, hashes) AS u(id, seq, hash) WHERE a.id = u.id;
            sealed := sealed + cardinality(ids);
            ids := '{}'; seqs := '{}'; hashes := '{}';
        END IF;
    END LOOP;
    UPDATE audit_auditevent a SET chain_seq = u.seq, chain_hash = u.hash
        FROM unnest(ids, seqs, hashes) AS u(id, seq, hash) WHERE a.id = u.id;
    RETURN sealed + cardinality(ids);
END;
$$ LANGUAGE plpgsql;
"""

REVERSE = """
DROP TRIGGER IF EXISTS audit_event_seal ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_seal();
DROP FUNCTION IF EXISTS audit_chain_seal_unsealed();
DROP FUNCTION IF EXISTS audit_chain_link(text, text);
DROP FUNCTION IF EXISTS audit_event_payload(audit_auditevent);
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    """Tamper-evident audit trail: every event is sealed into a hash chain
    when its transaction commits, and the events that already exist are
    sealed now (in id order) so an upgraded database verifies."""

    dependencies = [("audit", "0004_chain_and_emergency_access")]

    operations = [
        migrations.RunSQL(FORWARD, reverse_sql=REVERSE),
        migrations.RunSQL("SELECT audit_chain_seal_unsealed();", migrations.RunSQL.noop),
    ]
