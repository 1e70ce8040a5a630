-- task_find.sql: one task by the id `agentcost tasks --each` prints, for
-- `agentcost task ID`.
-- Answers: the task's row, found by key without a scan: a trace's id (?2,
-- its 16 bytes) or an agentcost.task.id as given or in lower case (?1); the
-- exact text wins when both match.
-- Parameters: ?1 the id as given (text), ?2 its 16 bytes when it is 32 hex
--             digits, else NULL.
-- Output: id, task_id, system, task_type, start_ns, end_ns, cost_usd,
--         llm_calls, tool_calls, tokens_in, tokens_out, eval, unpriced_calls;
--         one row at most.
SELECT t.id, t.task_id, sv.name, tt.name, t.start_ns, t.end_ns, t.cost_usd,
       t.llm_calls, t.tool_calls, t.tokens_in, t.tokens_out, t.eval,
       t.unpriced_calls
FROM task t
LEFT JOIN service sv ON sv.id = t.system
LEFT JOIN label tt ON tt.id = t.task_type
WHERE t.id IN ((SELECT id FROM trace WHERE trace_id = ?2),
               (SELECT id + 1099511627776 FROM task_ref WHERE name = ?1),
               (SELECT id + 1099511627776 FROM task_ref WHERE name = lower(?1)))
ORDER BY t.task_id = ?1 DESC
LIMIT 1;
