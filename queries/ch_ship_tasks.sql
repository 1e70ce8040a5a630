-- ch_ship_tasks.sql: every task of a staging store, as the ClickHouse task
-- table's columns (schema/clickhouse/task.sql, without version).
-- Run on the SQLite staging store of an ingest into ClickHouse; no parameters.
SELECT t.task_id, sv.name, tt.name, t.start_ns, t.end_ns, t.spans, t.llm_calls, t.tool_calls,
       t.tokens_in, t.tokens_out, t.cost_usd, t.unpriced_calls, t.eval, t.tool_failures,
       t.retry_episodes, t.retry_attempts, t.max_repeat, tm.name, tp.name, tl.name,
       t.top_tool_calls
FROM task t
LEFT JOIN service sv ON sv.id = t.system
LEFT JOIN label tt ON tt.id = t.task_type
LEFT JOIN model tm ON tm.id = t.top_model
LEFT JOIN label tp ON tp.id = t.top_purpose
LEFT JOIN tool tl ON tl.id = t.top_tool
ORDER BY t.id;
