-- report_span_costs.sql: the costed spans of a time window in start order,
-- for `agentcost report incident` (the first moment the spend of an hour
-- passed its control limit: the running sum of these costs).
-- Answers: when each span that cost something started, and what it cost.
-- A span belongs to the system of its task, as in spc_daily.sql.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (the task's service.name) or NULL for all.
-- Output: start_ns, cost_usd; ordered by start_ns, then span id.
SELECT s.start_ns, s.cost_usd
FROM span s
LEFT JOIN task t ON t.id = s.task
LEFT JOIN service sv ON sv.id = t.system
WHERE s.start_ns >= ?1 AND s.start_ns < ?2 AND s.cost_usd > 0
  AND (?3 IS NULL OR sv.name = ?3)
ORDER BY s.start_ns, s.id;
