-- dims_units_spans.sql: as dims_units.sql, but a task's unit is its spans
-- that START in the window (the incident report: who drove these hours,
-- including tasks that began before them): cost and LLM calls of those
-- spans, attributed to the task's --by values.
-- Parameters: ?1 since_ns, ?2 until_ns, ?3 system (applied by q_task),
--             ?4 include eval tasks (1) or not (0).
-- Output: k1, k2, task.id, cost_usd, llm_calls; ordered by k1, k2, cost.
SELECT qt.k1, qt.k2, s.task, total(s.cost_usd), coalesce(sum(s.step = 1), 0)
FROM span s
JOIN q_task qt ON qt.task = s.task
JOIN task t ON t.id = s.task
WHERE s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?4 OR t.eval = 0)
GROUP BY s.task
ORDER BY 1, 2, 4;
