-- models_scores.sql (ClickHouse twin): eval scores per task type x complexity
-- class x model, from the scored LLM calls of evaluation tasks.
SELECT t_type, ifNull(complexity_eff, ''), model, count() AS n,
       ifNull(sum(eval_score), 0) AS score_sum,
       ifNull(sum(eval_score * eval_score), 0) AS score_sq,
       countIf(eval_score != 0 AND eval_score != 1) AS partial,
       ifNull(sum(tokens_out), 0) AS tokens_out
FROM span FINAL
WHERE step = 1 AND t_eval = 1 AND eval_score IS NOT NULL AND task_id != ''
  AND start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
GROUP BY t_type, ifNull(complexity_eff, ''), model
ORDER BY t_type NULLS FIRST, ifNull(complexity_eff, ''), model NULLS FIRST
