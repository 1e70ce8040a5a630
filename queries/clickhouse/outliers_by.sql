-- outliers_by.sql (ClickHouse twin): the production tasks of the window that
-- q_task keeps ({q_task}: queries/clickhouse/dims_q_task.sql), in groups of
-- equal --by values, for src/analysis/guard.c's two cursors. The columns of
-- queries/outliers_by.sql with outliers_judge.sql's ids (hashes of the
-- names, named again by src/store/ch_store.c; the task's a hash of its task
-- id); ordered by k1, k2, cost, then that hash where SQLite takes task.id.
SELECT toInt64(bitShiftRight(cityHash64(task_id), 2)) AS id,
       if(isNull(task_type), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(task_type)), 2)) + 1),
       cost_usd, llm_calls, max_repeat, task_id,
       if(isNull(system), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(system)), 2)) + 1),
       if(isNull(top_model), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_model)), 2)) + 1),
       if(isNull(top_purpose), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_purpose)), 2)) + 1),
       if(isNull(top_tool), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_tool)), 2)) + 1),
       ifNull(top_tool_calls, 0), k1, k2
FROM {task_any} GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE eval = 0
  AND start_ns >= ?1 AND start_ns < ?2
ORDER BY k1 NULLS FIRST, k2 NULLS FIRST, cost_usd, id
