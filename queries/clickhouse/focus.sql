-- focus.sql (ClickHouse twin of queries/focus.sql): the costed spans of a
-- window, for `agentcost export focus` (src/analysis/focus.c splits each
-- LLM call's cost by token kind and sums the parts per FOCUS row in C).
-- Differs from the SQLite query: the names are the span table's own
-- columns, and the rows come in (trace_id, span_id) order, the table's
-- key, where SQLite gives span-key order (the sums do not depend on it
-- beyond rounding; an order makes repeated runs print the same digits).
SELECT start_ns, step, cost_src, cost_usd, model, tool, provider, service, scope,
       service_tier, tokens_in, tokens_out, tokens_cache_read, tokens_cache_write,
       tokens_reasoning, tokens_cache_write_1h, tokens_audio_in, tokens_audio_out
FROM span FINAL
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
  AND cost_usd IS NOT NULL
  AND (cost_src IN (1, 2) OR cost_usd != 0)
ORDER BY trace_id, span_id
