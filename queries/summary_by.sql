-- summary_by.sql: `agentcost summary --by/--where` (issue #17): what the
-- store holds per value of the --by dimensions. The unit is the span: the
-- spans starting in the window, each attributed to its task's values
-- (q_task, src/analysis/dims.c) and, when model is a --by dimension, to its
-- own model ("(none)" for a span without one: agent, chain and tool spans),
-- so the values' spans, calls and cost add up to the plain summary's.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive), ?3 system:
--             the span's task's (rollup_key.system), as summary_spans.sql
--             (q_task is built for every system), ?4 position of model in
--             --by (0 none, 1, 2), ?5 --where model value or NULL.
-- Output: k1, k2 (the values; NULL: no such position), spans, tasks (tasks
--         starting in the window with a span here), eval_tasks (of them,
--         evaluation runs), llm_calls, tool_calls, cost_total, unpriced_spans,
--         producer_costed_spans; ordered by k1, k2.
SELECT CASE WHEN ?4 = 1 THEN coalesce(m.name, '(none)') ELSE qt.k1 END,
       CASE WHEN ?4 = 2 THEN coalesce(m.name, '(none)') ELSE qt.k2 END,
       count(*),
       count(DISTINCT CASE WHEN t.start_ns >= ?1 AND t.start_ns < ?2 THEN t.id END),
       count(DISTINCT CASE WHEN t.start_ns >= ?1 AND t.start_ns < ?2 AND t.eval THEN t.id END),
       coalesce(sum(s.step = 1), 0),
       coalesce(sum(s.step = 2), 0),
       total(s.cost_usd),
       coalesce(sum(s.cost_src IN (2, 3)), 0),
       coalesce(sum(s.cost_src = 2), 0)
FROM span s
JOIN q_task qt ON qt.task = s.task
JOIN task t ON t.id = s.task
LEFT JOIN model m ON m.id = s.model
WHERE s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?3 IS NULL OR s.rollup_key IN (SELECT k.id FROM rollup_key k
                                       JOIN service sy ON sy.id = k.system
                                       WHERE sy.name = ?3))
  AND (?5 IS NULL OR coalesce(m.name, '(none)') = ?5)
GROUP BY 1, 2
ORDER BY 1, 2;
