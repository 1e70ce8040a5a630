-- models_scores.sql: eval scores per task type x complexity class x model,
-- for `agentcost models` (accuracy and its interval, computed in C:
-- src/analysis/accuracy.h).
-- Answers: which agentcost.eval.score values each model earned on each kind
-- of work. Scores come from evaluation tasks (task.eval = 1), grouped by the
-- eval call's own task type, complexity and model, so they line up with the
-- production calls of models.sql.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (the task's service.name) or NULL for all.
--   A scored call is in the window when it starts in it.
-- Output: task_type, complexity ('' when none), model, score; ordered by the
--         three keys, then score.
SELECT tt.name, coalesce(cx.name, ''), m.name, s.eval_score
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
