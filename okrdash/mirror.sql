-- The PostgreSQL store's statements on its DuckDB mirror (okrdash/postgres_store.py); those on
-- PostgreSQL itself are in postgres.sql. Parameters are DuckDB's $name; {name} is one of the
-- store's id sequences, filled in by postgres_store.py. Statements over a table's column list
-- (copying rows in and out) are built there from the mirror's own schema.

-- name: columns
-- The mirrored tables' columns, as the DuckDB migrations made them.
SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
WHERE list_contains($tables, table_name) ORDER BY table_name, ordinal_position;

-- name: keys
-- Their primary keys and unique constraints.
SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints()
WHERE list_contains($tables, table_name) AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')
ORDER BY table_name, constraint_type, constraint_index;

-- name: applied_versions
SELECT version, applied_at FROM schema_version ORDER BY version;

-- name: sequences
SELECT sequence_name, start_value, last_value FROM duckdb_sequences();

-- name: advance_sequence
-- DuckDB sequences cannot be set: nextval $gap times.
SELECT max(nextval('{name}')) FROM range($gap);

-- name: last_batch
SELECT coalesce(max(id), 0) FROM batches;

-- name: batches_after
SELECT id FROM batches WHERE id > $batch ORDER BY id;
