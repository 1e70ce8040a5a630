-- models_by.sql (ClickHouse twin): models.sql per --by value (pair): the
-- production LLM calls starting in the window per task type x complexity x
-- model, for the values of their task ({q_task}:
-- queries/clickhouse/dims_q_task.sql) or their own model. The same columns as
-- queries/models_by.sql; the task's type and eval flag are the span's t_type
-- and t_eval.
SELECT if(?4 = 1, ifNull(model, '(none)'), k1) AS g1,
       if(?4 = 2, ifNull(model, '(none)'), k2) AS g2,
       t_type, ifNull(complexity_eff, '') AS cx, model, count() AS calls,
       ifNull(sum(tokens_in), 0) AS n_in, ifNull(sum(tokens_out), 0) AS n_out,
       ifNull(sum(cost_usd), 0) AS cost
FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE step = 1 AND t_eval = 0
  AND start_ns >= ?1 AND start_ns < ?2
  AND (?5 IS NULL OR ifNull(model, '(none)') = ?5)
GROUP BY g1, g2, t_type, cx, model
ORDER BY g1 NULLS FIRST, g2 NULLS FIRST, t_type NULLS FIRST, cx, model NULLS FIRST
