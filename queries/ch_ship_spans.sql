-- ch_ship_spans.sql: every span of a staging store, as the ClickHouse span
-- table's columns (schema/clickhouse/span.sql, without version). Columns
-- that hold a dictionary id here (name, service, env, ...) are written out
-- as names by src/store/ch_ship.c (SPAN_DICTS: one array lookup each, not
-- a join per column); the task's fields beside each span (t_*).
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
       coalesce(t.start_ns, s.start_ns), coalesce(t.end_ns, s.end_ns), coalesce(t.spans, 0),
       coalesce(t.llm_calls, 0), coalesce(t.tool_calls, 0), coalesce(t.tokens_in, 0),
       coalesce(t.tokens_out, 0), coalesce(t.cost_usd, 0), coalesce(t.unpriced_calls, 0),
       coalesce(t.tool_failures, 0), coalesce(t.retry_episodes, 0),
       coalesce(t.retry_attempts, 0), coalesce(t.max_repeat, 0), t.top_model, t.top_purpose,
       t.top_tool, t.top_tool_calls
FROM span s
JOIN trace tr ON tr.id = s.id >> 24
LEFT JOIN task t ON t.id = s.task
LEFT JOIN rollup_key k ON k.id = s.rollup_key
ORDER BY s.id;
