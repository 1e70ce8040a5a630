-- ch_ship_spans.sql: every span of a staging store, as the ClickHouse span
-- table's columns (schema/clickhouse/span.sql, without version). Columns
-- that hold a dictionary id here (name, service, env, ...) are written out
-- as names by src/store/ch_ship.c (SPAN_DICTS: one array lookup each, not
-- a join per column); the task's system, type and eval beside each span,
-- its other fields (t_start_ns ... t_top_tool_calls) on the earliest span of
-- each of its traces.
-- Run on the SQLite staging store of an ingest into ClickHouse; no parameters.
SELECT coalesce(t.task_id, ''), lower(hex(tr.trace_id)), lower(hex(s.span_id)), lower(hex(s.parent_span_id)),
       s.start_ns, s.end_ns, s.step, s.status,
       s.name, s.service, s.env, s.model, s.provider, s.tool, s.error_type,
       s.tokens_in, s.tokens_out, s.tokens_cache_read, s.tokens_cache_write, s.tokens_reasoning,
       s.tokens_cache_write_1h, s.tokens_audio_in, s.tokens_audio_out,
       s.cost_usd, s.cost_src, s.producer_cost_usd,
       s.complexity, s.purpose, s.task_type, s.task_ref, s.agent_name, s.eval_score,
       s.purpose_eff, s.complexity_eff, s.service_tier, s.price_note, s.scope,
       s.user_v, s.session_v, coalesce(k.trace_first, 0),
       t.system, t.task_type, coalesce(t.eval, 0),
       -- the task's numbers on the earliest span of each of its traces only
       -- (trace_first: the rows {task} reads); 0 and NULL on the others
       CASE WHEN k.trace_first = 1 THEN t.start_ns ELSE 0 END,
       CASE WHEN k.trace_first = 1 THEN t.end_ns ELSE 0 END,
       CASE WHEN k.trace_first = 1 THEN t.spans ELSE 0 END,
       CASE WHEN k.trace_first = 1 THEN t.llm_calls ELSE 0 END,
       CASE WHEN k.trace_first = 1 THEN t.tool_calls ELSE 0 END,
       CASE WHEN k.trace_first = 1 THEN t.tokens_in ELSE 0 END,
       CASE WHEN k.trace_first = 1 THEN t.tokens_out ELSE 0 END,
       CASE WHEN k.trace_first = 1 THEN t.cost_usd ELSE 0 END,
       CASE WHEN k.trace_first = 1 THEN t.unpriced_calls ELSE 0 END,
       CASE WHEN k.trace_first = 1 THEN t.tool_failures ELSE 0 END,
       CASE WHEN k.trace_first = 1 THEN t.retry_episodes ELSE 0 END,
       CASE WHEN k.trace_first = 1 THEN t.retry_attempts ELSE 0 END,
       CASE WHEN k.trace_first = 1 THEN t.max_repeat ELSE 0 END,
       CASE WHEN k.trace_first = 1 THEN t.top_model END,
       CASE WHEN k.trace_first = 1 THEN t.top_purpose END,
       CASE WHEN k.trace_first = 1 THEN t.top_tool END,
       CASE WHEN k.trace_first = 1 THEN t.top_tool_calls END,
       CASE WHEN k.trace_first = 1 THEN tc.groups END  -- three fields: ch_ship.c
FROM span s
JOIN trace tr ON tr.id = s.id >> 24
LEFT JOIN task t ON t.id = s.task
LEFT JOIN rollup_key k ON k.id = s.rollup_key
LEFT JOIN task_calls tc ON tc.task = t.id
ORDER BY s.id;
