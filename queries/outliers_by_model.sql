-- outliers_by_model.sql: outliers_by.sql when model is a --by dimension or
-- a --where filter. Model is each call's own, so the unit is a task's calls
-- to one model (as queries/dims_units_model.sql): their cost and LLM calls
-- are judged against the group's; the task's other columns are the task's.
-- Parameters: ?1 since_ns, ?2 until_ns, ?3 system (applied by q_task),
--             ?4 position of model in --by (0 none, 1, 2), ?5 --where model
--             value or NULL.
-- Output: outliers_by.sql's columns (cost_usd and llm_calls: of the calls to
--         the model), ordered by k1, k2, cost, id.
SELECT u.task, coalesce(t.task_type, 0), u.cost, u.calls, t.max_repeat, t.tkey,
       coalesce(t.system, 0), coalesce(t.top_model, 0), coalesce(t.top_purpose, 0),
       coalesce(t.top_tool, 0), coalesce(t.top_tool_calls, 0),
       CASE WHEN ?4 = 1 THEN u.m ELSE u.k1 END AS k1,
       CASE WHEN ?4 = 2 THEN u.m ELSE u.k2 END AS k2
FROM (SELECT qt.k1 AS k1, qt.k2 AS k2, coalesce(m.name, '(none)') AS m, s.task AS task,
             total(s.cost_usd) AS cost, coalesce(sum(s.step = 1), 0) AS calls
      FROM span s
      JOIN q_task qt ON qt.task = s.task
      JOIN task t ON t.id = s.task
      LEFT JOIN model m ON m.id = s.model
      WHERE t.start_ns >= ?1 AND t.start_ns < ?2
        AND t.eval = 0
        AND (s.model IS NOT NULL OR coalesce(s.cost_usd, 0) <> 0)
        AND (?5 IS NULL OR coalesce(m.name, '(none)') = ?5)
      GROUP BY s.task, s.model) AS u
JOIN task t ON t.id = u.task
ORDER BY 12, 13, 3, 1;
