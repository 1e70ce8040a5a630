-- tasks.sql (ClickHouse twin): one row per task of the window; ?4 1 keeps
-- evaluation tasks. The same columns as queries/tasks.sql.
SELECT task_id, system, task_type, start_ns, end_ns, spans, llm_calls,
       tool_calls, tokens_in, tokens_out, cost_usd, unpriced_calls, eval
FROM {task}
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR system = ?3)
  AND (?4 OR eval = 0)
ORDER BY start_ns, task_id
