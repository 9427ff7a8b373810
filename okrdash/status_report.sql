-- The CLI's status document (`okrdash status --json`): one cycle's objectives, each with its key
-- results, and the KPIs, at one as-of date. Every key result of the cycle is scored once (kr_scores),
-- its objectives rolled up from those rows (objective_rollup) and the key results grouped under
-- their objective here, in one query; nothing restates a rule. A value that is no number (NaN,
-- what infinite values' differences give) is written as null, as every missing value is.

-- name: objectives
-- The cycle's objectives (of $team, every team when NULL) by team and id, their key results by id.
WITH cycle_key_results AS (
    SELECT * FROM kr_scores($as_of::DATE)
    WHERE cycle = $cycle AND ($team::VARCHAR IS NULL OR team = $team)
),
grouped AS (
    SELECT objective_id,
           list({'title': title, 'progress': nullif(progress, 'NaN'::DOUBLE),
                 'expected': nullif(expected, 'NaN'::DOUBLE), 'status': status,
                 'current': nullif(current, 'NaN'::DOUBLE), 'baseline': nullif(baseline, 'NaN'::DOUBLE),
                 'target': nullif(target, 'NaN'::DOUBLE), 'grade': nullif(grade, 'NaN'::DOUBLE)}
                ORDER BY key_result_id) AS key_results
    FROM cycle_key_results GROUP BY objective_id
)
SELECT o.team, o.cycle, o.title, nullif(o.progress, 'NaN'::DOUBLE) AS progress,
       nullif(o.expected, 'NaN'::DOUBLE) AS expected, o.status, nullif(o.grade, 'NaN'::DOUBLE) AS grade,
       coalesce(g.key_results, []) AS key_results
FROM objective_rollup('cycle_key_results', $as_of::DATE) o
LEFT JOIN grouped g ON g.objective_id = o.objective_id
WHERE o.cycle = $cycle AND ($team::VARCHAR IS NULL OR o.team = $team)
ORDER BY o.team, o.objective_id;

-- name: kpis
-- The KPIs (of $team, every team when NULL) by team and name.
SELECT team, name, nullif(value, 'NaN'::DOUBLE) AS value, nullif(target, 'NaN'::DOUBLE) AS target, status
FROM kpi_scores($as_of::DATE)
WHERE $team::VARCHAR IS NULL OR team = $team
ORDER BY team, name;
