-- models.sql: production LLM calls per task type x complexity class x model,
-- for `agentcost models` (model-selection analytics, the weekly question).
-- Answers: how many calls each model made on each kind of work, with what
-- tokens and cost.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (the task's service.name) or NULL for all.
--   A call is in the window when it starts in it. The task type is the
--   task's; the complexity class is span.complexity_eff ('' when none).
--   Calls of evaluation tasks (task.eval = 1) are left out: they are not user
--   work (models_scores.sql reads them for accuracy).
-- Output: task_type, complexity, model, calls, tokens_in, tokens_out, cost_usd
--         (unpriced calls count as 0); ordered by the three keys.
SELECT tt.name, coalesce(cx.name, ''), m.name, g.calls, g.tokens_in, g.tokens_out, g.cost_usd
FROM (
  SELECT t.task_type AS task_type, s.complexity_eff AS complexity, s.model AS model,
         count(*) AS calls, coalesce(sum(s.tokens_in), 0) AS tokens_in,
         coalesce(sum(s.tokens_out), 0) AS tokens_out, total(s.cost_usd) AS cost_usd
  FROM span s
  JOIN task t ON t.id = s.task
  LEFT JOIN service sv ON sv.id = t.system
  WHERE s.step = 1 AND t.eval = 0
    AND s.start_ns >= ?1 AND s.start_ns < ?2
    AND (?3 IS NULL OR sv.name = ?3)
  GROUP BY 1, 2, 3
) g
LEFT JOIN label tt ON tt.id = g.task_type
LEFT JOIN label cx ON cx.id = g.complexity
LEFT JOIN model m ON m.id = g.model
ORDER BY 1, 2, 3;
