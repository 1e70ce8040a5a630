-- unpriced_models_where.sql: unpriced_models.sql over the tasks --where keeps
-- (`agentcost summary --where DIM=VALUE` without --by, issue #17): the
-- unpriced spans starting in the window whose task is in q_task
-- (src/analysis/dims.c).
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (the span's task's: rollup_key.system) or NULL,
--             ?4 --where model value or NULL.
-- Output: model (NULL when the span named none), spans, producer_cost.
SELECT m.name                      AS model,
       count(*)                    AS spans,
       total(s.producer_cost_usd)  AS producer_cost
FROM span s
JOIN q_task qt ON qt.task = s.task
LEFT JOIN model m ON m.id = s.model
WHERE s.cost_src IN (2, 3)
  AND s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?3 IS NULL OR s.rollup_key IN (SELECT k.id FROM rollup_key k
                                       JOIN service sy ON sy.id = k.system
                                       WHERE sy.name = ?3))
  AND (?4 IS NULL OR coalesce(m.name, '(none)') = ?4)
GROUP BY s.model
ORDER BY spans DESC, model;
