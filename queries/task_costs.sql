-- task_costs.sql: what each task cost, ids only, for the per-type cost
-- distributions of `agentcost tasks` and the weekly report.
-- Answers: the system, type, cost and LLM calls of every task of the window;
-- the command groups them and computes order statistics in C
-- (src/analysis/stats.h), then looks up the few group names.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive), ?3 system or NULL,
--             ?4 include eval tasks (1) or not (0). A task is in the window
--             when it starts in it.
-- Output: system (service.id, 0 none), task_type (label.id, 0 none), cost_usd,
--         llm_calls; in no particular order.
SELECT coalesce(t.system, 0), coalesce(t.task_type, 0), t.cost_usd, t.llm_calls
FROM task t /*+SCAN*/
WHERE t.start_ns >= ?1 AND t.start_ns < ?2
  AND (?3 IS NULL OR t.system = (SELECT id FROM service WHERE name = ?3))
  AND (?4 OR t.eval = 0);
