-- summary_tiers_where.sql (ClickHouse twin): summary_tiers.sql's twin over
-- the LLM calls whose task {q_task} keeps (queries/clickhouse/dims_q_task.sql).
SELECT countIf(bitAnd(price_note, 1) != 0) AS tier_fallback_calls,
       countIf(service_tier IS NOT NULL AND lower(assumeNotNull(service_tier)) NOT IN
               ('default', 'auto', 'scale', 'standard', 'flex', 'priority', 'batch'))
                                          AS unknown_tier_calls
FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE step = 1
  AND start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
  AND (?4 IS NULL OR ifNull(model, '(none)') = ?4)
