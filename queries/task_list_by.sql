-- task_list_by.sql: `agentcost tasks --each` with --by/--where (issue #17): one
-- row per task the dimensions' filters keep (q_task, src/analysis/dims.c),
-- with its --by values.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive), ?3 system
--             (applied by q_task). A task is in the window when it starts in
--             it; evaluation tasks are listed (their own column).
-- Output: tasks.sql's columns (task_id, system, task_type, start_ns, end_ns,
--         spans, llm_calls, tool_calls, tokens_in, tokens_out, cost_usd,
--         unpriced_calls, eval), then k1, k2 (the --by values; NULL: no such
--         position); ordered by start, task_id.
SELECT t.task_id, sv.name, tt.name, t.start_ns, t.end_ns, t.spans, t.llm_calls,
       t.tool_calls, t.tokens_in, t.tokens_out, t.cost_usd, t.unpriced_calls, t.eval,
       qt.k1, qt.k2
FROM q_task qt
JOIN task t ON t.id = qt.task
LEFT JOIN service sv ON sv.id = t.system
LEFT JOIN label tt ON tt.id = t.task_type
WHERE t.start_ns >= ?1 AND t.start_ns < ?2
ORDER BY t.start_ns, t.task_id;
