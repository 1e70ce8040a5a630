-- reconcile.sql: traced cost per UTC day x model, for `agentcost reconcile`
-- (the side of the bill that the traces explain). Twin: reconcile_rollup.sql.
-- Answers: what the stored LLM calls cost on each day, per model as the
-- traces name it. A call counts on the UTC day its span starts; an unpriced
-- call (cost_usd NULL) counts 0; eval calls count (the provider bills them
-- too). A span belongs to the system of its task (span.task -> task.system).
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (service.name) or NULL for all.
-- Output: day (days since 1970-01-01), model (NULL when the span named
--         none), cost_usd, calls; ordered by day, model.
SELECT s.start_ns / 86400000000000 AS day,
       m.name                      AS model,
       total(s.cost_usd)           AS cost_usd,
       count(*)                    AS calls
FROM span s
LEFT JOIN model m ON m.id = s.model
LEFT JOIN task t ON t.id = s.task
LEFT JOIN service sv ON sv.id = t.system
WHERE s.step = 1
  AND s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?3 IS NULL OR sv.name = ?3)
GROUP BY 1, 2
ORDER BY 1, 2;
