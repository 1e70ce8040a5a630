-- outlier_detail.sql: what dominated one task's cost, for `agentcost outliers`.
-- Answers: the task's cost per model (LLM calls), its cost per step purpose
-- (every costed span), and its number of calls per tool; the command keeps
-- the first row of each kind.
-- Parameters: ?1 task.id.
--   The task's spans are found by rowid range (schema/001_init.sql: a trace's
--   spans are rowids trace << 24 .. (trace << 24) + 2^24 - 1) over its own
--   trace or, when grouped by agentcost.task.id, the traces in task_trace.
-- Output: kind ('model' | 'purpose' | 'tool'), name, value (cost in USD, or
--         calls for 'tool'); per kind largest value first, ties by name.
WITH tr(trace) AS (
  SELECT trace FROM task WHERE id = ?1 AND trace IS NOT NULL
  UNION
  SELECT trace FROM task_trace WHERE task = ?1
),
sp AS (
  SELECT s.step, s.model, s.tool, s.purpose_eff, s.cost_usd
  FROM tr
  JOIN span s ON s.id BETWEEN (tr.trace << 24) AND (tr.trace << 24) + 16777215
  WHERE s.task = ?1
)
SELECT 'model' AS kind, m.name AS name, total(sp.cost_usd) AS value
FROM sp JOIN model m ON m.id = sp.model
WHERE sp.step = 1
GROUP BY sp.model
UNION ALL
SELECT 'purpose', p.name, total(sp.cost_usd)
FROM sp JOIN label p ON p.id = sp.purpose_eff
WHERE sp.cost_usd IS NOT NULL
GROUP BY sp.purpose_eff
UNION ALL
SELECT 'tool', tl.name, count(*)
FROM sp JOIN tool tl ON tl.id = sp.tool
WHERE sp.step = 2
GROUP BY sp.tool
ORDER BY 1, 3 DESC, 2;
