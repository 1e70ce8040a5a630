-- models_scores_rollup.sql: models_scores.sql from the hourly rollup
-- (schema/004_rollup.sql), for windows on whole hours. Same parameters and
-- output.
SELECT tt.name, coalesce(cx.name, ''), m.name, g.n, g.score_sum, g.score_sq, g.partial,
       g.tokens_out
FROM (
  SELECT k.task_type AS task_type, k.complexity AS complexity, k.model AS model,
         sum(r.scored) AS n, total(r.score_sum) AS score_sum, total(r.score_sq) AS score_sq,
         sum(r.score_partial) AS partial, sum(r.scored_tokens_out) AS tokens_out
  FROM rollup r
  JOIN rollup_key k ON k.id = r.key
  LEFT JOIN service sv ON sv.id = k.system
  WHERE k.step = 1 AND k.eval = 1 AND r.scored > 0
    AND r.hour >= ?1 / 3600000000000 AND r.hour < ?2 / 3600000000000
    AND (?3 IS NULL OR sv.name = ?3)
  GROUP BY 1, 2, 3
) g
LEFT JOIN label tt ON tt.id = g.task_type
LEFT JOIN label cx ON cx.id = g.complexity
LEFT JOIN model m ON m.id = g.model
ORDER BY 1, 2, 3;
