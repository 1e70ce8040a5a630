-- dims_units_spans.sql (ClickHouse twin): as dims_units.sql, but a task's
-- unit is its spans starting in the window (the incident report). The same
-- columns as queries/dims_units_spans.sql; the task's eval flag is the
-- span's t_eval, its id a hash of its task id.
SELECT k1, k2, toInt64(bitShiftRight(cityHash64(task_id), 2)) AS id,
       ifNull(sum(cost_usd), 0) AS cost, countIf(step = 1) AS calls
FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?4 OR t_eval = 0)
GROUP BY task_id, k1, k2
ORDER BY k1 NULLS FIRST, k2 NULLS FIRST, cost
