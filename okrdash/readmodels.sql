-- The filters the pages offer, applied in the engine: parameterised queries over the store's kept
-- scores of one as-of date (registered as scored_key_results and scored_kpis) and its tables.
-- Nothing here restates a rule (rules.sql scored every row); these queries only choose and order.
-- A NULL parameter (or an empty list) means "no filter".

-- name: kpi_table
WITH chosen AS (
    SELECT * FROM scored_kpis
    WHERE ($team::VARCHAR IS NULL OR team = $team)
      AND ($category::VARCHAR IS NULL OR category = $category)
      AND ($kpi_type::VARCHAR IS NULL OR kpi_type = $kpi_type)
      AND ($indicator::VARCHAR IS NULL OR indicator = $indicator)
      AND ($status::VARCHAR IS NULL OR status = $status)
),
recent AS (
    -- The last $points values of each chosen KPI, oldest first, for sparklines.
    SELECT kpi_id, list(value ORDER BY date) AS recent_values
    FROM (SELECT kpi_id, date, value, row_number() OVER (PARTITION BY kpi_id ORDER BY date DESC) AS age
          FROM kpi_measurements
          WHERE date <= $as_of::DATE AND kpi_id IN (SELECT kpi_id FROM chosen))
    WHERE age <= $points
    GROUP BY kpi_id
)
SELECT chosen.*, coalesce(recent.recent_values, []::DOUBLE[]) AS recent_values
FROM chosen LEFT JOIN recent ON recent.kpi_id = chosen.kpi_id
ORDER BY chosen.team, chosen.name, chosen.kpi_id;

-- name: team_key_results
SELECT * FROM scored_key_results
WHERE cycle = $cycle AND team = $team
  AND (len($statuses::VARCHAR[]) = 0 OR list_contains($statuses::VARCHAR[], status))
  AND ($owner::VARCHAR IS NULL OR owner = $owner)
ORDER BY team, objective, key_result_id;

-- name: owned_key_results
-- Those without a check-in since $week_start first, then the furthest behind, then by team and title.
SELECT *, coalesce(last_checkin >= $week_start::DATE, false) AS checked_in_this_week
FROM scored_key_results
WHERE cycle = $cycle AND lower(coalesce(owner, '')) = lower($owner)
ORDER BY checked_in_this_week, gap DESC NULLS LAST, team, title, key_result_id;
