-- task_find.sql (ClickHouse twin of queries/task_find.sql): one task by the
-- id `agentcost tasks --each` prints, for `agentcost task ID`.
-- Differs from the SQLite query: the task rows ({task_any}) hold the id as text (a
-- trace's id as lowercase hex, else the agentcost.task.id), so ?1 as given
-- or in lower case finds it (?2, the id's 16 bytes, is not used); the id
-- column is the hash task_spans.sql's twin selects the spans by, and the
-- names are the span table's own columns.
SELECT toInt64(bitShiftRight(cityHash64(task_id), 2)), task_id, system, task_type, start_ns,
       end_ns, cost_usd, llm_calls, tool_calls, tokens_in, tokens_out, eval, unpriced_calls
FROM {task_any}
WHERE task_id IN (?1, lower(?1))
ORDER BY task_id = ?1 DESC
LIMIT 1
