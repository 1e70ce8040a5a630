-- unpriced_models.sql: models of LLM calls that no price row covers.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive), ?3 system or NULL.
-- Output: model (NULL when the span named none), spans, producer_cost
--         (what the producers themselves reported for those spans, if anything).
SELECT m.name                      AS model,
       count(*)                    AS spans,
       total(s.producer_cost_usd)  AS producer_cost
FROM span s
LEFT JOIN model m ON m.id = s.model
LEFT JOIN service sv ON sv.id = s.service
WHERE s.cost_src IN (2, 3)
  AND s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?3 IS NULL OR s.rollup_key IN (SELECT k.id FROM rollup_key k
                                       JOIN service sy ON sy.id = k.system
                                       WHERE sy.name = ?3))
GROUP BY s.model
ORDER BY spans DESC, model;
