-- router_calls.sql: the LLM calls of the tasks of router_tasks.sql, grouped,
-- for the replay of a routing map (src/router/router.c).
-- Answers: what each production task's LLM calls were (class, model, day,
-- tokens) and what they cost, so that they can be re-priced as if another
-- model had served them. Reads table task_calls (schema/005_task_keys.sql),
-- which derivation keeps: a task's calls of one complexity class, model, UTC
-- day and price tier, summed (a call whose token counts the price formula
-- would clamp has a group of its own, grp = its span id), packed in one blob
-- per task (src/tasks/callpack.h).
-- Parameters: the same as router_tasks.sql: ?1 since_ns (inclusive),
--             ?2 until_ns (exclusive), ?3 system or NULL.
--   Every LLM call (span.step = 1) of a task in the window counts, wherever
--   the call itself starts. The complexity class is span.complexity_eff
--   (agentcost.complexity on the call or its nearest ancestor); the task type
--   is the task's, as in models.sql.
-- Output: task (task.id), groups: per group complexity (label.id, 0 when
--         none), model (model.id, 0 when none), day (days since 1970-01-01,
--         UTC), grp (0 regular, 1 above 200,000 input tokens a call, else one
--         irregular call), calls, tokens_in, tokens_out, tokens_cache_read,
--         tokens_cache_write, tokens_reasoning, cost_usd (recorded; unpriced
--         counts 0), in the order of that key. The router looks the few names
--         up.
SELECT tc.task, tc.groups
FROM task t /*+SCAN*/
JOIN task_calls tc ON tc.task = t.id
WHERE t.eval = 0
  AND t.start_ns >= ?1 AND t.start_ns < ?2
  AND (?3 IS NULL OR t.system = (SELECT id FROM service WHERE name = ?3));
