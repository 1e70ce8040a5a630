-- summary_by.sql (ClickHouse twin): `summary --by/--where`: the spans
-- starting in the window per --by value (pair) of their task ({q_task}:
-- queries/clickhouse/dims_q_task.sql) or their own model. The same columns
-- as queries/summary_by.sql; a task's start is q_task's t_start and its eval
-- flag the span's t_eval (one join); ?3 is each span's own service, as there.
SELECT if(?4 = 1, ifNull(model, '(none)'), k1) AS g1,
       if(?4 = 2, ifNull(model, '(none)'), k2) AS g2,
       count() AS spans,
       uniqExactIf(task_id, t_start >= ?1 AND t_start < ?2) AS tasks,
       uniqExactIf(task_id, t_start >= ?1 AND t_start < ?2 AND t_eval = 1) AS eval_tasks,
       countIf(step = 1) AS llm_calls,
       countIf(step = 2) AS tool_calls,
       ifNull(sum(cost_usd), 0) AS cost_total,
       countIf(cost_src IN (2, 3)) AS unpriced_spans,
       countIf(cost_src = 2) AS producer_costed_spans
FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
  AND (?5 IS NULL OR ifNull(model, '(none)') = ?5)
GROUP BY g1, g2
ORDER BY g1 NULLS FIRST, g2 NULLS FIRST
