-- ch_ship_span_task.sql: a task's fields as the ClickHouse span table
-- carries them (schema/clickhouse/span.sql: task_id, t_system, t_type,
-- t_eval on every span of the task; t_start_ns .. t_top_tool_calls and the
-- packed call groups on the earliest span of each of its traces), for the
-- spans ch_ship_spans.sql sends (src/store/ch_ship.c: send_spans, which
-- writes system, type, models, purposes and tools as names).
-- Run on the SQLite staging store of an ingest into ClickHouse.
-- Parameters: ?1 task.id. Output: task_id, system, task_type, eval,
--   start_ns, end_ns, spans, llm_calls, tool_calls, tokens_in, tokens_out,
--   cost_usd, unpriced_calls, tool_failures, retry_episodes, retry_attempts,
--   max_repeat, top_model, top_purpose, top_tool, top_tool_calls, groups
--   (task_calls.groups, NULL without LLM calls); no row for an unknown task.
SELECT t.task_id, t.system, t.task_type, coalesce(t.eval, 0),
       t.start_ns, t.end_ns, t.spans, t.llm_calls, t.tool_calls, t.tokens_in, t.tokens_out,
       t.cost_usd, t.unpriced_calls, t.tool_failures, t.retry_episodes, t.retry_attempts,
       t.max_repeat, t.top_model, t.top_purpose, t.top_tool, t.top_tool_calls, tc.groups
FROM task t
LEFT JOIN task_calls tc ON tc.task = t.id
WHERE t.id = ?1;
