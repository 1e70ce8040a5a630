-- report_breakdown.sql: spend of a time window per system, per model and per
-- tool, for `agentcost report incident` ("which system / model / tool").
-- Answers: what each system (the task's service.name), each model (LLM
-- calls) and each tool (tool calls) cost and how many calls it made, and how
-- many tool calls failed. A span counts in the window when it starts in it;
-- unpriced spans count 0; eval spend counts too.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (the task's service.name) or NULL for all.
-- Output: kind ('model' | 'system' | 'tool'), name (NULL: no system),
--         cost_usd, calls (LLM and tool calls for a system; the calls
--         themselves for a model or tool), failures (tool calls with status
--         2 = error; 0 for the other kinds); ordered by kind, then name.
WITH sp AS (
  SELECT s.step, s.status, s.model, s.tool, s.cost_usd, t.system
  FROM span s
  LEFT JOIN task t ON t.id = s.task
  LEFT JOIN service sv ON sv.id = t.system
  WHERE s.start_ns >= ?1 AND s.start_ns < ?2
    AND (?3 IS NULL OR sv.name = ?3)
)
SELECT 'system' AS kind, sv.name AS name, total(sp.cost_usd) AS cost_usd,
       coalesce(sum(sp.step IN (1, 2)), 0) AS calls, 0 AS failures
FROM sp LEFT JOIN service sv ON sv.id = sp.system
GROUP BY sp.system
UNION ALL
SELECT 'model', m.name, total(sp.cost_usd), count(*), 0
FROM sp JOIN model m ON m.id = sp.model
WHERE sp.step = 1
GROUP BY sp.model
UNION ALL
SELECT 'tool', tl.name, total(sp.cost_usd), count(*), coalesce(sum(sp.status = 2), 0)
FROM sp JOIN tool tl ON tl.id = sp.tool
WHERE sp.step = 2
GROUP BY sp.tool
ORDER BY 1, 2;
