-- outliers_by.sql: `agentcost outliers --by/--where` (issue #17): the
-- production tasks of the window the dimensions' filters keep (q_task,
-- src/analysis/dims.c), in groups of equal --by values; the judge
-- (src/analysis/guard.c, ac_guard_by_run) reads it with two cursors, one a
-- group ahead for the group's median cost and p99.9 of LLM calls.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive), ?3 system
--             (applied by q_task). A task is in the window when it starts in
--             it; evaluation tasks are left out.
-- Output: outliers.sql's columns (id, task_type, cost_usd, llm_calls,
--         max_repeat, tkey, system, top_model, top_purpose, top_tool,
--         top_tool_calls), then k1, k2 (the --by values; NULL: no such
--         position); ordered by k1, k2, cost, id (both cursors alike).
SELECT t.id, coalesce(t.task_type, 0), t.cost_usd, t.llm_calls, t.max_repeat, t.tkey,
       coalesce(t.system, 0), coalesce(t.top_model, 0), coalesce(t.top_purpose, 0),
       coalesce(t.top_tool, 0), coalesce(t.top_tool_calls, 0), qt.k1, qt.k2
FROM q_task qt
JOIN task t ON t.id = qt.task
WHERE t.eval = 0
  AND t.start_ns >= ?1 AND t.start_ns < ?2
ORDER BY qt.k1, qt.k2, t.cost_usd, t.id;
