-- report_breakdown.sql (ClickHouse twin): spend of a window per system (the
-- task's), per model (LLM calls) and per tool (tool calls), with calls and
-- failed tool calls. The same columns and order.
SELECT kind, name, cost_usd, calls, failures
FROM (
  SELECT 'system' AS kind, t_system AS name, ifNull(sum(cost_usd), 0) AS cost_usd,
         countIf(step IN (1, 2)) AS calls, toUInt64(0) AS failures
  FROM span FINAL
  WHERE start_ns >= ?1 AND start_ns < ?2 AND (?3 IS NULL OR t_system = ?3)
  GROUP BY t_system
  UNION ALL
  SELECT 'model' AS kind, model AS name, ifNull(sum(cost_usd), 0) AS cost_usd,
         count() AS calls, toUInt64(0) AS failures
  FROM span FINAL
  WHERE start_ns >= ?1 AND start_ns < ?2 AND (?3 IS NULL OR t_system = ?3)
    AND step = 1 AND model IS NOT NULL
  GROUP BY model
  UNION ALL
  SELECT 'tool' AS kind, tool AS name, ifNull(sum(cost_usd), 0) AS cost_usd,
         count() AS calls, countIf(status = 2) AS failures
  FROM span FINAL
  WHERE start_ns >= ?1 AND start_ns < ?2 AND (?3 IS NULL OR t_system = ?3)
    AND step = 2 AND tool IS NOT NULL
  GROUP BY tool)
ORDER BY kind, name NULLS FIRST
