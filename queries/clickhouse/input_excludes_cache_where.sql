-- input_excludes_cache_where.sql (ClickHouse twin): input_excludes_cache.sql's
-- twin over the LLM calls whose task {q_task} keeps
-- (queries/clickhouse/dims_q_task.sql); only the token rule, as there.
SELECT service AS system, scope, count() AS calls
FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE step = 1 AND start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR service = ?3)
  AND (?4 IS NULL OR ifNull(model, '(none)') = ?4)
  AND ifNull(tokens_cache_read, 0) + ifNull(tokens_cache_write, 0) > 0
  AND ifNull(tokens_in, 0) < ifNull(tokens_cache_read, 0) + ifNull(tokens_cache_write, 0)
GROUP BY service, scope
ORDER BY calls DESC, system NULLS FIRST, scope NULLS FIRST
