-- report_window_tasks.sql (ClickHouse twin): the tasks whose spans starting
-- in the window cost the most, for `agentcost report incident`. The same
-- columns; the task's id is a hash of its task id (as the other twins give
-- it), its fields from {task_any}.
SELECT toInt64(bitShiftRight(cityHash64(task_id), 2)), task_id, system, task_type, eval,
       start_ns, cost_usd, w_cost, w_spans, llm_calls, tool_calls, max_repeat
FROM (SELECT task_id, ifNull(sum(cost_usd), 0) AS w_cost, count() AS w_spans
      FROM span FINAL
      WHERE start_ns >= ?1 AND start_ns < ?2 AND task_id != ''
      GROUP BY task_id) AS wc
ALL INNER JOIN {task_any} USING task_id
WHERE (?3 IS NULL OR system = ?3)
ORDER BY w_cost DESC, task_id
LIMIT ?4
