-- What okrdash remind may send (okrdash/reminders.py): the key results of the cycles running on
-- $today that are checked in by hand (not those following a KPI: its measurements feed them), with
-- the status the rules give them today and at the end of the week before ($before). The scores are
-- the store's kept ones, registered as now_key_results and before_key_results (Scores.register).
-- What the week owes is said here once: a key result is checked in for the week that began on
-- $week (its Monday) by a check-in dated then or later, and owes one while it is not Complete and
-- not checked in (the reminders, the app's count of check-ins owed and its weekly rate read these).

-- name: checked_by_hand
SELECT *, status <> 'Complete' AND NOT checked_in_this_week AS owes_checkin
FROM (
SELECT k.key_result_id, k.cycle, k.team, k.objective, k.title, k.owner, k.unit, k.current,
       k.last_checkin::DATE AS last_checkin, k.status, b.status AS status_before,
       coalesce(k.last_checkin::DATE >= $week::DATE, false) AS checked_in_this_week
FROM now_key_results k
LEFT JOIN before_key_results b ON b.key_result_id = k.key_result_id
WHERE $today::DATE BETWEEN k.cycle_start::DATE AND k.end_date::DATE
  AND k.start_date::DATE <= $today::DATE
  AND k.kpi_id IS NULL
  AND nullif(trim(k.owner), '') IS NOT NULL
ORDER BY lower(k.owner), k.team, k.objective, k.title, k.key_result_id
);
