-- What the read models add to the store's kept scores of one as-of date (registered as
-- scored_key_results and scored_kpis) from its tables, as parameterised queries.
-- Nothing here restates a rule (rules.sql scored every row); these queries only choose and order.

-- name: kpi_rows
-- Every KPI with its last $points values, oldest first, for sparklines (built once per kept
-- scoring, kept as an Arrow table; the queries below read it registered as kpi_rows).
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

-- name: kpi_page
-- The KPIs page: the KPIs passing its filters ($team, $category, $kpi_type, $indicator, $status;
-- NULL: any), the first $limit (NULL: all) in view order. Each row carries how many pass (listed),
-- how many KPIs there are (every) and whether KPI $kpi_id passes (kpi_listed); when none passes,
-- one row of NULLs carries those.
WITH listed AS (
    SELECT * FROM kpi_rows
    WHERE ($team::VARCHAR IS NULL OR team = $team)
      AND ($category::VARCHAR IS NULL OR category = $category)
      AND ($kpi_type::VARCHAR IS NULL OR kpi_type = $kpi_type)
      AND ($indicator::VARCHAR IS NULL OR indicator = $indicator)
      AND ($status::VARCHAR IS NULL OR status = $status)
),
counted AS (SELECT (SELECT count(*) FROM listed) AS listed, (SELECT count(*) FROM kpi_rows) AS every,
                   EXISTS (SELECT 1 FROM listed WHERE kpi_id = $kpi_id) AS kpi_listed),
page AS (SELECT * FROM listed ORDER BY team, name, kpi_id LIMIT $limit)
SELECT page.*, counted.listed, counted.every, counted.kpi_listed FROM counted LEFT JOIN page ON true
ORDER BY page.team, page.name, page.kpi_id;

-- name: kpi_by_id
SELECT * FROM kpi_rows WHERE kpi_id = $kpi_id;

-- name: kpi_categories
SELECT DISTINCT category FROM kpi_rows WHERE category IS NOT NULL ORDER BY category;

-- name: owned_key_results
-- Those without a check-in since $week_start first, then the furthest behind, then by team and title.
SELECT *, coalesce(last_checkin >= $week_start::DATE, false) AS checked_in_this_week
FROM scored_key_results
WHERE cycle = $cycle AND lower(coalesce(owner, '')) = lower($owner)
ORDER BY checked_in_this_week, gap DESC NULLS LAST, team, title, key_result_id;

-- name: team_objectives
-- The team page's queries are of one $team in one $cycle; its filters ($statuses: any of these, an
-- empty list: any status; $owner: this owner, NULL: anyone) run here and nowhere else.
-- One page of the objectives listed: those holding a key result that passes the filters (every
-- objective when $filtered is false), $per_page of them from page $page, in view order. Each row
-- carries how many objectives the team has in the cycle, how many are listed, how many pages they
-- fill and the page shown ($page, or the first when there is no such page); a page with no
-- objective is one row of NULLs carrying those.
WITH listed AS (
    SELECT o.*, row_number() OVER (ORDER BY o.objective_id) AS position
    FROM scored_objectives o
    WHERE o.cycle = $cycle AND o.team = $team
      AND (NOT $filtered OR EXISTS (
          SELECT 1 FROM scored_key_results k
          WHERE k.objective_id = o.objective_id
            AND (len($statuses::VARCHAR[]) = 0 OR list_contains($statuses::VARCHAR[], k.status))
            AND ($owner::VARCHAR IS NULL OR k.owner = $owner)))
),
pages AS (
    SELECT count(*) AS listed, greatest(1, ceil(count(*) / $per_page))::INTEGER AS pages FROM listed
),
shown AS (
    SELECT listed, pages, CASE WHEN $page BETWEEN 1 AND pages THEN $page ELSE 1 END AS page,
           (SELECT count(*) FROM scored_objectives WHERE cycle = $cycle AND team = $team) AS objectives
    FROM pages
)
SELECT listed.* EXCLUDE (position), shown.objectives AS team_objectives, shown.listed, shown.pages, shown.page
FROM shown LEFT JOIN listed
  ON listed.position > (shown.page - 1) * $per_page AND listed.position <= shown.page * $per_page
ORDER BY listed.position;

-- name: team_key_results
-- The key results of the objectives $objective_ids, each with whether it passes the filters.
SELECT *, (len($statuses::VARCHAR[]) = 0 OR list_contains($statuses::VARCHAR[], status))
          AND ($owner::VARCHAR IS NULL OR owner = $owner) AS matches
FROM scored_key_results
WHERE cycle = $cycle AND team = $team AND list_contains($objective_ids::BIGINT[], objective_id)
ORDER BY objective, key_result_id;

-- name: team_status_counts
-- How many of the team's key results have each status.
SELECT status, count(*) AS count FROM scored_key_results WHERE cycle = $cycle AND team = $team GROUP BY status;

-- name: team_owners
-- Who owns the team's key results (the owner filter's choices).
SELECT DISTINCT owner FROM scored_key_results
WHERE cycle = $cycle AND team = $team AND owner <> '' ORDER BY owner;
