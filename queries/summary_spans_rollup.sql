-- summary_spans_rollup.sql: summary_spans.sql from the hourly rollup
-- (schema/004_rollup.sql), for windows on whole hours. Same parameters and
-- output; first_ns and last_ns are the start of the first and last hour with
-- a span (the command prints their days).
SELECT coalesce(sum(r.spans), 0)                                AS spans,
       coalesce(sum(CASE WHEN k.step = 1 THEN r.spans END), 0)  AS llm_calls,
       coalesce(sum(CASE WHEN k.step = 2 THEN r.spans END), 0)  AS tool_calls,
       total(r.cost_usd)                                        AS cost_total,
       coalesce(sum(CASE WHEN k.cost_src IN (2, 3) THEN r.spans END), 0) AS unpriced_spans,
       coalesce(sum(CASE WHEN k.cost_src = 2 THEN r.spans END), 0)       AS producer_costed_spans,
       min(r.hour) * 3600000000000                              AS first_ns,
       max(r.hour) * 3600000000000                              AS last_ns,
       coalesce(sum(CASE WHEN k.trace_first THEN r.spans END), 0) AS traces
FROM rollup r
JOIN rollup_key k ON k.id = r.key
LEFT JOIN service sv ON sv.id = k.system
WHERE r.hour >= ?1 / 3600000000000 AND r.hour < ?2 / 3600000000000
  AND (?3 IS NULL OR sv.name = ?3);
