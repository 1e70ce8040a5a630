-- reconcile.sql (ClickHouse twin of queries/reconcile.sql): what the LLM
-- calls cost per UTC day and model, to hold against a provider's bill. The
-- same columns; the system is the task's (t_system on every span).
SELECT intDiv(start_ns, 86400000000000) AS day,
       model,
       ifNull(sum(cost_usd), 0)         AS cost_usd,
       count()                          AS calls
FROM span FINAL
WHERE step = 1
  AND start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
GROUP BY day, model
ORDER BY day, model NULLS FIRST
