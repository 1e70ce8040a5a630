-- dims_units.sql: the tasks of a question with dimensions, keyed by their
-- --by values (q_task, src/analysis/dims.c): the unit `tasks --by`,
-- `outliers --by` and `top` count and take order statistics over.
-- A task is in the window when it starts in it.
-- Parameters: ?1 since_ns, ?2 until_ns, ?3 system (applied by q_task),
--             ?4 include eval tasks (1) or not (0).
-- Output: k1, k2 (the task's values; NULL: no such position), task.id,
--         cost_usd, llm_calls; ordered by k1, k2, cost.
SELECT qt.k1, qt.k2, t.id, t.cost_usd, t.llm_calls
FROM q_task qt
JOIN task t ON t.id = qt.task
WHERE t.start_ns >= ?1 AND t.start_ns < ?2
  AND (?4 OR t.eval = 0)
ORDER BY 1, 2, 4;
