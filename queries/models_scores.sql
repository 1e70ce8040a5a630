-- models_scores.sql: eval scores per task type x complexity class x model,
-- for `agentcost models` and the weekly report (accuracy and its interval,
-- computed in C from these sums: src/analysis/accuracy.h).
-- Answers: how many agentcost.eval.score values each model earned on each
-- kind of work, and their sum and sum of squares. Scores come from evaluation
-- tasks (task.eval = 1), grouped by the eval call's own task type, complexity
-- and model, so they line up with the production calls of models.sql.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (the task's service.name) or NULL for all.
--   A scored call is in the window when it starts in it.
-- Output: task_type, complexity ('' when none), model, n, score_sum,
--         score_sq, partial (scores other than exactly 0 or 1), tokens_out
--         (output tokens of the scored calls); ordered by the three keys.
SELECT tt.name, coalesce(cx.name, ''), m.name, g.n, g.score_sum, g.score_sq, g.partial,
       g.tokens_out
FROM (
  SELECT t.task_type AS task_type, s.complexity_eff AS complexity, s.model AS model,
         count(*) AS n, total(s.eval_score) AS score_sum,
         total(s.eval_score * s.eval_score) AS score_sq,
         coalesce(sum(s.eval_score <> 0 AND s.eval_score <> 1), 0) AS partial,
         coalesce(sum(s.tokens_out), 0) AS tokens_out
  FROM span s
  JOIN task t ON t.id = s.task
  LEFT JOIN service sv ON sv.id = t.system
  WHERE s.step = 1 AND t.eval = 1 AND s.eval_score IS NOT NULL
    AND s.start_ns >= ?1 AND s.start_ns < ?2
    AND (?3 IS NULL OR sv.name = ?3)
  GROUP BY 1, 2, 3
) g
LEFT JOIN label tt ON tt.id = g.task_type
LEFT JOIN label cx ON cx.id = g.complexity
LEFT JOIN model m ON m.id = g.model
ORDER BY 1, 2, 3;
