-- summary_tasks.sql (ClickHouse twin): tasks and evaluation tasks of the window.
SELECT count() AS tasks, sum(eval) AS eval_tasks
FROM {task}
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR system = ?3)
