-- The bookkeeping okrdash keeps in PostgreSQL beside the tables the DuckDB migrations define
-- (those are created from the mirror's own schema, see okrdash/postgres_store.py).
-- Each statement is named by the comment line above it; parameters are psycopg's %(name)s.

-- name: bookkeeping
-- One row per mirrored table: bumped by every write transaction that changed the table, so a
-- process reloads exactly the tables another process wrote.
CREATE TABLE IF NOT EXISTS okrdash_versions (
    table_name text PRIMARY KEY,
    version bigint NOT NULL DEFAULT 0
);
-- The last value the writer's mirror gave out of each id sequence, so the next writer (another
-- process) continues after it and ids never repeat, as in one DuckDB file.
CREATE TABLE IF NOT EXISTS okrdash_sequences (
    name text PRIMARY KEY,
    last_value bigint
);

-- name: lock
-- Held to the end of the transaction: serialises writers across processes and machines.
SELECT pg_advisory_xact_lock(%(key)s);

-- name: add_versions
INSERT INTO okrdash_versions (table_name) SELECT unnest(%(tables)s::text[]) ON CONFLICT DO NOTHING;

-- name: versions
SELECT table_name, version FROM okrdash_versions;

-- name: bump
UPDATE okrdash_versions SET version = version + 1 WHERE table_name = ANY(%(tables)s) RETURNING table_name, version;

-- name: sequences
SELECT name, last_value FROM okrdash_sequences;

-- name: set_sequence
INSERT INTO okrdash_sequences (name, last_value) VALUES (%(name)s, %(value)s)
ON CONFLICT (name) DO UPDATE SET last_value = excluded.last_value;

-- name: columns
SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema();
