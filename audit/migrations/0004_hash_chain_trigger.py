"""On PostgreSQL every audit entry joins a hash chain when it is inserted.

A BEFORE INSERT trigger takes a transaction-level advisory lock (so concurrent writers queue and
form one chain, whatever order their ids came from the sequence in), gives the row the next
`chain_seq`, the previous entry's hash as `prev_hash`, and as `hash` the SHA-256 of its canonical
content: a JSON array of every column in a fixed order (the timestamp as epoch seconds, so the
session time zone does not matter). `audit_entry_digest` is the one definition of that content:
the trigger and `verify_audit_chain` both call it. Existing entries are chained in id order.

The lock is held until the writing transaction commits: audit writers are serialised, which is
the price of one chain.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_entry_digest(e audit_auditentry) RETURNS text AS $$
    SELECT encode(sha256(convert_to(jsonb_build_array(
        e.id, e.chain_seq, e.prev_hash, extract(epoch FROM e.timestamp), e.actor_id,
        e.actor_username, e.action, e.object_type, e.object_id, e.object_repr, e.fields,
        e.changes, e.reason
    )::text, 'UTF8')), 'hex');
$$ LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION audit_entry_chain() RETURNS trigger AS $$
DECLARE
    last_seq bigint;
    last_hash text;
BEGIN
    -- The chain's advisory lock: a constant no other part of the app uses.
    PERFORM pg_advisory_xact_lock(74112021);
    SELECT chain_seq, hash INTO last_seq, last_hash
        FROM audit_auditentry WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
    NEW.chain_seq := coalesce(last_seq, 0) + 1;
    NEW.prev_hash := coalesce(last_hash, '');
    NEW.hash := audit_entry_digest(NEW);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_entry_chain
    BEFORE INSERT ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_chain();

-- Chain what is already there, in id order (the append-only trigger is off for this only).
ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only;
DO $$
DECLARE
    r audit_auditentry;
    seq bigint := 0;
    last_hash text := '';
BEGIN
    FOR r IN SELECT * FROM audit_auditentry ORDER BY id LOOP
        seq := seq + 1;
        r.chain_seq := seq;
        r.prev_hash := last_hash;
        last_hash := audit_entry_digest(r);
        UPDATE audit_auditentry
            SET chain_seq = seq, prev_hash = r.prev_hash, hash = last_hash WHERE id = r.id;
    END LOOP;
END $$;
ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only;
"""

DROP = """
DROP TRIGGER IF EXISTS audit_entry_chain ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_chain();
DROP FUNCTION IF EXISTS audit_entry_digest(audit_auditentry);
"""


def create_chain(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_chain(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain_fields")]

    operations = [migrations.RunPython(create_chain, drop_chain)]
