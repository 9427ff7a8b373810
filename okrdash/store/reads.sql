-- The store's reads of its tables (the scored reads are in scores.sql). Parameters are $name.

-- name: is_empty
SELECT (SELECT count(*) FROM objectives) + (SELECT count(*) FROM kpis) = 0;

-- name: table_counts
-- Rows of every data table (store.DATA_TABLES).
SELECT 'batches' AS data_table, count(*) FROM batches
UNION ALL SELECT 'cycles', count(*) FROM cycles
UNION ALL SELECT 'objectives', count(*) FROM objectives
UNION ALL SELECT 'key_results', count(*) FROM key_results
UNION ALL SELECT 'checkins', count(*) FROM checkins
UNION ALL SELECT 'kr_plans', count(*) FROM kr_plans
UNION ALL SELECT 'kpis', count(*) FROM kpis
UNION ALL SELECT 'kpi_measurements', count(*) FROM kpi_measurements
UNION ALL SELECT 'kpis_prior', count(*) FROM kpis_prior
UNION ALL SELECT 'kpi_measurements_prior', count(*) FROM kpi_measurements_prior
UNION ALL SELECT 'objectives_prior', count(*) FROM objectives_prior
UNION ALL SELECT 'key_results_prior', count(*) FROM key_results_prior
UNION ALL SELECT 'checkins_prior', count(*) FROM checkins_prior
UNION ALL SELECT 'kr_plans_prior', count(*) FROM kr_plans_prior
UNION ALL SELECT 'people', count(*) FROM people
UNION ALL SELECT 'people_prior', count(*) FROM people_prior
UNION ALL SELECT 'reminders_sent', count(*) FROM reminders_sent
UNION ALL SELECT 'saved_mappings', count(*) FROM saved_mappings;

-- name: schema_version
SELECT max(version) FROM schema_version;

-- name: cycles
SELECT name, start_date, end_date FROM cycles ORDER BY start_date, name;

-- name: teams
SELECT team FROM objectives UNION SELECT team FROM kpis ORDER BY team;

-- name: linked_key_results
-- KPI id -> titles of the cycle's key results that follow it (of $team, or of every team when NULL).
SELECT k.kpi_id, list(k.title ORDER BY o.team, o.title, k.id)
FROM key_results k JOIN objectives o ON o.id = k.objective_id
WHERE k.kpi_id IS NOT NULL AND o.cycle = $cycle AND ($team::VARCHAR IS NULL OR o.team = $team)
GROUP BY k.kpi_id;

-- name: checkin_histories
-- Each key result's values over time: its check-ins, or its linked KPI's measurements.
SELECT key_result_id, date, value, confidence, note FROM (
    SELECT c.key_result_id, c.date, c.value, c.confidence, c.note
    FROM checkins c WHERE list_contains($ids, c.key_result_id) AND ($as_of::DATE IS NULL OR c.date <= $as_of)
    UNION ALL
    SELECT k.id, m.date, m.value, NULL, NULL
    FROM key_results k JOIN kpi_measurements m ON m.kpi_id = k.kpi_id
    WHERE list_contains($ids, k.id) AND ($as_of::DATE IS NULL OR m.date <= $as_of))
ORDER BY key_result_id, date;

-- name: last_checkins
-- Each key result's last check-in up to as_of, what a check-in form shows beside the new value.
SELECT key_result_id, date, value, note FROM checkins
WHERE list_contains($ids, key_result_id) AND date <= $as_of
QUALIFY row_number() OVER (PARTITION BY key_result_id ORDER BY date DESC) = 1;

-- name: kpi_history
SELECT date, value, target FROM kpi_measurements
WHERE kpi_id = $kpi_id AND ($as_of::DATE IS NULL OR date <= $as_of) AND ($since::DATE IS NULL OR date >= $since)
ORDER BY date;

-- name: kpi_recent_values
-- The last $points values of each KPI, oldest first, for sparklines.
SELECT m.kpi_id, list(m.value ORDER BY m.date) AS recent_values
FROM (SELECT kpi_id, date, value,
             row_number() OVER (PARTITION BY kpi_id ORDER BY date DESC) AS age
      FROM kpi_measurements
      -- the team's KPIs before the window: one team's view need not rank every measurement
      WHERE date <= $as_of AND kpi_id IN (SELECT id FROM kpis WHERE $team::VARCHAR IS NULL OR team = $team)) m
WHERE m.age <= $points
GROUP BY m.kpi_id;

-- name: latest_data_date
SELECT greatest((SELECT max(date) FROM checkins), (SELECT max(date) FROM kpi_measurements));

-- name: batches
SELECT id, imported_at, file_name, sha256, kind, inserted, updated, imported_by, imported_os_user,
       undone_at, undone_by, undone_os_user
FROM batches ORDER BY id DESC;

-- name: batch_changes
-- What undoing a batch changes, per table: the rows it holds (removed, or given their earlier
-- version back) and the earlier versions it replaced (restored).
SELECT data_table, written, replaced FROM (
    SELECT 1 AS position, 'objectives' AS data_table,
           (SELECT count(*) FROM objectives WHERE batch_id = $batch) AS written,
           (SELECT count(*) FROM objectives_prior WHERE replaced_by = $batch) AS replaced
    UNION ALL SELECT 2, 'key_results', (SELECT count(*) FROM key_results WHERE batch_id = $batch),
           (SELECT count(*) FROM key_results_prior WHERE replaced_by = $batch)
    UNION ALL SELECT 3, 'checkins', (SELECT count(*) FROM checkins WHERE batch_id = $batch),
           (SELECT count(*) FROM checkins_prior WHERE replaced_by = $batch)
    UNION ALL SELECT 4, 'kr_plans', (SELECT count(*) FROM kr_plans WHERE batch_id = $batch),
           (SELECT count(*) FROM kr_plans_prior WHERE replaced_by = $batch)
    UNION ALL SELECT 5, 'kpis', (SELECT count(*) FROM kpis WHERE batch_id = $batch),
           (SELECT count(*) FROM kpis_prior WHERE replaced_by = $batch)
    UNION ALL SELECT 6, 'kpi_measurements', (SELECT count(*) FROM kpi_measurements WHERE batch_id = $batch),
           (SELECT count(*) FROM kpi_measurements_prior WHERE replaced_by = $batch)
    UNION ALL SELECT 7, 'people', (SELECT count(*) FROM people WHERE batch_id = $batch),
           (SELECT count(*) FROM people_prior WHERE replaced_by = $batch))
WHERE written + replaced > 0
ORDER BY position;

-- name: key_result_index
-- Natural keys of the stored key results, for resolving check-ins during validation, with what
-- a planned value is checked against (baseline, target, the key result's own start).
SELECT o.cycle, o.team, o.title AS objective, k.title AS key_result, k.kind, kp.name AS kpi,
       k.baseline, k.target, k.start_date AS kr_start
FROM key_results k JOIN objectives o ON o.id = k.objective_id
LEFT JOIN kpis kp ON kp.id = k.kpi_id;

-- name: kpi_index
SELECT team, name AS kpi, direction FROM kpis;

-- name: kpi_definitions
SELECT team, name, unit, direction, target, min_value, max_value, tolerance, tolerance_is_share,
       frequency, kpi_type, indicator, category, owner FROM kpis;

-- name: kpi_definition
SELECT team, name, unit, direction, target, min_value, max_value, tolerance, tolerance_is_share,
       frequency, kpi_type, indicator, category, owner FROM kpis WHERE team = $t AND name = $n;

-- name: team_objectives
SELECT id, title, type, parent_title, owner FROM objectives WHERE cycle = $cycle AND team = $team
ORDER BY id;

-- name: team_key_results
SELECT k.id, o.title AS objective, k.title, k.owner, k.kind, k.baseline, k.target, k.unit, k.weight,
       kp.name AS kpi, k.start_date
FROM key_results k JOIN objectives o ON o.id = k.objective_id LEFT JOIN kpis kp ON kp.id = k.kpi_id
WHERE o.cycle = $cycle AND o.team = $team ORDER BY o.id, k.id;

-- name: team_plans
-- The planned values of a team's key results of one cycle (the OKR editor's planned paths).
SELECT o.title AS objective, k.title AS key_result, p.date, p.planned
FROM kr_plans p JOIN key_results k ON k.id = p.key_result_id JOIN objectives o ON o.id = k.objective_id
WHERE o.cycle = $cycle AND o.team = $team ORDER BY o.id, k.id, p.date;

-- name: plan_dates
-- The day of every stored planned value, by its key result's natural key (what an okrs file that
-- moves a key result's start would leave unread: importing/stored_plans.py).
SELECT o.cycle, o.team, o.title AS objective, k.title AS key_result, p.date
FROM kr_plans p JOIN key_results k ON k.id = p.key_result_id JOIN objectives o ON o.id = k.objective_id;

-- name: okr_version
-- The batches whose rows make up a team's objectives and key results of a cycle now (their plans too).
SELECT o.batch_id FROM objectives o WHERE o.cycle = $c AND o.team = $t
UNION SELECT k.batch_id FROM key_results k JOIN objectives o ON o.id = k.objective_id
      WHERE o.cycle = $c AND o.team = $t
UNION SELECT replaced_by FROM objectives_prior WHERE cycle = $c AND team = $t
UNION SELECT p.replaced_by FROM key_results_prior p JOIN objectives o ON o.id = p.objective_id
      WHERE o.cycle = $c AND o.team = $t
UNION SELECT p.batch_id FROM kr_plans p JOIN key_results k ON k.id = p.key_result_id
      JOIN objectives o ON o.id = k.objective_id WHERE o.cycle = $c AND o.team = $t
UNION SELECT p.replaced_by FROM kr_plans_prior p JOIN key_results k ON k.id = p.key_result_id
      JOIN objectives o ON o.id = k.objective_id WHERE o.cycle = $c AND o.team = $t;

-- name: kpi_version
SELECT batch_id FROM kpis WHERE team = $t AND name = $n
UNION SELECT replaced_by FROM kpis_prior WHERE team = $t AND name = $n;

-- name: owners
-- Every owner name of objectives, key results and KPIs (owner fields offer them).
SELECT DISTINCT owner FROM (SELECT owner FROM key_results UNION ALL SELECT owner FROM objectives
                            UNION ALL SELECT owner FROM kpis)
WHERE nullif(trim(owner), '') IS NOT NULL ORDER BY lower(owner), owner;

-- name: cycle_index
SELECT name AS cycle, start_date, end_date FROM cycles;

-- name: people
-- The people okrdash reminds (issue 25), by name.
SELECT email, name, manager_email, language, team, whatsapp FROM people ORDER BY lower(name), name, email;

-- name: people_version
-- The batches whose rows make up the people now (the People page's table compares it at save).
SELECT batch_id FROM people UNION SELECT replaced_by FROM people_prior;

-- name: reminders_sent
-- The reminders sent in the week starting $week: (kind, person).
SELECT kind, person FROM reminders_sent WHERE week = $week::DATE ORDER BY kind, person;

-- name: saved_mappings
-- The mappings saved for files with these headers (their signature), by name.
SELECT name, mapping FROM saved_mappings WHERE headers = $headers ORDER BY name;
