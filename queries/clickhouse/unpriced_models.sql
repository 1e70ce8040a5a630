-- unpriced_models.sql (ClickHouse twin): models of LLM calls no price covers.
SELECT model, count() AS spans, ifNull(sum(producer_cost_usd), 0) AS producer_cost
FROM span FINAL
WHERE cost_src IN (2, 3)
  AND start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
GROUP BY model
ORDER BY spans DESC, model NULLS FIRST
