-- The fair floor of an import: the same file into the real schema in plain SQL, with none of the
-- importer's checks. bench/run.py runs one section per file kind in one transaction, with
-- $file (the CSV path) and $name (its file name), into a database made by okrdash.store.
--
-- What it does, as the store does (okrdash/store/writes.py apply_file, writes.sql's statements):
-- a batch row; names resolved to ids with joins (team + KPI name, cycle + team + objective title,
-- objective + key result title); the replaced version of every row kept in <table>_prior (undo);
-- the primary-key upsert (INSERT ... ON CONFLICT DO UPDATE); the batch's counts. What it does not
-- do: read anything but the canonical headers, comma and ISO dates (a bare typed read_csv), check
-- a single cell, line or name. Comparing its stored rows with the importer's is part of the
-- bench (bench/run.py compare_floor).

-- kind: kpis
CREATE OR REPLACE TEMP TABLE floor_rows AS
SELECT * FROM read_csv($file, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false,
    columns = {'team': 'VARCHAR', 'kpi': 'VARCHAR', 'date': 'DATE', 'value': 'DOUBLE', 'target': 'DOUBLE',
               'unit': 'VARCHAR', 'direction': 'VARCHAR', 'min': 'DOUBLE', 'max': 'DOUBLE', 'tolerance': 'VARCHAR',
               'frequency': 'VARCHAR', 'kpi_type': 'VARCHAR', 'indicator': 'VARCHAR', 'category': 'VARCHAR',
               'owner': 'VARCHAR'});
INSERT INTO batches (imported_at, file_name, sha256, kind, inserted, updated)
VALUES (now(), $name, '', 'kpis', 0, 0);
-- One definition per KPI: the values its rows give (the generated files give them on the first row).
CREATE OR REPLACE TEMP TABLE floor_kpis AS
SELECT team, kpi AS name, any_value(unit) AS unit, coalesce(any_value(direction), 'higher_is_better') AS direction,
       arg_max(target, date) AS target, any_value(min) AS min_value, any_value(max) AS max_value,
       any_value(CASE WHEN tolerance LIKE '%\%%' ESCAPE '\' THEN CAST(rtrim(tolerance, '%') AS DOUBLE) / 100
                      ELSE CAST(tolerance AS DOUBLE) END) AS tolerance,
       coalesce(any_value(tolerance LIKE '%\%%' ESCAPE '\'), false) AS tolerance_is_share,
       coalesce(any_value(frequency), 'monthly') AS frequency, coalesce(any_value(kpi_type), 'operational') AS kpi_type,
       coalesce(any_value(indicator), 'lagging') AS indicator, any_value(category) AS category,
       any_value(owner) AS owner
FROM floor_rows GROUP BY team, kpi;
INSERT INTO kpis_prior BY NAME
SELECT t.*, currval('batch_ids')::INTEGER AS replaced_by FROM floor_kpis s JOIN kpis t ON t.team = s.team AND t.name = s.name;
INSERT INTO kpis (team, name, unit, direction, target, min_value, max_value, tolerance, tolerance_is_share, frequency,
                  kpi_type, indicator, category, owner, batch_id)
SELECT team, name, unit, direction, target, min_value, max_value, tolerance, tolerance_is_share, frequency, kpi_type,
       indicator, category, owner, currval('batch_ids') FROM floor_kpis
ON CONFLICT (team, name) DO UPDATE SET
    unit = excluded.unit, direction = excluded.direction, target = excluded.target, min_value = excluded.min_value,
    max_value = excluded.max_value, tolerance = excluded.tolerance, tolerance_is_share = excluded.tolerance_is_share,
    frequency = excluded.frequency, kpi_type = excluded.kpi_type, indicator = excluded.indicator,
    category = excluded.category, owner = excluded.owner, batch_id = excluded.batch_id;
INSERT INTO kpi_measurements_prior BY NAME
SELECT t.*, currval('batch_ids')::INTEGER AS replaced_by FROM floor_rows s
JOIN kpis k ON k.team = s.team AND k.name = s.kpi JOIN kpi_measurements t ON t.kpi_id = k.id AND t.date = s.date;
INSERT INTO kpi_measurements (kpi_id, date, value, target, batch_id)
SELECT k.id, s.date, s.value, s.target, currval('batch_ids') FROM floor_rows s JOIN kpis k ON k.team = s.team AND k.name = s.kpi
ON CONFLICT (kpi_id, date) DO UPDATE SET value = excluded.value, target = excluded.target, batch_id = excluded.batch_id;
UPDATE batches SET updated = c.updated, inserted = c.total - c.updated
FROM (SELECT (SELECT count(*) FROM kpis_prior WHERE replaced_by = currval('batch_ids'))
            + (SELECT count(*) FROM kpi_measurements_prior WHERE replaced_by = currval('batch_ids')) AS updated,
             (SELECT count(*) FROM floor_kpis) + (SELECT count(*) FROM floor_rows) AS total) c
WHERE id = currval('batch_ids');

-- kind: okrs
CREATE OR REPLACE TEMP TABLE floor_rows AS
SELECT * FROM read_csv($file, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false,
    columns = {'cycle': 'VARCHAR', 'start_date': 'DATE', 'end_date': 'DATE', 'team': 'VARCHAR', 'objective': 'VARCHAR',
               'objective_owner': 'VARCHAR', 'objective_type': 'VARCHAR', 'parent_objective': 'VARCHAR',
               'key_result': 'VARCHAR', 'owner': 'VARCHAR', 'kind': 'VARCHAR', 'baseline': 'DOUBLE', 'target': 'DOUBLE',
               'unit': 'VARCHAR', 'weight': 'DOUBLE', 'kpi': 'VARCHAR', 'current': 'DOUBLE', 'date': 'DATE',
               'confidence': 'VARCHAR'});
INSERT INTO batches (imported_at, file_name, sha256, kind, inserted, updated)
VALUES (now(), $name, '', 'okrs', 0, 0);
INSERT INTO cycles (name, start_date, end_date, batch_id)
SELECT cycle, any_value(start_date), any_value(end_date), currval('batch_ids') FROM floor_rows GROUP BY cycle
ON CONFLICT (name) DO NOTHING;
CREATE OR REPLACE TEMP TABLE floor_objectives AS
SELECT cycle, team, objective AS title, any_value(objective_owner) AS owner,
       coalesce(any_value(objective_type), 'committed') AS type, any_value(parent_objective) AS parent_title
FROM floor_rows GROUP BY cycle, team, objective;
INSERT INTO objectives_prior BY NAME
SELECT t.*, currval('batch_ids')::INTEGER AS replaced_by FROM floor_objectives s
JOIN objectives t ON t.cycle = s.cycle AND t.team = s.team AND t.title = s.title;
INSERT INTO objectives (cycle, team, title, owner, type, parent_title, batch_id)
SELECT cycle, team, title, owner, type, parent_title, currval('batch_ids') FROM floor_objectives
ON CONFLICT (cycle, team, title) DO UPDATE SET
    owner = excluded.owner, type = excluded.type, parent_title = excluded.parent_title, batch_id = excluded.batch_id;
INSERT INTO key_results_prior BY NAME
SELECT t.*, currval('batch_ids')::INTEGER AS replaced_by FROM floor_rows s
JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
JOIN key_results t ON t.objective_id = o.id AND t.title = s.key_result;
INSERT INTO key_results (objective_id, title, owner, kind, baseline, target, unit, weight, kpi_id, batch_id)
-- A milestone is measured from 0 (not done) to 1 (done).
SELECT o.id, s.key_result, s.owner, s.kind, CASE WHEN s.kind = 'milestone' THEN 0 ELSE s.baseline END,
       CASE WHEN s.kind = 'milestone' THEN 1 ELSE s.target END, s.unit, coalesce(s.weight, 1), kp.id, currval('batch_ids')
FROM floor_rows s JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team AND o.title = s.objective
LEFT JOIN kpis kp ON kp.team = s.team AND kp.name = s.kpi
ON CONFLICT (objective_id, title) DO UPDATE SET
    owner = excluded.owner, kind = excluded.kind, baseline = excluded.baseline, target = excluded.target,
    unit = excluded.unit, weight = excluded.weight, kpi_id = excluded.kpi_id, batch_id = excluded.batch_id,
    start_date = coalesce(excluded.start_date, key_results.start_date);
UPDATE batches SET updated = c.updated, inserted = c.total - c.updated
FROM (SELECT (SELECT count(*) FROM objectives_prior WHERE replaced_by = currval('batch_ids'))
            + (SELECT count(*) FROM key_results_prior WHERE replaced_by = currval('batch_ids')) AS updated,
             (SELECT count(*) FROM floor_objectives) + (SELECT count(*) FROM floor_rows) AS total) c
WHERE id = currval('batch_ids');

-- kind: checkins
CREATE OR REPLACE TEMP TABLE floor_rows AS
SELECT * FROM read_csv($file, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false,
    columns = {'team': 'VARCHAR', 'key_result': 'VARCHAR', 'cycle': 'VARCHAR', 'date': 'DATE', 'value': 'DOUBLE',
               'confidence': 'VARCHAR', 'note': 'VARCHAR'});
INSERT INTO batches (imported_at, file_name, sha256, kind, inserted, updated)
VALUES (now(), $name, '', 'checkins', 0, 0);
-- Key results are named by team, cycle and title (the store's own check-ins join through the objective).
CREATE OR REPLACE TEMP TABLE floor_resolved AS
SELECT k.id AS key_result_id, s.date, s.value, CAST(s.confidence AS DOUBLE) AS confidence, s.note
FROM floor_rows s JOIN objectives o ON o.cycle = s.cycle AND o.team = s.team
JOIN key_results k ON k.objective_id = o.id AND k.title = s.key_result;
INSERT INTO checkins_prior BY NAME
SELECT t.*, currval('batch_ids')::INTEGER AS replaced_by FROM floor_resolved s
JOIN checkins t ON t.key_result_id = s.key_result_id AND t.date = s.date AND t.seq = 0;
INSERT INTO checkins (key_result_id, date, value, confidence, note, batch_id)
SELECT key_result_id, date, value, confidence, note, currval('batch_ids') FROM floor_resolved
ON CONFLICT (key_result_id, date, seq) DO UPDATE SET
    value = excluded.value, confidence = excluded.confidence, note = excluded.note, batch_id = excluded.batch_id;
UPDATE batches SET updated = c.updated, inserted = c.total - c.updated
FROM (SELECT (SELECT count(*) FROM checkins_prior WHERE replaced_by = currval('batch_ids')) AS updated,
             (SELECT count(*) FROM floor_resolved) AS total) c
WHERE id = currval('batch_ids');
