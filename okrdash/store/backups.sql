-- Backup and restore: the whole database as a folder of Parquet files with schema.sql and load.sql.
-- EXPORT and IMPORT DATABASE take no parameters: {database} is a quoted identifier, {folder} a
-- quoted path (schema.quoted).

-- name: export
EXPORT DATABASE {database} TO {folder} (FORMAT parquet);

-- name: import
IMPORT DATABASE {folder};

-- name: current_database
SELECT current_database();
