-- unpriced_models_where.sql (ClickHouse twin): unpriced_models.sql's twin
-- over the spans whose task {q_task} keeps (queries/clickhouse/dims_q_task.sql).
SELECT model, count() AS spans, ifNull(sum(producer_cost_usd), 0) AS producer_cost
FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE cost_src IN (2, 3)
  AND start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
  AND (?4 IS NULL OR ifNull(model, '(none)') = ?4)
GROUP BY model
ORDER BY spans DESC, model NULLS FIRST
