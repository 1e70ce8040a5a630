-- reconcile_rollup.sql: reconcile.sql from the hourly rollup
-- (schema/004_rollup.sql), for windows on whole hours (a bill's days always
-- are). Same parameters and output.
SELECT r.hour / 24                 AS day,
       m.name                      AS model,
       total(r.cost_usd)           AS cost_usd,
       sum(r.spans)                AS calls
FROM rollup r
JOIN rollup_key k ON k.id = r.key
LEFT JOIN model m ON m.id = k.model
LEFT JOIN service sv ON sv.id = k.system
WHERE k.step = 1
  AND r.hour >= ?1 / 3600000000000 AND r.hour < ?2 / 3600000000000
  AND (?3 IS NULL OR sv.name = ?3)
GROUP BY 1, 2
ORDER BY 1, 2;
