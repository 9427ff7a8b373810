-- Backup and restore: the whole database as a folder of Parquet files with schema.sql and load.sql.
-- EXPORT and IMPORT DATABASE take no parameters: {database} is a quoted identifier, {folder} a
-- quoted path (schema.quoted).

-- name: export
EXPORT DATABASE {database} TO {folder} (FORMAT parquet);

-- name: import
IMPORT DATABASE {folder};

-- name: data_catalog
-- The database that holds the tables (a read-only open's default database holds only the rules).
SELECT database_name FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'batches';
