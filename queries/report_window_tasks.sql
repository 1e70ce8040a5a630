-- report_window_tasks.sql: the tasks that spent the most in a time window,
-- for `agentcost report incident` ("the tasks that drove it").
-- Answers: which tasks' spans, starting in the window, cost the most, with
-- what each task is and cost in all. A span counts in the window when it
-- starts in it, whatever its task's start; evaluation tasks count too (they
-- are flagged), since an incident may come from them; unpriced spans count 0.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (the task's service.name) or NULL for all,
--             ?4 how many tasks (LIMIT).
-- Output: id (task.id), task_id, system, task_type, eval, start_ns,
--         task_cost (the whole task), window_cost (its spans in the window),
--         window_spans, llm_calls, tool_calls, max_repeat (the whole task);
--         ordered by window_cost descending, then task_id.
SELECT t.id, t.task_id, sv.name, tt.name, t.eval, t.start_ns, t.cost_usd,
       w.cost_usd, w.spans, t.llm_calls, t.tool_calls, t.max_repeat
FROM (
  SELECT s.task AS task, total(s.cost_usd) AS cost_usd, count(*) AS spans
  FROM span s
  WHERE s.start_ns >= ?1 AND s.start_ns < ?2 AND s.task IS NOT NULL
  GROUP BY s.task
) w
JOIN task t ON t.id = w.task
LEFT JOIN service sv ON sv.id = t.system
LEFT JOIN label tt ON tt.id = t.task_type
WHERE (?3 IS NULL OR sv.name = ?3)
ORDER BY w.cost_usd DESC, t.task_id
LIMIT ?4;
