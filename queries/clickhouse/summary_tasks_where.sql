-- summary_tasks_where.sql (ClickHouse twin): the tasks {q_task} keeps
-- (queries/clickhouse/dims_q_task.sql) starting in the window, of the
-- task's system; with a model filter, those with a span of that model
-- starting in the window. The columns of queries/summary_tasks_where.sql.
SELECT count() AS tasks, sum(eval) AS eval_tasks
FROM {task} GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR system = ?3)
  AND (?4 IS NULL OR task_id IN (SELECT task_id FROM span FINAL
                                 WHERE start_ns >= ?1 AND start_ns < ?2
                                   AND ifNull(model, '(none)') = ?4))
