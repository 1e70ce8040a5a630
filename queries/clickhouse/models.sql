-- models.sql (ClickHouse twin): production LLM calls per task type x
-- complexity class x model (calls of evaluation tasks left out).
SELECT t_type, ifNull(complexity_eff, ''), model, count() AS calls,
       ifNull(sum(tokens_in), 0) AS tokens_in, ifNull(sum(tokens_out), 0) AS tokens_out,
       ifNull(sum(cost_usd), 0) AS cost_usd
FROM span FINAL
WHERE step = 1 AND t_eval = 0 AND task_id != ''
  AND start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
GROUP BY t_type, ifNull(complexity_eff, ''), model
ORDER BY t_type NULLS FIRST, ifNull(complexity_eff, ''), model NULLS FIRST
