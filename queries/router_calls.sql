-- router_calls.sql: the LLM calls of the tasks of router_tasks.sql, for the
-- replay of a routing map (src/router/router.c).
-- Answers: what each production LLM call was (class, model, tokens) and what
-- it cost, so that it can be re-priced as if another model had served it.
-- Parameters: the same as router_tasks.sql: ?1 since_ns (inclusive),
--             ?2 until_ns (exclusive), ?3 system or NULL.
--   Every LLM call (span.step = 1) of a task in the window is read, wherever
--   the call itself starts. The complexity class is span.complexity_eff
--   (agentcost.complexity on the call or its nearest ancestor); the task type
--   is the task's, as in models.sql.
-- Output: task (task.id), complexity (NULL when none), model (NULL when none),
--         start_ns, tokens_in, tokens_out, tokens_cache_read,
--         tokens_cache_write, tokens_reasoning (NULL token counts as 0),
--         cost_usd (NULL when unpriced); ordered by task, start_ns, span id.
SELECT s.task, cx.name, m.name, s.start_ns,
       coalesce(s.tokens_in, 0), coalesce(s.tokens_out, 0),
       coalesce(s.tokens_cache_read, 0), coalesce(s.tokens_cache_write, 0),
       coalesce(s.tokens_reasoning, 0), s.cost_usd
FROM span s
JOIN task t ON t.id = s.task
LEFT JOIN service sv ON sv.id = t.system
LEFT JOIN label cx ON cx.id = s.complexity_eff
LEFT JOIN model m ON m.id = s.model
WHERE s.step = 1 AND t.eval = 0
  AND t.start_ns >= ?1 AND t.start_ns < ?2
  AND (?3 IS NULL OR sv.name = ?3)
ORDER BY s.task, s.start_ns, s.id;
