-- hidden.sql (ClickHouse twin): spend, tokens and tool calls per system (the
-- task's) and step purpose.
SELECT t_system AS system, ifNull(purpose_eff, 'other') AS purpose,
       ifNull(sum(cost_usd), 0) AS cost_usd,
       ifNull(sumIf(ifNull(tokens_in, 0) + ifNull(tokens_out, 0), step = 1), 0) AS tokens,
       count() AS spans,
       countIf(step = 2) AS tool_calls,
       countIf(step = 2 AND status = 2) AS tool_failures
FROM span FINAL
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
GROUP BY t_system, purpose_eff
ORDER BY system NULLS FIRST, purpose
