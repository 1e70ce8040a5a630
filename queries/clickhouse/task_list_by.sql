-- task_list_by.sql (ClickHouse twin): `tasks --each` with --by/--where: every
-- task of the window q_task keeps ({q_task}: queries/clickhouse/dims_q_task.sql)
-- with its --by values. The same columns as queries/task_list_by.sql.
SELECT task_id, system, task_type, start_ns, end_ns, spans, llm_calls,
       tool_calls, tokens_in, tokens_out, cost_usd, unpriced_calls, eval, k1, k2
FROM {task_any} GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE start_ns >= ?1 AND start_ns < ?2
ORDER BY start_ns, task_id
