-- Questions put to the rules of rules.sql one plan at a time (okrdash/rules.py), by code that makes
-- data to a plan: the demo company and the bench generator. The answers are the macros'; nothing
-- here restates a threshold (those come from settings, as the macros' parameters or defaults).

-- name: end_point
SELECT okr_end_point($objective_type);

-- name: status_floors
-- The least progress that is On Track, and At Risk, at each expected progress of $expected, in order.
SELECT floors.on_track, floors.at_risk
FROM (SELECT unnest($expected::DOUBLE[]) AS e, unnest(range(len($expected::DOUBLE[]))) AS position)
CROSS JOIN LATERAL (SELECT okr_kr_status_floors(e) AS floors)
ORDER BY position;
