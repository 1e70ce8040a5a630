-- unpriced_models_rollup.sql: unpriced_models.sql from the hourly rollup
-- (schema/004_rollup.sql), for windows on whole hours. Same parameters and
-- output.
SELECT m.name                      AS model,
       sum(r.spans)                AS spans,
       total(r.producer_cost_usd)  AS producer_cost
FROM rollup r
JOIN rollup_key k ON k.id = r.key
LEFT JOIN model m ON m.id = k.model
LEFT JOIN service sv ON sv.id = k.service
WHERE k.cost_src IN (2, 3)
  AND r.hour >= ?1 / 3600000000000 AND r.hour < ?2 / 3600000000000
  AND (?3 IS NULL OR sv.name = ?3)
GROUP BY k.model
ORDER BY spans DESC, model;
