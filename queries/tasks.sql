-- tasks.sql: one row per task, for `agentcost tasks` (distribution and --each).
-- Answers: what each task cost, with its system, type, size and eval flag.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive), ?3 system or NULL,
--             ?4 include eval tasks (1) or not (0). A task is in the window
--             when it starts in it.
-- Output: task_id, system, task_type, start_ns, end_ns, spans, llm_calls,
--         tool_calls, tokens_in, tokens_out, cost_usd, unpriced_calls, eval
SELECT t.task_id, sv.name, tt.name, t.start_ns, t.end_ns, t.spans, t.llm_calls,
       t.tool_calls, t.tokens_in, t.tokens_out, t.cost_usd, t.unpriced_calls, t.eval
FROM task t
LEFT JOIN service sv ON sv.id = t.system
LEFT JOIN label tt ON tt.id = t.task_type
WHERE t.start_ns >= ?1 AND t.start_ns < ?2
  AND (?3 IS NULL OR sv.name = ?3)
  AND (?4 OR t.eval = 0)
ORDER BY t.start_ns, t.task_id;
