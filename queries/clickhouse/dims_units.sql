-- dims_units.sql (ClickHouse twin): the tasks of a question with dimensions
-- (q_task: queries/clickhouse/dims_q_task.sql, embedded at {q_task}) keyed by
-- their --by values, for `tasks --by`, `top` and the per-value order
-- statistics. The same columns as queries/dims_units.sql; the task's id is a
-- hash of its task id (no C reads it as a dictionary id). ?4 1 keeps
-- evaluation tasks.
SELECT k1, k2, toInt64(bitShiftRight(cityHash64(task_id), 2)) AS id, cost_usd, llm_calls
FROM {task_any} GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?4 OR eval = 0)
ORDER BY k1 NULLS FIRST, k2 NULLS FIRST, cost_usd
