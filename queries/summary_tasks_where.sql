-- summary_tasks_where.sql: summary_tasks.sql over the tasks --where keeps
-- (`agentcost summary --where DIM=VALUE` without --by, issue #17): the tasks
-- of q_task (src/analysis/dims.c) starting in the window; with a model
-- filter, those with a span of that model starting in the window (the spans
-- summary_spans_where.sql counts).
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (the task's, as summary_tasks.sql) or NULL,
--             ?4 --where model value or NULL ("(none)": a span without one).
-- Output: tasks, eval_tasks
SELECT count(*)                   AS tasks,
       coalesce(sum(t.eval), 0)   AS eval_tasks
FROM q_task qt
JOIN task t ON t.id = qt.task
LEFT JOIN service sv ON sv.id = t.system
WHERE t.start_ns >= ?1 AND t.start_ns < ?2
  AND (?3 IS NULL OR sv.name = ?3)
  AND (?4 IS NULL OR EXISTS (SELECT 1 FROM span s LEFT JOIN model m ON m.id = s.model
                             WHERE s.task = t.id AND s.start_ns >= ?1 AND s.start_ns < ?2
                               AND coalesce(m.name, '(none)') = ?4));
