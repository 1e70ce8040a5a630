-- router_scores.sql: eval scores per task type x complexity class x model, with
-- the output tokens of the scored calls, for the router (src/router/router.c):
-- accuracy of a model on a class of work, and the measured verbosity of one
-- model against another (simulate --output-ratio measured).
-- Answers: which agentcost.eval.score values each model earned on each kind
-- of work, and how many output tokens it wrote doing so. The selection is the
-- one of models_scores.sql, so accuracy here is accuracy in `agentcost models`.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (the task's service.name) or NULL for all.
--   A scored call is in the window when it starts in it.
-- Output: task_type, complexity (NULL when none), model, score, tokens_out
--         (NULL counts as 0); ordered by the three keys, then score.
SELECT tt.name, cx.name, m.name, s.eval_score, coalesce(s.tokens_out, 0)
FROM span s
JOIN task t ON t.id = s.task
LEFT JOIN service sv ON sv.id = t.system
LEFT JOIN label tt ON tt.id = t.task_type
LEFT JOIN label cx ON cx.id = s.complexity_eff
LEFT JOIN model m ON m.id = s.model
WHERE s.step = 1 AND t.eval = 1 AND s.eval_score IS NOT NULL
  AND s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?3 IS NULL OR sv.name = ?3)
ORDER BY 1, 2, 3, 4;
