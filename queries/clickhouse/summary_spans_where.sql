-- summary_spans_where.sql (ClickHouse twin): summary_spans.sql's twin over
-- the spans whose task {q_task} keeps (queries/clickhouse/dims_q_task.sql,
-- built for every system); the same columns as queries/summary_spans_where.sql.
SELECT count()                                   AS spans,
       countIf(step = 1)                         AS llm_calls,
       countIf(step = 2)                         AS tool_calls,
       ifNull(sum(cost_usd), 0)                  AS cost_total,
       countIf(cost_src IN (2, 3))               AS unpriced_spans,
       countIf(cost_src = 2)                     AS producer_costed_spans,
       if(count() = 0, NULL, min(start_ns))      AS first_ns,
       if(count() = 0, NULL, max(start_ns))      AS last_ns,
       sum(trace_first)                          AS traces
FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
  AND (?4 IS NULL OR ifNull(model, '(none)') = ?4)
