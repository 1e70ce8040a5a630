-- summary_spans.sql (ClickHouse twin of queries/summary_spans.sql): what the
-- store holds, counted over spans; the same columns. first_ns / last_ns are
-- NULL when no span is in the window (min() of nothing is 0 in ClickHouse).
SELECT count()                                   AS spans,
       countIf(step = 1)                         AS llm_calls,
       countIf(step = 2)                         AS tool_calls,
       ifNull(sum(cost_usd), 0)                  AS cost_total,
       countIf(cost_src IN (2, 3))               AS unpriced_spans,
       countIf(cost_src = 2)                     AS producer_costed_spans,
       if(count() = 0, NULL, min(start_ns))      AS first_ns,
       if(count() = 0, NULL, max(start_ns))      AS last_ns,
       sum(trace_first)                          AS traces
FROM span FINAL
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
