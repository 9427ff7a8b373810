-- The whole company as the rules of rules.sql score it at one as-of date (kept by the store until
-- the next write), and the store's queries over those kept scores, which a cursor sees registered
-- as scored_key_results, scored_objectives and scored_kpis (Scores.register). Nothing here restates
-- a rule; these queries only choose, count and order.

-- name: score_key_results
-- The key results scored once, into the scoring cursor's own temp table: the objectives are rolled
-- up from these rows (objective_rollup) instead of scoring every key result a second time.
CREATE OR REPLACE TEMP TABLE scoring_key_results AS SELECT * FROM kr_scores($as_of::DATE);

-- name: key_results
-- Without their expected paths: a path (a list per row) is kept as rows of its own (expected_lines).
SELECT * EXCLUDE (expected_path) FROM scoring_key_results ORDER BY team, objective, key_result_id;

-- name: expected_lines
SELECT key_result_id, expected_path[i].date AS date, expected_path[i].expected AS expected
FROM (SELECT key_result_id, expected_path, unnest(generate_series(1, len(expected_path))) AS i
      FROM scoring_key_results)
ORDER BY key_result_id, i;

-- name: objectives
SELECT * FROM objective_rollup('scoring_key_results', $as_of::DATE) ORDER BY team, objective_id;

-- name: drop_scoring_key_results
DROP TABLE scoring_key_results;

-- name: kpis
SELECT * FROM kpi_scores($as_of::DATE) ORDER BY team, name;

-- name: status_counts
-- Per team: how many key results and KPIs have each status.
SELECT 'okr' AS subject, team, status, count(*) AS count
FROM scored_key_results WHERE cycle = $cycle GROUP BY ALL
UNION ALL
SELECT 'kpi', team, status, count(*) FROM scored_kpis GROUP BY ALL
ORDER BY subject, team, status;

-- name: needs_attention
-- Off Track and At Risk key results and KPIs, and stale ones (the rules' stale: a key result past
-- the check-in interval, a KPI not measured within its frequency); biggest gap first (a KPI's:
-- okr_kpi_gap). $team: one team's (NULL: the whole company's).
SELECT * FROM (
    SELECT 'key_result' AS subject, team, title, objective, objective_id, key_result_id,
           NULL::INTEGER AS kpi_id, status, gap, last_checkin, stale, confidence_disagrees
    FROM scored_key_results
    WHERE cycle = $cycle
    UNION ALL
    SELECT 'kpi', team, name, NULL, NULL, NULL, kpi_id, status, okr_kpi_gap(direction, value, target),
           last_date, stale, false
    FROM scored_kpis)
WHERE (status IN ('Off Track', 'At Risk') OR stale OR confidence_disagrees)
  AND ($team::VARCHAR IS NULL OR team = $team)
ORDER BY status = 'Off Track' DESC, status = 'At Risk' DESC, gap DESC NULLS LAST, team, title
LIMIT $limit;
