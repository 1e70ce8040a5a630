-- dims_units_model.sql: as dims_units.sql when model is a --by dimension or
-- a --where filter. Model is each call's own, so the unit is a task's calls
-- to one model: a task that called two models is a unit of each (its count
-- is the tasks with a call to that model), with the cost of those calls.
-- Spans without a model count under "(none)" when they cost something (a
-- priced tool call); the unpriced rest (agent, chain, free tools) are no
-- one's units.
-- Parameters: ?1 since_ns, ?2 until_ns, ?3 system (applied by q_task),
--             ?4 include eval tasks (1) or not (0), ?5 position of model in
--             --by (0 none, 1, 2), ?6 --where model value or NULL, ?7 1: the
--             spans starting in the window (dims_units_spans.sql's unit), 0:
--             every span of the tasks starting in it.
-- Output: k1, k2 (model's name at its position), task.id, cost_usd,
--         llm_calls; ordered by k1, k2, cost.
SELECT CASE WHEN ?5 = 1 THEN u.m ELSE u.k1 END,
       CASE WHEN ?5 = 2 THEN u.m ELSE u.k2 END,
       u.task, u.cost, u.calls
FROM (SELECT qt.k1 AS k1, qt.k2 AS k2, coalesce(m.name, '(none)') AS m, s.task AS task,
             total(s.cost_usd) AS cost, coalesce(sum(s.step = 1), 0) AS calls
      FROM span s
      JOIN q_task qt ON qt.task = s.task
      JOIN task t ON t.id = s.task
      LEFT JOIN model m ON m.id = s.model
      WHERE (CASE WHEN ?7 THEN s.start_ns >= ?1 AND s.start_ns < ?2
                  ELSE t.start_ns >= ?1 AND t.start_ns < ?2 END)
        AND (?4 OR t.eval = 0)
        AND (s.model IS NOT NULL OR coalesce(s.cost_usd, 0) <> 0)
        AND (?6 IS NULL OR coalesce(m.name, '(none)') = ?6)
      GROUP BY s.task, s.model) AS u
ORDER BY 1, 2, 4;
