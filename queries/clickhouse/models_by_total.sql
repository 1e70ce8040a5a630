-- models_by_total.sql (ClickHouse twin): the production LLM cost of a
-- question with --by/--where (what models_by.sql's rows are shares of). The
-- same column as queries/models_by_total.sql; the eval flag is the span's.
SELECT ifNull(sum(cost_usd), 0)
FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE step = 1 AND t_eval = 0
  AND start_ns >= ?1 AND start_ns < ?2
  AND (?5 IS NULL OR ifNull(model, '(none)') = ?5)
