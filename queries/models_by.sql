-- models_by.sql: models.sql per --by dimension value (issue #17), for
-- `agentcost models --by DIM[,DIM]` and --where: the production LLM calls
-- of each value (pair) per task type x complexity class x model. A call is
-- in the window when it starts in it, and counts for the values of its task
-- (q_task, built by src/analysis/dims.c: the tasks with a span starting in
-- the window, of the system asked, passing the task-level filters). Calls
-- of evaluation tasks are left out, as in models.sql. Model is each call's
-- own ("(none)" at its --by position for a call without one).
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (applied by q_task), ?4 position of model in --by
--             (0 none, 1, 2), ?5 --where model value or NULL.
-- Output: k1, k2 (the values; NULL: no such position), task_type,
--         complexity ('' when none), model, calls, tokens_in, tokens_out,
--         cost_usd (unpriced calls count as 0); ordered by k1, k2 and the
--         three keys.
SELECT g.k1, g.k2, tt.name, coalesce(cx.name, ''), m.name, g.calls, g.tokens_in, g.tokens_out,
       g.cost_usd
FROM (
  SELECT CASE WHEN ?4 = 1 THEN coalesce(mm.name, '(none)') ELSE qt.k1 END AS k1,
         CASE WHEN ?4 = 2 THEN coalesce(mm.name, '(none)') ELSE qt.k2 END AS k2,
         t.task_type AS task_type, s.complexity_eff AS complexity, s.model AS model,
         count(*) AS calls, coalesce(sum(s.tokens_in), 0) AS tokens_in,
         coalesce(sum(s.tokens_out), 0) AS tokens_out, total(s.cost_usd) AS cost_usd
  FROM span s
  JOIN q_task qt ON qt.task = s.task
  JOIN task t ON t.id = s.task
  LEFT JOIN model mm ON mm.id = s.model
  WHERE s.step = 1 AND t.eval = 0
    AND s.start_ns >= ?1 AND s.start_ns < ?2
    AND (?5 IS NULL OR coalesce(mm.name, '(none)') = ?5)
  GROUP BY 1, 2, 3, 4, 5
) g
LEFT JOIN label tt ON tt.id = g.task_type
LEFT JOIN label cx ON cx.id = g.complexity
LEFT JOIN model m ON m.id = g.model
ORDER BY 1, 2, 3, 4, 5;
