-- The quarter review: one cycle's grades as the rules compute them (objective_scores with its band and
-- postmortem, kr_scores with its band, okr_raise_ambition for a team: rules.sql), graded on $graded_on.
-- The scores are the store's kept ones (Store.scores: the whole company scored once per write and date),
-- registered by review.py as scored_objectives and scored_key_results (at $graded_on) and
-- previous_objectives (the previous cycle's, at $previous_graded_on): a review never runs the scoring
-- macros itself. Nothing here restates a rule; these queries only choose, count, average and compare.
-- $team NULL means every team. No query gives a grade per person.

-- name: objectives
SELECT objective_id, team, title, owner, objective_type, key_result_count, progress, grade, grade_band, band,
       postmortem, status
FROM scored_objectives
WHERE cycle = $cycle AND ($team::VARCHAR IS NULL OR team = $team)
ORDER BY team, title, objective_id;

-- name: key_results
SELECT key_result_id, objective_id, team, objective, objective_type, title, owner, kind, progress, grade,
       grade_band, band, status
FROM scored_key_results
WHERE cycle = $cycle AND ($team::VARCHAR IS NULL OR team = $team)
ORDER BY team, objective, title, key_result_id;

-- name: distribution
-- How many objectives and key results read each band (met / missed when committed, green / yellow /
-- red when aspirational; NULL: not graded, no data).
SELECT 'objective' AS subject, band, count(*) AS count
FROM scored_objectives
WHERE cycle = $cycle AND ($team::VARCHAR IS NULL OR team = $team)
GROUP BY ALL
UNION ALL
SELECT 'key_result', band, count(*)
FROM scored_key_results
WHERE cycle = $cycle AND ($team::VARCHAR IS NULL OR team = $team)
GROUP BY ALL;

-- name: teams
-- Per team: objectives and key results counted, the mean objective grade, and the same mean in the
-- previous cycle (graded on its last day, or as-of) with the change. A team new this cycle has no
-- previous mean and no change. The mean grade of its aspirational objectives (graded ones: an
-- objective with nothing measured has no grade) is what okr_raise_ambition judges; the previous
-- cycle's is beside it, so a reader sees whether the team did the same last time.
WITH this_cycle AS (
    SELECT team, count(*) AS objective_count, sum(key_result_count)::INTEGER AS key_result_count,
           avg(grade) AS mean_grade,
           count(*) FILTER (WHERE objective_type = 'aspirational') AS aspirational_count,
           avg(grade) FILTER (WHERE objective_type = 'aspirational') AS aspirational_mean_grade
    FROM scored_objectives
    WHERE cycle = $cycle AND ($team::VARCHAR IS NULL OR team = $team)
    GROUP BY team
),
previous_cycle AS (
    SELECT team, avg(grade) AS mean_grade,
           avg(grade) FILTER (WHERE objective_type = 'aspirational') AS aspirational_mean_grade
    FROM previous_objectives
    WHERE cycle = $previous_cycle::VARCHAR AND ($team::VARCHAR IS NULL OR team = $team)
    GROUP BY team
)
SELECT t.team, t.objective_count, t.key_result_count, t.mean_grade,
       p.mean_grade AS previous_mean_grade, t.mean_grade - p.mean_grade AS change,
       t.aspirational_count, t.aspirational_mean_grade,
       p.aspirational_mean_grade AS previous_aspirational_mean_grade,
       okr_raise_ambition(t.aspirational_mean_grade) AS raise_ambition
FROM this_cycle t LEFT JOIN previous_cycle p ON p.team = t.team
ORDER BY t.team;

-- name: cycle_teams
-- The teams a review of $cycle can be filtered to: those with an objective in it.
SELECT DISTINCT team FROM objectives WHERE cycle = $cycle ORDER BY team;
