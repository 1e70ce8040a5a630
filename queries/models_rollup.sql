-- models_rollup.sql: models.sql from the hourly rollup (schema/004_rollup.sql),
-- for windows on whole hours. Same parameters and output.
SELECT tt.name, coalesce(cx.name, ''), m.name, g.calls, g.tokens_in, g.tokens_out, g.cost_usd
FROM (
  SELECT k.task_type AS task_type, k.complexity AS complexity, k.model AS model,
         sum(r.spans) AS calls, sum(r.tokens_in) AS tokens_in,
         sum(r.tokens_out) AS tokens_out, total(r.cost_usd) AS cost_usd
  FROM rollup r
  JOIN rollup_key k ON k.id = r.key
  LEFT JOIN service sv ON sv.id = k.system
  WHERE k.step = 1 AND k.eval = 0
    AND r.hour >= ?1 / 3600000000000 AND r.hour < ?2 / 3600000000000
    AND (?3 IS NULL OR sv.name = ?3)
  GROUP BY 1, 2, 3
) g
LEFT JOIN label tt ON tt.id = g.task_type
LEFT JOIN label cx ON cx.id = g.complexity
LEFT JOIN model m ON m.id = g.model
ORDER BY 1, 2, 3;
