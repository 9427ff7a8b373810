-- The store's writes: one batch per file, every replaced or removed row kept in <table>_prior for
-- undo. The rows being written are registered as the table "staged" (one file kind's columns, see
-- store.FileChanges); $batch is the batch writing them. A {table} is one of the store's table
-- names (store.VERSIONED_TABLES), filled in by writes.py, never a value.

-- name: new_batch
INSERT INTO batches (imported_at, file_name, sha256, kind, inserted, updated, imported_by, imported_os_user)
VALUES (now(), $file_name, $sha256, $kind, 0, 0, $imported_by, $os_user) RETURNING id;

-- name: count_batch
UPDATE batches SET inserted = $inserted, updated = $updated WHERE id = $batch;

-- name: upsert_cycles
-- Cycles are reference data: new ones are added, never counted as the file's rows.
INSERT INTO cycles (name, start_date, end_date, batch_id)
SELECT name, start_date, end_date, $batch FROM staged ON CONFLICT (name) DO NOTHING;

-- name: keep_prior_kpis
-- The kpis rows the staged ones replace (a row this batch already wrote has its earlier version kept already).
INSERT INTO kpis_prior BY NAME
SELECT t.*, $batch AS replaced_by FROM staged s LEFT JOIN kpis t ON t.team = s.team AND t.name = s.name
WHERE t.rowid IS NOT NULL AND t.batch_id IS DISTINCT FROM $batch;

-- name: count_kpis
-- Staged rows, and those of them that replace a stored row.
SELECT count(*), count(t.rowid) FROM staged s LEFT JOIN kpis t ON t.team = s.team AND t.name = s.name;

-- name: upsert_kpis
INSERT INTO kpis (team, name, unit, direction, target, min_value, max_value, tolerance,
                  tolerance_is_share, frequency, kpi_type, indicator, category, owner, batch_id)
SELECT team, name, unit, direction, target, min_value, max_value, tolerance,
       tolerance_is_share, frequency, kpi_type, indicator, category, owner, $batch
FROM staged
ON CONFLICT (team, name) DO UPDATE SET
    unit = excluded.unit, direction = excluded.direction, target = excluded.target,
    min_value = excluded.min_value, max_value = excluded.max_value,
    tolerance = excluded.tolerance, tolerance_is_share = excluded.tolerance_is_share,
    frequency = excluded.frequency, kpi_type = excluded.kpi_type,
    indicator = excluded.indicator, category = excluded.category, owner = excluded.owner,
    batch_id = excluded.batch_id;

-- name: keep_prior_measurements
-- The batch has written no measurement yet, so every stored row it meets is one it replaces: the
-- copy's row count is the existing count and the upsert's gives the total, with no counting scan
-- of the staged rows and their joins (0.15 s of a 1.8 M-row KPI file).
INSERT INTO kpi_measurements_prior BY NAME
SELECT t.*, $batch AS replaced_by
FROM staged s JOIN kpis k ON k.team = s.team AND k.name = s.kpi
LEFT JOIN kpi_measurements t ON t.kpi_id = k.id AND t.date = s.date
WHERE t.rowid IS NOT NULL;

-- name: upsert_measurements
INSERT INTO kpi_measurements (kpi_id, date, value, target, batch_id)
SELECT k.id, s.date, s.value, s.target, $batch FROM staged s JOIN kpis k ON k.team = s.team AND k.name = s.kpi
ON CONFLICT (kpi_id, date) DO UPDATE SET
    value = excluded.value, target = excluded.target, batch_id = excluded.batch_id;

-- name: removed_objectives
-- Removals (the OKR editor): objectives named by the staged rows.
SELECT o.id FROM staged s JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
WHERE s.subject = 'objective';

-- name: removed_key_results
-- Removals: the key results of the removed objectives ($objectives) and those named by the staged rows.
SELECT k.id FROM key_results k WHERE list_contains($objectives::INTEGER[], k.objective_id)
UNION SELECT k.id FROM staged s
      JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
      JOIN key_results k ON k.objective_id = o.id AND k.title = s.key_result
WHERE s.subject = 'key_result';

-- name: keep_removed
-- Rows of {table} whose {column} is among $ids, kept for undo before they are deleted.
INSERT INTO {table}_prior BY NAME
SELECT *, $batch AS replaced_by FROM {table} WHERE list_contains($ids::INTEGER[], {column});

-- name: delete_removed
DELETE FROM {table} WHERE list_contains($ids::INTEGER[], {column});

-- name: objective_rename_taken
-- A new title another objective of the cycle and team already has.
SELECT s.new_title FROM staged s
JOIN objectives t ON t.cycle = s.cycle AND t.team = s.team AND t.title = s.objective
JOIN objectives other ON other.cycle = s.cycle AND other.team = s.team
                     AND other.title = s.new_title AND other.id <> t.id
LIMIT 1;

-- name: keep_prior_renamed_objectives
INSERT INTO objectives_prior BY NAME
SELECT t.*, $batch AS replaced_by
FROM staged s LEFT JOIN objectives t ON t.cycle = s.cycle AND t.team = s.team AND t.title = s.objective
WHERE t.rowid IS NOT NULL AND t.batch_id IS DISTINCT FROM $batch;

-- name: rename_objectives
UPDATE objectives SET title = s.new_title, batch_id = $batch FROM staged s
WHERE objectives.cycle = s.cycle AND objectives.team = s.team AND objectives.title = s.objective;

-- name: keep_prior_objectives
INSERT INTO objectives_prior BY NAME
SELECT t.*, $batch AS replaced_by
FROM staged s LEFT JOIN objectives t ON t.cycle = s.cycle AND t.team = s.team AND t.title = s.title
WHERE t.rowid IS NOT NULL AND t.batch_id IS DISTINCT FROM $batch;

-- name: count_objectives
SELECT count(*), count(t.rowid)
FROM staged s LEFT JOIN objectives t ON t.cycle = s.cycle AND t.team = s.team AND t.title = s.title;

-- name: upsert_objectives
INSERT INTO objectives (cycle, team, title, owner, type, parent_title, batch_id)
SELECT cycle, team, title, owner, type, parent_title, $batch FROM staged
ON CONFLICT (cycle, team, title) DO UPDATE SET
    owner = excluded.owner, type = excluded.type, parent_title = excluded.parent_title,
    batch_id = excluded.batch_id;

-- name: key_result_rename_taken
-- A new title another key result of the objective it moves to already has.
SELECT s.new_title FROM staged s
JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
JOIN key_results t ON t.objective_id = o.id AND t.title = s.key_result
JOIN objectives n ON n.cycle = s.cycle AND n.team = s.team AND n.title = s.new_objective
JOIN key_results other ON other.objective_id = n.id AND other.title = s.new_title AND other.id <> t.id
LIMIT 1;

-- name: keep_prior_moved_key_results
INSERT INTO key_results_prior BY NAME
SELECT t.*, $batch AS replaced_by FROM staged s
JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
LEFT JOIN key_results t ON t.objective_id = o.id AND t.title = s.key_result
JOIN objectives n ON n.cycle = s.cycle AND n.team = s.team AND n.title = s.new_objective
WHERE t.rowid IS NOT NULL AND t.batch_id IS DISTINCT FROM $batch;

-- name: move_key_results
-- Rename key results, or move them to another objective of their team (check-ins follow).
UPDATE key_results SET objective_id = m.new_objective_id, title = m.new_title, batch_id = $batch
FROM (SELECT t.id, n.id AS new_objective_id, s.new_title FROM staged s
      JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
      JOIN key_results t ON t.objective_id = o.id AND t.title = s.key_result
      JOIN objectives n ON n.cycle = s.cycle AND n.team = s.team AND n.title = s.new_objective) m
WHERE key_results.id = m.id;

-- name: keep_prior_key_results
INSERT INTO key_results_prior BY NAME
SELECT t.*, $batch AS replaced_by FROM staged s
JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
LEFT JOIN key_results t ON t.objective_id = o.id AND t.title = s.title
WHERE t.rowid IS NOT NULL AND t.batch_id IS DISTINCT FROM $batch;

-- name: count_key_results
SELECT count(*), count(t.rowid) FROM staged s
JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
LEFT JOIN key_results t ON t.objective_id = o.id AND t.title = s.title;

-- name: upsert_key_results
INSERT INTO key_results (objective_id, title, owner, kind, baseline, target, unit, weight, kpi_id, batch_id,
                         start_date)
SELECT o.id, s.title, s.owner, s.kind, s.baseline, s.target, s.unit, s.weight, kp.id, $batch,
       s.start_date::DATE
FROM (SELECT *, row_number() OVER () AS staged_row FROM staged) s
JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
LEFT JOIN kpis kp ON kp.team = s.team AND kp.name = s.kpi
-- New ids in the file's row order, whatever order the joined tables' rows are stored in
-- (a PostgreSQL mirror reloads them in PostgreSQL's order).
ORDER BY s.staged_row
ON CONFLICT (objective_id, title) DO UPDATE SET
    owner = excluded.owner, kind = excluded.kind, baseline = excluded.baseline,
    target = excluded.target, unit = excluded.unit, weight = excluded.weight,
    kpi_id = excluded.kpi_id, batch_id = excluded.batch_id,
    -- A file without the kr_start column keeps the day a key result was added.
    start_date = coalesce(excluded.start_date, key_results.start_date);

-- name: add_same_day_checkins
-- Check-ins from the browser are added beside one stored for the same key result and day (two
-- people at once), numbered by seq. A join, not a correlated subquery: that one scans every
-- check-in (0.12 s at 400,000).
INSERT INTO checkins (key_result_id, date, value, confidence, note, batch_id, seq)
SELECT k.id, s.date, any_value(s.value), any_value(s.confidence), any_value(s.note), $batch,
       coalesce(max(t.seq) + 1, 0)
FROM staged s
JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
JOIN key_results k ON k.objective_id = o.id AND k.title = s.key_result
LEFT JOIN checkins t ON t.key_result_id = k.id AND t.date = s.date
GROUP BY k.id, s.date;

-- name: count_staged
SELECT count(*) FROM staged;

-- name: keep_prior_checkins
-- A file's check-in replaces its own earlier version (seq 0); as keep_prior_measurements, every
-- stored row met is one the batch replaces.
INSERT INTO checkins_prior BY NAME
SELECT t.*, $batch AS replaced_by FROM staged s
JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
JOIN key_results k ON k.objective_id = o.id AND k.title = s.key_result
LEFT JOIN checkins t ON t.key_result_id = k.id AND t.date = s.date AND t.seq = 0
WHERE t.rowid IS NOT NULL;

-- name: upsert_checkins
INSERT INTO checkins (key_result_id, date, value, confidence, note, batch_id)
SELECT k.id, s.date, s.value, s.confidence, s.note, $batch FROM staged s
JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
JOIN key_results k ON k.objective_id = o.id AND k.title = s.key_result
ON CONFLICT (key_result_id, date, seq) DO UPDATE SET
    value = excluded.value, confidence = excluded.confidence, note = excluded.note,
    batch_id = excluded.batch_id;

-- name: keep_prior_plans
-- A planned value replaces the one stored for its key result and day; as keep_prior_checkins,
-- every stored row met is one the batch replaces.
INSERT INTO kr_plans_prior BY NAME
SELECT t.*, $batch AS replaced_by FROM staged s
JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
JOIN key_results k ON k.objective_id = o.id AND k.title = s.key_result
LEFT JOIN kr_plans t ON t.key_result_id = k.id AND t.date = s.date
WHERE t.rowid IS NOT NULL;

-- name: upsert_plans
INSERT INTO kr_plans (key_result_id, date, planned, batch_id)
SELECT k.id, s.date, s.planned, $batch FROM staged s
JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
JOIN key_results k ON k.objective_id = o.id AND k.title = s.key_result
ON CONFLICT (key_result_id, date) DO UPDATE SET planned = excluded.planned, batch_id = excluded.batch_id;

-- name: keep_dropped_plans
-- The OKR editor's plan of a key result replaces its stored plan whole: the stored points of the
-- staged key results are kept for undo, then dropped (drop_plans) before the new points land.
INSERT INTO kr_plans_prior BY NAME
SELECT t.*, $batch AS replaced_by FROM kr_plans t
WHERE t.key_result_id IN (SELECT k.id FROM staged s
                          JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
                          JOIN key_results k ON k.objective_id = o.id AND k.title = s.key_result);

-- name: drop_plans
DELETE FROM kr_plans
WHERE key_result_id IN (SELECT k.id FROM staged s
                        JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
                        JOIN key_results k ON k.objective_id = o.id AND k.title = s.key_result);

-- name: keep_prior_people
-- The people rows the staged ones replace (by e-mail address, as stored: lower case).
INSERT INTO people_prior BY NAME
SELECT t.*, $batch AS replaced_by FROM staged s JOIN people t ON t.email = s.email
WHERE t.batch_id IS DISTINCT FROM $batch;

-- name: count_people
SELECT count(*), count(t.email) FROM staged s LEFT JOIN people t ON t.email = s.email;

-- name: upsert_people
INSERT INTO people (email, name, manager_email, language, team, whatsapp, batch_id)
SELECT email, name, manager_email, language, team, whatsapp, $batch FROM staged
ON CONFLICT (email) DO UPDATE SET
    name = excluded.name, manager_email = excluded.manager_email, language = excluded.language,
    team = excluded.team, whatsapp = excluded.whatsapp, batch_id = excluded.batch_id;

-- name: keep_removed_people
-- The people the People page removes (by e-mail address, as stored), kept for undo.
INSERT INTO people_prior BY NAME
SELECT t.*, $batch AS replaced_by FROM people t WHERE t.email IN (SELECT email FROM staged);

-- name: delete_removed_people
DELETE FROM people WHERE email IN (SELECT email FROM staged);

-- name: batch_wrote_people
-- Whether a batch wrote or replaced people (only an admin may undo it, as only an admin may write them).
SELECT EXISTS (SELECT 1 FROM people WHERE batch_id = $batch)
    OR EXISTS (SELECT 1 FROM people_prior WHERE replaced_by = $batch);

-- name: claim_reminder
-- A reminder about to be sent, recorded in the transaction that sends it: a row already there
-- (sent before, or by another process) returns nothing, and the caller sends nothing.
INSERT INTO reminders_sent (kind, person, week, sent_at) VALUES ($kind, $person, $week, now())
ON CONFLICT DO NOTHING RETURNING person;

-- name: batch_undone_at
SELECT undone_at FROM batches WHERE id = $batch;

-- name: batch_teams
-- Teams of the rows a batch wrote or replaced (an undo changes exactly those).
SELECT DISTINCT team FROM (
    SELECT team FROM objectives WHERE batch_id = $batch
    UNION ALL SELECT team FROM objectives_prior WHERE replaced_by = $batch
    UNION ALL SELECT o.team FROM key_results k JOIN objectives o ON o.id = k.objective_id
              WHERE k.batch_id = $batch
    UNION ALL SELECT o.team FROM key_results_prior k JOIN objectives o ON o.id = k.objective_id
              WHERE k.replaced_by = $batch
    UNION ALL SELECT o.team FROM key_results_prior k JOIN objectives_prior o ON o.id = k.objective_id
              WHERE k.replaced_by = $batch
    UNION ALL SELECT o.team FROM checkins c JOIN key_results k ON k.id = c.key_result_id
              JOIN objectives o ON o.id = k.objective_id WHERE c.batch_id = $batch
    UNION ALL SELECT o.team FROM checkins_prior c JOIN key_results k ON k.id = c.key_result_id
              JOIN objectives o ON o.id = k.objective_id WHERE c.replaced_by = $batch
    UNION ALL SELECT o.team FROM kr_plans p JOIN key_results k ON k.id = p.key_result_id
              JOIN objectives o ON o.id = k.objective_id WHERE p.batch_id = $batch
    UNION ALL SELECT o.team FROM kr_plans_prior p JOIN key_results k ON k.id = p.key_result_id
              JOIN objectives o ON o.id = k.objective_id WHERE p.replaced_by = $batch
    UNION ALL SELECT team FROM kpis WHERE batch_id = $batch
    UNION ALL SELECT team FROM kpis_prior WHERE replaced_by = $batch
    UNION ALL SELECT k.team FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id WHERE m.batch_id = $batch
    UNION ALL SELECT k.team FROM kpi_measurements_prior m JOIN kpis k ON k.id = m.kpi_id
              WHERE m.replaced_by = $batch)
ORDER BY team;

-- name: batches_building_on
-- Later batches in effect that replaced rows of $batch or reference rows it inserted (a row it
-- inserted is one of its own that it did not replace).
SELECT DISTINCT later FROM (
    SELECT replaced_by AS later FROM objectives_prior WHERE batch_id = $batch
    UNION ALL SELECT replaced_by FROM key_results_prior WHERE batch_id = $batch
    UNION ALL SELECT replaced_by FROM checkins_prior WHERE batch_id = $batch
    UNION ALL SELECT replaced_by FROM kr_plans_prior WHERE batch_id = $batch
    UNION ALL SELECT replaced_by FROM kpis_prior WHERE batch_id = $batch
    UNION ALL SELECT replaced_by FROM kpi_measurements_prior WHERE batch_id = $batch
    UNION ALL SELECT replaced_by FROM people_prior WHERE batch_id = $batch
    UNION ALL SELECT k.batch_id FROM key_results k JOIN objectives o ON o.id = k.objective_id
              WHERE k.batch_id <> $batch AND o.batch_id = $batch
                AND o.id NOT IN (SELECT id FROM objectives_prior WHERE replaced_by = $batch)
    UNION ALL SELECT c.batch_id FROM checkins c JOIN key_results k ON k.id = c.key_result_id
              WHERE c.batch_id <> $batch AND k.batch_id = $batch
                AND k.id NOT IN (SELECT id FROM key_results_prior WHERE replaced_by = $batch)
    UNION ALL SELECT p.batch_id FROM kr_plans p JOIN key_results k ON k.id = p.key_result_id
              WHERE p.batch_id <> $batch AND k.batch_id = $batch
                AND k.id NOT IN (SELECT id FROM key_results_prior WHERE replaced_by = $batch)
    UNION ALL SELECT m.batch_id FROM kpi_measurements m JOIN kpis k ON k.id = m.kpi_id
              WHERE m.batch_id <> $batch AND k.batch_id = $batch
                AND k.id NOT IN (SELECT id FROM kpis_prior WHERE replaced_by = $batch)
    UNION ALL SELECT r.batch_id FROM key_results r JOIN kpis k ON k.id = r.kpi_id
              WHERE r.batch_id <> $batch AND k.batch_id = $batch
                AND k.id NOT IN (SELECT id FROM kpis_prior WHERE replaced_by = $batch))
ORDER BY later;

-- name: delete_batch_rows
-- Undo: the rows of {table} the batch wrote (inserted, or updated: their earlier version comes back below).
DELETE FROM {table} WHERE batch_id = $batch;

-- name: restore_prior_rows
INSERT INTO {table} BY NAME SELECT * EXCLUDE (replaced_by) FROM {table}_prior WHERE replaced_by = $batch;

-- name: forget_prior_rows
DELETE FROM {table}_prior WHERE replaced_by = $batch;

-- name: delete_batch_cycles
-- Cycles the batch added that no objective uses any more.
DELETE FROM cycles WHERE batch_id = $batch AND name NOT IN (SELECT cycle FROM objectives);

-- name: mark_undone
UPDATE batches SET undone_at = now(), undone_by = $undone_by, undone_os_user = $os_user WHERE id = $batch;

-- name: delete_everything
-- A reset: every row of every data table (store.DATA_TABLES), children first; the schema stays.
DELETE FROM reminders_sent;
DELETE FROM saved_mappings;
DELETE FROM people_prior;
DELETE FROM people;
DELETE FROM checkins_prior;
DELETE FROM kr_plans_prior;
DELETE FROM key_results_prior;
DELETE FROM objectives_prior;
DELETE FROM kpi_measurements_prior;
DELETE FROM kpis_prior;
DELETE FROM kpi_measurements;
DELETE FROM kpis;
DELETE FROM checkins;
DELETE FROM kr_plans;
DELETE FROM key_results;
DELETE FROM objectives;
DELETE FROM cycles;
DELETE FROM batches;

-- name: save_mapping
-- A mapping saved under a name already taken replaces it (the Upload page says the name it saved).
INSERT INTO saved_mappings (name, headers, mapping, saved_by, saved_at)
VALUES ($mapping_name, $headers, $mapping, $saved_by, now())
ON CONFLICT (name) DO UPDATE SET headers = excluded.headers, mapping = excluded.mapping,
                                 saved_by = excluded.saved_by, saved_at = excluded.saved_at;
