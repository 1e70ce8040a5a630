-- task_costs_approx.sql: task_costs.sql's tasks as a sketch per group
-- (`agentcost tasks --approx`, src/analysis/sketch.h): what crosses the wire
-- from a remote store is bounded by the groups times their occupied cost
-- bins, not by the tasks. The same rows as the ClickHouse twin, so both
-- backends print the same numbers.
-- Answers: per (system, task type): the tasks per cost bin (ac_rbin, the SQL
-- function src/store/store.c registers: a positive cost's top 7 mantissa
-- bits, src/util/rbin.h; a cost not above 0 kept exactly), per LLM-calls
-- value, and the group's count, cost sum, least and largest cost.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive), ?3 system or NULL,
--             ?4 include eval tasks (1) or not (0). A task is in the window
--             when it starts in it.
-- Output: system (service.id, 0 none), task_type (label.id, 0 none), kind
--         (0 cost bin, 1 LLM calls value, 2 the group), bin (kind 0: the
--         bin, 0 for a cost not above 0), value (kind 0: that cost, else 0;
--         kind 1: the calls), n (tasks), sum, min, max (kind 2: of the costs;
--         else 0); ordered by the first five.
WITH w AS (
  SELECT coalesce(t.system, 0) AS sys, coalesce(t.task_type, 0) AS typ, t.cost_usd AS c,
         t.llm_calls AS calls
  FROM task t /*+SCAN*/
  WHERE t.start_ns >= ?1 AND t.start_ns < ?2
    AND (?3 IS NULL OR t.system = (SELECT id FROM service WHERE name = ?3))
    AND (?4 OR t.eval = 0))
SELECT sys, typ, 0, ac_rbin(c) AS b, CASE WHEN c > 0 THEN 0.0 ELSE c END AS v, count(*), 0, 0, 0
FROM w GROUP BY sys, typ, b, v
UNION ALL
SELECT sys, typ, 1, 0, calls, count(*), 0, 0, 0 FROM w GROUP BY sys, typ, calls
UNION ALL
SELECT sys, typ, 2, 0, 0, count(*), total(c), min(c), max(c) FROM w GROUP BY sys, typ
ORDER BY 1, 2, 3, 4, 5;
