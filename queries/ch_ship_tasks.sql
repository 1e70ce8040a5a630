-- ch_ship_tasks.sql: every task of a staging store, as the ClickHouse task
-- table's columns (schema/clickhouse/task.sql, without version); the
-- dictionary ids (system, task_type, top_model, top_purpose, top_tool) are
-- written out as names by src/store/ch_ship.c (TASK_DICTS).
-- Run on the SQLite staging store of an ingest into ClickHouse; no parameters.
SELECT t.task_id, t.system, t.task_type, t.start_ns, t.end_ns, t.spans, t.llm_calls, t.tool_calls,
       t.tokens_in, t.tokens_out, t.cost_usd, t.unpriced_calls, t.eval, t.tool_failures,
       t.retry_episodes, t.retry_attempts, t.max_repeat, t.top_model, t.top_purpose, t.top_tool,
       t.top_tool_calls
FROM task t
ORDER BY t.id;
