-- ch_ship_spans.sql: every span of a staging store, for the ClickHouse span
-- table (schema/clickhouse/span.sql), by key so that a trace's spans come
-- together. src/store/ch_ship.c (send_spans) writes the row: the task's id
-- and fields from ch_ship_span_task.sql and the trace's id from
-- ch_ship_span_trace.sql, looked up when they change (once a task or a
-- trace, not a join on every span); ids as lowercase hex; the columns that
-- hold a dictionary id here (name, service, env, ...) as names (SPAN_DICTS:
-- one array lookup each).
-- Run on the SQLite staging store of an ingest into ClickHouse; no parameters.
-- Output: task (task.id or NULL), trace (trace.id), span_id, parent_span_id,
--         the span's columns in the span table's order (start_ns ..
--         session_v), trace_first (1 on the earliest span of its trace).
SELECT s.task, s.id >> 24, s.span_id, s.parent_span_id,
       s.start_ns, s.end_ns, s.step, s.status,
       s.name, s.service, s.env, s.model, s.provider, s.tool, s.error_type,
       s.tokens_in, s.tokens_out, s.tokens_cache_read, s.tokens_cache_write, s.tokens_reasoning,
       s.tokens_cache_write_1h, s.tokens_audio_in, s.tokens_audio_out,
       s.cost_usd, s.cost_src, s.producer_cost_usd,
       s.complexity, s.purpose, s.task_type, s.task_ref, s.agent_name, s.eval_score,
       s.purpose_eff, s.complexity_eff, s.service_tier, s.price_note, s.scope,
       s.user_v, s.session_v, coalesce(k.trace_first, 0)
FROM span s
LEFT JOIN rollup_key k ON k.id = s.rollup_key
ORDER BY s.id;
