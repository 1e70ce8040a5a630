-- router_tasks.sql: the production tasks a routing map is replayed over, for
-- `agentcost simulate` and `agentcost recommend` (src/router/router.c).
-- Answers: which user tasks started in the window, of which type, at what
-- recorded cost.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (the task's service.name) or NULL for all.
--   A task is in the window when it starts in it. Evaluation tasks
--   (task.eval = 1) are not user work and are left out.
-- Output: id, start_ns, task_type (label.id, 0 when none), cost_usd (the sum
--         of the spans' counted cost: LLM calls and priced tools); ordered by id.
SELECT t.id, t.start_ns, coalesce(t.task_type, 0), t.cost_usd
FROM task t /*+SCAN*/
WHERE t.eval = 0
  AND t.start_ns >= ?1 AND t.start_ns < ?2
  AND (?3 IS NULL OR t.system = (SELECT id FROM service WHERE name = ?3))
ORDER BY t.id;
