-- hidden_by.sql (ClickHouse twin): hidden.sql per --by value (pair): spend,
-- tokens and tool calls of the spans starting in the window per step
-- purpose, for the values of their task ({q_task}:
-- queries/clickhouse/dims_q_task.sql) or their own model. The same columns
-- as queries/hidden_by.sql.
SELECT if(?4 = 1, ifNull(model, '(none)'), k1) AS g1,
       if(?4 = 2, ifNull(model, '(none)'), k2) AS g2,
       ifNull(purpose_eff, 'other') AS purpose,
       ifNull(sum(cost_usd), 0) AS cost,
       ifNull(sumIf(ifNull(tokens_in, 0) + ifNull(tokens_out, 0), step = 1), 0) AS tokens,
       count() AS spans,
       countIf(step = 2) AS tool_calls,
       countIf(step = 2 AND status = 2) AS tool_failures
FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?5 IS NULL OR ifNull(model, '(none)') = ?5)
GROUP BY g1, g2, purpose_eff
ORDER BY g1 NULLS FIRST, g2 NULLS FIRST, purpose
