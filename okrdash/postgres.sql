-- The bookkeeping okrdash keeps in PostgreSQL beside the tables the DuckDB migrations define
-- (those are created from the mirror's own schema, see okrdash/postgres_store.py; its statements
-- on the mirror are in mirror.sql).
-- Each statement is named by the comment line above it; parameters are psycopg's %(name)s.

-- name: bookkeeping
-- One row per committed write: the batches it wrote or undid (a reset or restore: everything).
-- A process whose mirror is at version v reloads the rows of the batches of every later row.
CREATE TABLE IF NOT EXISTS okrdash_changes (
    version bigserial PRIMARY KEY,
    batch_ids integer[] NOT NULL,
    everything boolean NOT NULL,
    changed_at timestamp NOT NULL DEFAULT now()
);
-- The newest change-log version pruned: a mirror older than it has missed rows and reloads everything.
CREATE TABLE IF NOT EXISTS okrdash_pruned (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    up_to bigint NOT NULL
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

-- name: latest
SELECT coalesce(max(version), 0) FROM okrdash_changes;

-- name: changes_since
-- Everything when a later write was a reset or restore, or when rows the mirror has not seen were pruned.
SELECT coalesce(max(version), %(version)s),
       coalesce(bool_or(everything), false)
           OR %(version)s < (SELECT coalesce(max(up_to), 0) FROM okrdash_pruned),
       coalesce(array_agg(DISTINCT b) FILTER (WHERE b IS NOT NULL), '{}')
FROM okrdash_changes LEFT JOIN LATERAL unnest(batch_ids) AS b ON true
WHERE version > %(version)s;

-- name: log_change
INSERT INTO okrdash_changes (batch_ids, everything) VALUES (%(batches)s, %(everything)s) RETURNING version;

-- name: prune_changes
-- Run by each write after logging itself: the log keeps its newest row and a week of changes, so a
-- process idle over a weekend still reloads only what changed; one idle longer reloads everything.
WITH gone AS (
    DELETE FROM okrdash_changes
    WHERE version < %(version)s AND changed_at < now() - make_interval(days => %(days)s)
    RETURNING version
)
INSERT INTO okrdash_pruned (only_row, up_to)
SELECT true, max(version) FROM gone HAVING count(*) > 0
ON CONFLICT (only_row) DO UPDATE SET up_to = greatest(okrdash_pruned.up_to, excluded.up_to);

-- name: sequences
SELECT name, last_value FROM okrdash_sequences;

-- name: set_sequence
INSERT INTO okrdash_sequences (name, last_value) VALUES (%(name)s, %(value)s)
ON CONFLICT (name) DO UPDATE SET last_value = excluded.last_value;

-- name: columns
SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema();

-- name: schema_versions
SELECT version FROM schema_version;

-- name: add_schema_version
-- A migration the mirror has applied, recorded with the time it was first applied.
INSERT INTO schema_version (version, applied_at) VALUES (%(version)s, %(applied_at)s);

-- name: claim_reminder
-- As the DuckDB store's (okrdash/store/writes.sql): a second process's insert of the same row waits
-- for the first one's transaction (it sends, then commits), then conflicts and sends nothing.
INSERT INTO reminders_sent (kind, person, week, sent_at) VALUES (%(kind)s, %(person)s, %(week)s, now())
ON CONFLICT DO NOTHING RETURNING person;

-- name: reminders_sent
SELECT kind, person FROM reminders_sent WHERE week = %(week)s;

-- name: saved_mappings
SELECT name, mapping FROM saved_mappings WHERE headers = %(headers)s ORDER BY name;

-- name: save_mapping
-- As the DuckDB store's (okrdash/store/writes.sql).
INSERT INTO saved_mappings (name, headers, mapping, saved_by, saved_at)
VALUES (%(name)s, %(headers)s, %(mapping)s, %(saved_by)s, now())
ON CONFLICT (name) DO UPDATE SET headers = excluded.headers, mapping = excluded.mapping,
                                 saved_by = excluded.saved_by, saved_at = excluded.saved_at;
