-- The rules that turn numbers into progress, expected progress, status, grade and its band, the
-- review's flags and staleness. This is the only place they are computed; every page, the CLI and
-- the tests read them from here. Thresholds arrive as macro parameters whose defaults the store
-- fills from settings.py, where each names the source of its value (docs/rules.md says the same).

-- The per-objective "not ambitious" flag is gone (ambition is judged per team: okr_raise_ambition);
-- a database an earlier okrdash wrote drops its macro.
DROP MACRO IF EXISTS okr_review_flag;

-- Elapsed share of a cycle at as_of: 0 before the start, 1 after the end.
CREATE OR REPLACE MACRO okr_elapsed(start_date, end_date, as_of) AS
    greatest(0.0, least(1.0, date_diff('day', start_date, as_of)::DOUBLE
                              / greatest(1, date_diff('day', start_date, end_date))));

-- Expected progress at as_of on a path of points (structs of date and expected) in date order (a key result's
-- planned path, kr_scores' expected_path): linear between the last point on or before as_of and the
-- first after it; the first point's before the path starts, the last one's after it ends. Two
-- points on one day make a step (a milestone done on its planned day, not before).
CREATE OR REPLACE MACRO okr_path_at(path, as_of) AS (
    CASE WHEN as_of < path[1].date THEN path[1].expected
         WHEN as_of >= list_last(path).date THEN list_last(path).expected
         ELSE list_last(list_filter(path, lambda x: x.date <= as_of)).expected
              + (list_filter(path, lambda x: x.date > as_of)[1].expected
                 - list_last(list_filter(path, lambda x: x.date <= as_of)).expected)
              * date_diff('day', list_last(list_filter(path, lambda x: x.date <= as_of)).date, as_of)::DOUBLE
              / date_diff('day', list_last(list_filter(path, lambda x: x.date <= as_of)).date,
                          list_filter(path, lambda x: x.date > as_of)[1].date)
    END);

-- The progress expected of an objective by the end of its cycle: all of it when committed, the
-- playbook's 0.7 (settings.aspirational_end_point) when aspirational.
CREATE OR REPLACE MACRO okr_end_point(objective_type, aspirational_end := {aspirational_end_point}) AS
    CASE WHEN objective_type = 'aspirational' THEN aspirational_end ELSE 1.0 END;

-- Key result status from progress p and expected progress e (thresholds: okrdash's calibration).
CREATE OR REPLACE MACRO okr_kr_status(p, e, complete_allowed, on_ratio, on_gap, risk_ratio, risk_gap) AS
    CASE
        WHEN p IS NULL THEN 'No Data'
        WHEN p >= 1 AND complete_allowed THEN 'Complete'
        WHEN p >= on_ratio * e OR e - p <= on_gap THEN 'On Track'
        WHEN p >= risk_ratio * e OR e - p <= risk_gap THEN 'At Risk'
        ELSE 'Off Track'
    END;

-- The same thresholds read the other way: the least progress that is On Track, and At Risk, at
-- expected progress e (p >= r * e OR e - p <= g is p >= least(r * e, e - g)). What the demo company
-- and the bench generator plan their values by (okrdash/rules.py); tests hold it to okr_kr_status.
CREATE OR REPLACE MACRO okr_kr_status_floors(e, on_ratio := {on_track_ratio}, on_gap := {on_track_gap},
        risk_ratio := {at_risk_ratio}, risk_gap := {at_risk_gap}) AS
    {{'on_track': least(on_ratio * e, e - on_gap), 'at_risk': least(risk_ratio * e, e - risk_gap)}};

-- Where an end-of-cycle grade (progress rounded to 0.1) falls on the playbook's scale, whatever the
-- objective's type: green from 0.7, yellow from 0.4, red below. The colours an aspirational
-- objective's grade reads in (okr_band); a committed one's reading is met or missed.
CREATE OR REPLACE MACRO okr_grade_band(g, green_from := {grade_green_from}, yellow_from := {grade_yellow_from}) AS
    CASE WHEN g IS NULL THEN NULL WHEN g >= green_from THEN 'green' WHEN g >= yellow_from THEN 'yellow'
         ELSE 'red' END;

-- How an end-of-cycle grade g reads by the objective's type (the playbook's grading): a committed
-- objective is a promise, met at 1.0 and missed below it (with nothing measured too), and a missed
-- one needs a postmortem; an aspirational one reads its grade_band (okr_grade_band: green, yellow
-- or red), and is not graded (NULL) while nothing is measured. A committed 0.8 is missed, never green.
-- (A scalar macro here never calls another: a backup recreates them in name order.)
CREATE OR REPLACE MACRO okr_band(objective_type, g, grade_band) AS
    CASE WHEN objective_type = 'committed' THEN CASE WHEN g >= 1.0 THEN 'met' ELSE 'missed' END
         ELSE grade_band END;

-- A team is asked to raise its ambition when its aspirational objectives' grades average raise_at
-- or more in a cycle (the playbook: about 0.6 to 0.7 is right; settings.raise_ambition_mean_grade).
-- Judged on the team's average, never on one objective or one person; the mean is taken to nine
-- decimals, so a floating-point sum of tenths that lands a hair under the bar (0.8999...) counts
-- as the 0.9 it is.
CREATE OR REPLACE MACRO okr_raise_ambition(aspirational_mean_grade, raise_at := {raise_ambition_mean_grade}) AS
    coalesce(round(aspirational_mean_grade, 9) >= raise_at, false);

-- A key result is stale at as_of once more than interval_days have passed since its last check-in
-- or, before its first, since it started (settings.checkin_interval_days: the weekly check-in the
-- sources recommend). A key result in its first week is not stale for having no check-in yet.
CREATE OR REPLACE MACRO okr_is_stale(last_checkin, started, as_of, interval_days := {checkin_interval_days}) AS
    date_diff('day', coalesce(last_checkin, started), as_of) > interval_days;

-- The time between two measurements of a KPI measured at frequency.
CREATE OR REPLACE MACRO okr_kpi_period(frequency) AS
    CASE frequency WHEN 'daily' THEN INTERVAL 1 DAY WHEN 'weekly' THEN INTERVAL 7 DAY
                   WHEN 'monthly' THEN INTERVAL 1 MONTH WHEN 'quarterly' THEN INTERVAL 3 MONTH
                   WHEN 'yearly' THEN INTERVAL 1 YEAR END;

-- A KPI measured every period (okr_kpi_period) is stale at as_of when it was never measured, or
-- its next measurement (last_date + period) is overdue by more than grace_share of the period
-- (whole days; settings.kpi_stale_grace_share): a monthly KPI measured on 31 October is due on
-- 30 November and stale from 8 December, a weekly one a day after its due day, a daily one the
-- day after it.
CREATE OR REPLACE MACRO okr_kpi_is_stale(last_date, period, as_of, grace_share := {kpi_stale_grace_share}) AS
    last_date IS NULL OR coalesce(
        date_diff('day', CAST(last_date + period AS DATE), as_of)
            > floor(grace_share * date_diff('day', last_date, CAST(last_date + period AS DATE))),
        false);

-- How far a KPI's value is behind its target, as a share of the target (negative: ahead of it);
-- none for a range KPI or a target of 0. What the overview's "needs attention" list sorts by.
CREATE OR REPLACE MACRO okr_kpi_gap(direction, value, target) AS
    CASE WHEN direction = 'lower_is_better' THEN (value - target) / nullif(abs(target), 0)
         WHEN direction = 'higher_is_better' THEN (target - value) / nullif(abs(target), 0)
    END;

-- Every key result at as_of, with its current value, progress, expected progress and status.
CREATE OR REPLACE MACRO kr_scores(as_of, on_ratio := {on_track_ratio}, on_gap := {on_track_gap},
        risk_ratio := {at_risk_ratio}, risk_gap := {at_risk_gap},
        aspirational_end := {aspirational_end_point}, low_confidence := {low_confidence},
        forecast_horizon := {forecast_horizon_days}, green_from := {grade_green_from},
        yellow_from := {grade_yellow_from}, checkin_interval := {checkin_interval_days},
        kpi_grace := {kpi_stale_grace_share}) AS TABLE
WITH kr_values AS (
    -- seen_at orders a key result's values in time: by day, then by seq (two people checking in on
    -- one day: the later one is current). One number (days * 2^32 + seq), not a (date, seq) struct:
    -- arg_max over a number costs half as much over 400,000 check-ins.
    SELECT c.key_result_id, k.kind, k.target, c.date, c.value, c.confidence,
           date_diff('day', DATE '2000-01-01', c.date) * 4294967296 + c.seq AS seen_at
    FROM checkins c JOIN key_results k ON k.id = c.key_result_id
    WHERE c.date <= as_of
    UNION ALL
    SELECT k.id, k.kind, k.target, m.date, m.value, NULL, date_diff('day', DATE '2000-01-01', m.date) * 4294967296
    FROM key_results k JOIN kpi_measurements m ON m.kpi_id = k.kpi_id
    WHERE m.date <= as_of
),
-- One pass over the values (read once, not kept for a second pass): the current and first value,
-- and for an at-least / at-most key result the share of its values inside the bound.
latest AS (
    SELECT key_result_id,
           arg_max(value, seen_at) AS current,
           arg_min(value, seen_at) AS first_value,
           max(date) AS last_checkin,
           arg_max(confidence, seen_at) FILTER (WHERE confidence IS NOT NULL) AS confidence,
           count(*) AS checkin_count,
           avg(CASE WHEN kind = 'at_least' THEN (value >= target)::INT ELSE (value <= target)::INT END)
               FILTER (WHERE kind IN ('at_least', 'at_most')) AS share_in_bound
    FROM kr_values GROUP BY key_result_id
),
base AS (
    SELECT k.id AS key_result_id, o.id AS objective_id, o.cycle, o.team, o.title AS objective,
           o.type AS objective_type, o.parent_title, k.title, k.owner, k.kind, k.unit, k.weight,
           k.kpi_id, kp.name AS kpi_name, kp.frequency AS kpi_frequency,
           k.baseline AS stated_baseline, coalesce(k.baseline, l.first_value) AS baseline, k.target,
           l.current, l.last_checkin, l.confidence, coalesce(l.checkin_count, 0) AS checkin_count,
           -- A key result is measured from its own start (added mid-cycle) or else the cycle's.
           coalesce(k.start_date, c.start_date) AS start_date, c.start_date AS cycle_start, c.end_date,
           okr_elapsed(coalesce(k.start_date, c.start_date), c.end_date, as_of) AS elapsed,
           okr_end_point(o.type, aspirational_end := aspirational_end) AS end_point,
           CASE k.kind
               WHEN 'milestone' THEN CASE WHEN l.current IS NULL THEN NULL
                                          WHEN l.current >= k.target THEN 1.0 ELSE 0.0 END
               WHEN 'at_least' THEN l.share_in_bound
               WHEN 'at_most' THEN l.share_in_bound
               ELSE (l.current - coalesce(k.baseline, l.first_value))
                    / nullif(k.target - coalesce(k.baseline, l.first_value), 0)
           END AS progress
    FROM key_results k
    JOIN objectives o ON o.id = k.objective_id
    JOIN cycles c ON c.name = o.cycle
    LEFT JOIN kpis kp ON kp.id = k.kpi_id
    LEFT JOIN latest l ON l.key_result_id = k.id
),
-- A key result's planned values (kr_plans) as shares of the way from its baseline to its target
-- (a milestone's: done or not), on days inside its cycle. A bound is kept all cycle: no plan.
planned_points AS (
    SELECT b.key_result_id, p.date,
           CASE WHEN b.kind = 'milestone' THEN (p.planned >= b.target)::DOUBLE
                ELSE (p.planned - b.baseline) / nullif(b.target - b.baseline, 0) END AS share
    FROM kr_plans p JOIN base b ON b.key_result_id = p.key_result_id
    WHERE b.kind NOT IN ('at_least', 'at_most') AND p.date > b.start_date AND p.date < b.end_date
),
-- The planned path runs from the start (the baseline: nothing yet) through the planned points to
-- the end (the target: all of it).
plan_ends AS (
    SELECT * FROM planned_points
    UNION ALL SELECT key_result_id, start_date, 0.0 FROM base
              WHERE key_result_id IN (SELECT key_result_id FROM planned_points)
    UNION ALL SELECT key_result_id, end_date, 1.0 FROM base
              WHERE key_result_id IN (SELECT key_result_id FROM planned_points)
),
plan_steps AS (
    SELECT key_result_id, date, share, 1 AS step FROM plan_ends
    UNION ALL
    -- A milestone is done or not: its expected progress steps up on the planned day, not before.
    SELECT key_result_id, date, previous, 0 FROM (
        SELECT e.*, lag(e.share) OVER (PARTITION BY e.key_result_id ORDER BY e.date) AS previous
        FROM plan_ends e JOIN base b ON b.key_result_id = e.key_result_id WHERE b.kind = 'milestone')
    WHERE previous IS NOT NULL
),
plan_paths AS (
    SELECT s.key_result_id,
           list({{'date': s.date, 'expected': s.share * b.end_point}} ORDER BY s.date, s.step) AS path
    FROM plan_steps s JOIN base b ON b.key_result_id = s.key_result_id GROUP BY s.key_result_id
),
paths AS (
    SELECT b.*,
           -- Without a plan the path is the linear one, from nothing at the start to the end point.
           coalesce(pp.path, CASE WHEN b.kind NOT IN ('at_least', 'at_most')
                                  THEN [{{'date': b.start_date, 'expected': 0.0}},
                                        {{'date': b.end_date, 'expected': b.end_point}}] END) AS expected_path,
           pp.path IS NOT NULL AS planned
    FROM base b LEFT JOIN plan_paths pp ON pp.key_result_id = b.key_result_id
),
expected AS (
    SELECT *,
           -- Keeping a value inside a bound is expected all cycle long, not by its end. A planned
           -- path is followed; without one, the elapsed share of the cycle. (Nine decimals: a plan
           -- on the linear points expects what the linear rule does, float rounding aside.)
           round(CASE WHEN kind IN ('at_least', 'at_most') THEN end_point
                      WHEN planned THEN okr_path_at(expected_path, as_of)
                      ELSE elapsed * end_point END, 9) AS expected,
           -- least() skips NULL (least(1.0, NULL) is 1.0), so no progress must stay no progress.
           CASE WHEN progress IS NOT NULL THEN greatest(0.0, least(1.0, progress)) END AS progress_clamped
    FROM paths
),
rated AS (
    SELECT *,
           CASE WHEN target IS NULL THEN 'No Target'
                ELSE okr_kr_status(progress, expected, kind NOT IN ('at_least', 'at_most') OR elapsed >= 1,
                                   on_ratio, on_gap, risk_ratio, risk_gap)
           END AS status_by_numbers
    FROM expected
)
SELECT *,
       expected - progress AS gap,
       -- The day the pace so far (progress per day since the key result's start) would reach the target;
       -- none when that lies beyond the horizon (days after the start): "not at this pace".
       CASE WHEN kind IN ('increase', 'decrease') AND progress > 0 AND progress < 1 AND as_of > start_date
                 AND date_diff('day', start_date, least(as_of, end_date)) / progress <= forecast_horizon
            THEN start_date + CAST(ceil(least(forecast_horizon,
                                              date_diff('day', start_date, least(as_of, end_date)) / progress))
                                   AS INTEGER)
       END AS forecast_date,
       coalesce(status_by_numbers = 'On Track' AND confidence <= low_confidence, false) AS confidence_disagrees,
       CASE WHEN status_by_numbers = 'On Track' AND confidence <= low_confidence THEN 'At Risk'
            ELSE status_by_numbers END AS status,
       round(progress_clamped, 1) AS grade,
       okr_grade_band(grade, green_from := green_from, yellow_from := yellow_from) AS grade_band,
       -- Read by the objective's type: met / missed when committed, green / yellow / red when aspirational.
       okr_band(objective_type, grade, grade_band) AS band,
       -- A key result that follows a KPI is as fresh as the KPI's measurements, by the KPI's frequency
       -- (before the first, counted from the key result's start).
       CASE WHEN kpi_id IS NOT NULL
            THEN okr_kpi_is_stale(coalesce(last_checkin, start_date), okr_kpi_period(kpi_frequency), as_of,
                                  grace_share := kpi_grace)
            ELSE okr_is_stale(last_checkin, start_date, as_of, interval_days := checkin_interval) END AS stale
FROM rated;

-- Every objective at as_of from its key results already scored (kr_scores' rows in the table or
-- CTE whose name key_results_table holds): weighted mean of clamped key result progress, worst key
-- result status. The store scores the key results once and rolls the objectives up from those rows.
CREATE OR REPLACE MACRO objective_rollup(key_results_table, as_of, aspirational_end := {aspirational_end_point},
        green_from := {grade_green_from}, yellow_from := {grade_yellow_from}) AS TABLE
WITH per_objective AS (
    -- Summed in key result order: an objective's progress is the same to the last bit whatever
    -- order the engine's threads hand its key results over in.
    SELECT objective_id,
           sum(progress_clamped * weight ORDER BY key_result_id) FILTER (WHERE progress IS NOT NULL)
               / nullif(sum(weight ORDER BY key_result_id) FILTER (WHERE progress IS NOT NULL), 0) AS progress,
           count(*) AS key_result_count,
           count(*) FILTER (WHERE status NOT IN ('No Data', 'No Target')) AS measured_count,
           bool_and(status = 'Complete') AS all_complete,
           bool_or(status = 'Off Track') AS any_off_track,
           bool_or(status = 'At Risk') AS any_at_risk,
           bool_or(confidence_disagrees) AS confidence_disagrees,
           max(last_checkin) AS last_checkin
    FROM query_table(key_results_table) GROUP BY objective_id
)
SELECT o.id AS objective_id, o.cycle, o.team, o.title, o.owner, o.type AS objective_type, o.parent_title,
       c.start_date, c.end_date,
       p.progress, okr_elapsed(c.start_date, c.end_date, as_of)
           * okr_end_point(o.type, aspirational_end := aspirational_end) AS expected,
       coalesce(p.key_result_count, 0) AS key_result_count, p.last_checkin,
       coalesce(p.confidence_disagrees, false) AS confidence_disagrees,
       CASE WHEN coalesce(p.measured_count, 0) = 0 THEN 'No Data'
            WHEN p.all_complete THEN 'Complete'
            WHEN p.any_off_track THEN 'Off Track'
            WHEN p.any_at_risk THEN 'At Risk'
            ELSE 'On Track' END AS status,
       round(p.progress, 1) AS grade,
       okr_grade_band(grade, green_from := green_from, yellow_from := yellow_from) AS grade_band,
       okr_band(o.type, grade, grade_band) AS band,
       -- A missed commitment needs a postmortem (read by the quarter review, the CLI and the coach).
       coalesce(band = 'missed', false) AS postmortem
FROM objectives o
JOIN cycles c ON c.name = o.cycle
LEFT JOIN per_objective p ON p.objective_id = o.id;

-- Every objective at as_of, its key results scored on the way (objective_rollup).
CREATE OR REPLACE MACRO objective_scores(as_of, aspirational_end := {aspirational_end_point},
        green_from := {grade_green_from}, yellow_from := {grade_yellow_from}) AS TABLE
WITH objective_key_results AS (SELECT * FROM kr_scores(as_of))
SELECT * FROM objective_rollup('objective_key_results', as_of, aspirational_end := aspirational_end,
                               green_from := green_from, yellow_from := yellow_from);

-- Every KPI at as_of: latest and previous measurement, status against the target, trend.
CREATE OR REPLACE MACRO kpi_scores(as_of, tolerance_share := {kpi_tolerance_share},
        trend_points := {kpi_trend_points}, trend_flat_share := {kpi_trend_flat_share},
        kpi_grace := {kpi_stale_grace_share}) AS TABLE
-- One pass over the measurements: per KPI its last trend_points values and their days, newest
-- first (a top-n aggregate, not a sort of every measurement; a KPI has one measurement a day, so
-- the two lists line up), its latest target, last day and count.
WITH latest AS (
    SELECT kpi_id,
           arg_max(value, date, trend_points::BIGINT) AS recent_values,
           max(date, trend_points::BIGINT) AS recent_dates,
           arg_max(target, date) FILTER (WHERE target IS NOT NULL) AS latest_period_target,
           max(date) AS last_date,
           count(*) AS measurement_count
    FROM kpi_measurements WHERE date <= as_of GROUP BY kpi_id
),
-- The trend is the least-squares line through the last trend_points measurements, read at the
-- first and the last of them: one noisy or repeated value does not hide a steady move.
fit AS (
    SELECT kpi_id,
           regr_intercept(value, day) + regr_slope(value, day) * min(day) AS trend_from,
           regr_intercept(value, day) + regr_slope(value, day) * max(day) AS trend_to
    FROM (SELECT kpi_id, unnest(recent_values) AS value,
                 date_diff('day', DATE '2000-01-01', unnest(recent_dates))::DOUBLE AS day
          FROM latest)
    GROUP BY kpi_id HAVING count(*) >= 2
),
resolved AS (
    SELECT k.id AS kpi_id, k.team, k.name, k.unit, k.direction, k.min_value, k.max_value,
           k.frequency, k.kpi_type, k.indicator, k.category, k.owner,
           coalesce(l.latest_period_target, k.target) AS target,
           l.recent_values[1] AS value,
           CASE WHEN len(l.recent_values) > 1 THEN l.recent_values[2] END AS previous_value,
           l.last_date, coalesce(l.measurement_count, 0) AS measurement_count,
           k.tolerance AS stated_tolerance, k.tolerance_is_share, f.trend_from, f.trend_to
    FROM kpis k LEFT JOIN latest l ON l.kpi_id = k.id LEFT JOIN fit f ON f.kpi_id = k.id
),
tolerances AS (
    SELECT *,
           CASE WHEN direction = 'range'
                THEN coalesce(CASE WHEN tolerance_is_share THEN stated_tolerance * abs(max_value - min_value)
                                   ELSE stated_tolerance END,
                              tolerance_share * abs(max_value - min_value))
                ELSE coalesce(CASE WHEN tolerance_is_share THEN stated_tolerance * abs(target)
                                   ELSE stated_tolerance END,
                              tolerance_share * abs(target))
           END AS tolerance,
           (min_value + max_value) / 2 AS range_middle
    FROM resolved
)
SELECT *,
       CASE
           WHEN direction = 'range' AND (min_value IS NULL OR max_value IS NULL) THEN 'No Target'
           WHEN direction <> 'range' AND target IS NULL THEN 'No Target'
           WHEN value IS NULL THEN 'No Data'
           WHEN direction = 'higher_is_better' THEN
               CASE WHEN value >= target THEN 'On Track' WHEN value >= target - tolerance THEN 'At Risk'
                    ELSE 'Off Track' END
           WHEN direction = 'lower_is_better' THEN
               CASE WHEN value <= target THEN 'On Track' WHEN value <= target + tolerance THEN 'At Risk'
                    ELSE 'Off Track' END
           ELSE
               CASE WHEN value BETWEEN min_value AND max_value THEN 'On Track'
                    WHEN value BETWEEN min_value - tolerance AND max_value + tolerance THEN 'At Risk'
                    ELSE 'Off Track' END
       END AS status,
       -- The At Risk band the status above uses: from the target (or range) out by the tolerance.
       CASE WHEN direction = 'higher_is_better' THEN target - tolerance
            WHEN direction = 'lower_is_better' THEN target
            ELSE min_value - tolerance END AS band_low,
       CASE WHEN direction = 'higher_is_better' THEN target
            WHEN direction = 'lower_is_better' THEN target + tolerance
            ELSE max_value + tolerance END AS band_high,
       value - previous_value AS change,
       -- Not measured within its own frequency (okr_kpi_is_stale).
       okr_kpi_is_stale(last_date, okr_kpi_period(frequency), as_of, grace_share := kpi_grace) AS stale,
       -- +1 when the recent move is good for this KPI, -1 when bad, 0 when flat or unknown. A move
       -- under trend_flat_share of the level (of the band width for a range) counts as flat.
       CASE
           WHEN trend_from IS NULL THEN 0
           WHEN direction = 'range' THEN
               CASE WHEN abs(abs(trend_from - range_middle) - abs(trend_to - range_middle))
                         <= trend_flat_share * abs(max_value - min_value) THEN 0
                    ELSE sign(abs(trend_from - range_middle) - abs(trend_to - range_middle)) END
           WHEN abs(trend_to - trend_from) <= trend_flat_share * greatest(abs(trend_from), abs(trend_to)) THEN 0
           WHEN direction = 'higher_is_better' THEN sign(trend_to - trend_from)
           ELSE sign(trend_from - trend_to)
       END::INTEGER AS trend
FROM tolerances;
