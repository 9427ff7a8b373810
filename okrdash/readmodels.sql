-- What the read models add to the store's kept scores of one as-of date (registered as
-- scored_key_results and scored_kpis) from its tables, as parameterised queries.
-- Nothing here restates a rule (rules.sql scored every row); these queries only choose and order.

-- name: kpi_table
-- Every KPI with its last $points values, oldest first, for sparklines (built once per kept
-- scoring; readmodels.kpi_table looks a team's or a filter's rows up in it).
WITH recent AS (
    SELECT kpi_id, list(value ORDER BY date) AS recent_values
    FROM (SELECT kpi_id, date, value, row_number() OVER (PARTITION BY kpi_id ORDER BY date DESC) AS age
          FROM kpi_measurements
          WHERE date <= $as_of::DATE)
    WHERE age <= $points
    GROUP BY kpi_id
)
SELECT scored_kpis.*, coalesce(recent.recent_values, []::DOUBLE[]) AS recent_values
FROM scored_kpis LEFT JOIN recent ON recent.kpi_id = scored_kpis.kpi_id
ORDER BY scored_kpis.team, scored_kpis.name, scored_kpis.kpi_id;

-- name: owned_key_results
-- Those without a check-in since $week_start first, then the furthest behind, then by team and title.
SELECT *, coalesce(last_checkin >= $week_start::DATE, false) AS checked_in_this_week
FROM scored_key_results
WHERE cycle = $cycle AND lower(coalesce(owner, '')) = lower($owner)
ORDER BY checked_in_this_week, gap DESC NULLS LAST, team, title, key_result_id;
