-- The okrdash database's tables, one migration per schema version, and how a connection opens.
-- Each statement is named by the comment line above it ("migration N" for version N); a migration
-- runs once, in one transaction, and is recorded in schema_version. The PostgreSQL backend makes
-- its tables from the in-memory mirror these migrations build (okrdash/postgres_store.py).

-- name: migration 1
CREATE SEQUENCE batch_ids START 1;
CREATE SEQUENCE objective_ids START 1;
CREATE SEQUENCE key_result_ids START 1;
CREATE SEQUENCE kpi_ids START 1;
CREATE TABLE batches (
    id INTEGER PRIMARY KEY DEFAULT nextval('batch_ids'),
    imported_at TIMESTAMP NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    inserted INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    imported_by VARCHAR
);
CREATE TABLE cycles (
    name VARCHAR PRIMARY KEY,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL
);
CREATE TABLE objectives (
    id INTEGER PRIMARY KEY DEFAULT nextval('objective_ids'),
    cycle VARCHAR NOT NULL,
    team VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    owner VARCHAR,
    type VARCHAR NOT NULL,
    parent_title VARCHAR,
    batch_id INTEGER,
    UNIQUE (cycle, team, title)
);
CREATE TABLE key_results (
    id INTEGER PRIMARY KEY DEFAULT nextval('key_result_ids'),
    objective_id INTEGER NOT NULL,
    title VARCHAR NOT NULL,
    owner VARCHAR,
    kind VARCHAR NOT NULL,
    baseline DOUBLE,
    target DOUBLE,
    unit VARCHAR,
    weight DOUBLE NOT NULL,
    kpi_id INTEGER,
    batch_id INTEGER,
    UNIQUE (objective_id, title)
);
CREATE TABLE checkins (
    key_result_id INTEGER NOT NULL,
    date DATE NOT NULL,
    value DOUBLE NOT NULL,
    confidence DOUBLE,
    note VARCHAR,
    batch_id INTEGER,
    PRIMARY KEY (key_result_id, date)
);
CREATE TABLE kpis (
    id INTEGER PRIMARY KEY DEFAULT nextval('kpi_ids'),
    team VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    unit VARCHAR,
    direction VARCHAR NOT NULL,
    target DOUBLE,
    min_value DOUBLE,
    max_value DOUBLE,
    tolerance DOUBLE,
    tolerance_is_share BOOLEAN NOT NULL,
    frequency VARCHAR NOT NULL,
    kpi_type VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    category VARCHAR,
    owner VARCHAR,
    batch_id INTEGER,
    UNIQUE (team, name)
);
CREATE TABLE kpi_measurements (
    kpi_id INTEGER NOT NULL,
    date DATE NOT NULL,
    value DOUBLE NOT NULL,
    target DOUBLE,
    batch_id INTEGER,
    PRIMARY KEY (kpi_id, date)
);

-- name: migration 2
-- Undo: the version of every row an import replaced, and who undid which batch.
ALTER TABLE batches ADD COLUMN undone_at TIMESTAMP;
ALTER TABLE batches ADD COLUMN undone_by VARCHAR;
ALTER TABLE cycles ADD COLUMN batch_id INTEGER;
CREATE TABLE objectives_prior AS SELECT *, 0::INTEGER AS replaced_by FROM objectives LIMIT 0;
CREATE TABLE key_results_prior AS SELECT *, 0::INTEGER AS replaced_by FROM key_results LIMIT 0;
CREATE TABLE checkins_prior AS SELECT *, 0::INTEGER AS replaced_by FROM checkins LIMIT 0;
CREATE TABLE kpis_prior AS SELECT *, 0::INTEGER AS replaced_by FROM kpis LIMIT 0;
CREATE TABLE kpi_measurements_prior AS SELECT *, 0::INTEGER AS replaced_by FROM kpi_measurements LIMIT 0;

-- name: migration 3
-- Browser check-ins: two on one key result and day are both kept (seq orders them; a file's row is
-- seq 0, so re-importing a file still updates its own check-in). Key results get the day they are
-- measured from (NULL: the cycle's start).
CREATE TABLE checkins_v3 (
    key_result_id INTEGER NOT NULL,
    date DATE NOT NULL,
    value DOUBLE NOT NULL,
    confidence DOUBLE,
    note VARCHAR,
    batch_id INTEGER,
    seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (key_result_id, date, seq)
);
INSERT INTO checkins_v3 BY NAME SELECT * FROM checkins;
DROP TABLE checkins;
ALTER TABLE checkins_v3 RENAME TO checkins;
ALTER TABLE checkins_prior ADD COLUMN seq INTEGER DEFAULT 0;
ALTER TABLE key_results ADD COLUMN start_date DATE;
ALTER TABLE key_results_prior ADD COLUMN start_date DATE;

-- name: migration 4
-- The operating system account a command-line import or undo ran as, beside the name it gave with
-- --by (which the command line takes on trust); NULL for the app's writes (its sign-in names them).
ALTER TABLE batches ADD COLUMN imported_os_user VARCHAR;
ALTER TABLE batches ADD COLUMN undone_os_user VARCHAR;

-- name: migration 5
-- The weekly rhythm (issue 25): the people okrdash reminds (one row per e-mail address; name as
-- written in owner cells, matched by the name key), written by admins as batches like any table,
-- and the reminders sent, one row per kind, person and week, so none is ever sent twice.
CREATE TABLE people (
    email VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    manager_email VARCHAR,
    language VARCHAR NOT NULL,
    team VARCHAR,
    whatsapp VARCHAR,
    batch_id INTEGER
);
CREATE TABLE people_prior AS SELECT *, 0::INTEGER AS replaced_by FROM people LIMIT 0;
CREATE TABLE reminders_sent (
    kind VARCHAR NOT NULL,
    person VARCHAR NOT NULL,
    week DATE NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, person, week)
);

-- name: migration 6
-- Planned paths (issue 26): a key result's planned values on days inside its cycle, written like
-- check-ins (a check-ins sheet's planned column) and undone like them. Expected progress follows
-- them (rules.sql, kr_scores).
CREATE TABLE kr_plans (
    key_result_id INTEGER NOT NULL,
    date DATE NOT NULL,
    planned DOUBLE NOT NULL,
    batch_id INTEGER,
    PRIMARY KEY (key_result_id, date)
);
CREATE TABLE kr_plans_prior AS SELECT *, 0::INTEGER AS replaced_by FROM kr_plans LIMIT 0;

-- name: migration 7
-- Saved mappings (issue 29): a person's answers about a file, kept by name in the database (so
-- every process of a PostgreSQL deployment finds them), found again by the headers of a later
-- upload (their signature: importing/mapping.py, headers_signature). Written by anyone who may
-- import, not by batches: no undo; a reset deletes them, a backup keeps them.
CREATE TABLE saved_mappings (
    name VARCHAR PRIMARY KEY,
    headers VARCHAR NOT NULL,
    mapping VARCHAR NOT NULL,
    saved_by VARCHAR,
    saved_at TIMESTAMP NOT NULL
);

-- name: version_table
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL);

-- name: has_version_table
SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = 'schema_version';

-- name: applied_version
SELECT coalesce(max(version), 0) FROM schema_version;

-- name: record_version
INSERT INTO schema_version VALUES ($version, now());

-- name: attach_read_only
-- A read-only open: the file attached read-only to an in-memory database, which holds this
-- process's rules (rules.sql), so nothing is written to the file, not even the rules' macros.
-- ATTACH takes no parameters: {path} is a quoted literal.
ATTACH {path} AS okrdash (READ_ONLY);

-- name: read_only_search_path
-- Set on every cursor of a read-only open (DuckDB cannot set it for all connections at once):
-- this process's rules first, then the file's tables (and the rules an earlier write left in it).
SET search_path = 'memory.main,okrdash.main';
