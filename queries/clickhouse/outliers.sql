-- outliers.sql (ClickHouse twin): every production task of the window, for
-- the runaway and outlier rules of src/analysis/guard.c. Where the SQLite
-- query gives dictionary ids this gives ids computed from the names in the
-- server (0 for none), named again by src/store/ch_store.c; the task's own
-- id is a hash of its task id (the C orders by task id text, never by it).
SELECT toInt64(bitShiftRight(cityHash64(task_id), 2)),
       if(isNull(task_type), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(task_type)), 2)) + 1),
       cost_usd, llm_calls, max_repeat, task_id,
       if(isNull(system), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(system)), 2)) + 1),
       if(isNull(top_model), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_model)), 2)) + 1),
       if(isNull(top_purpose), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_purpose)), 2)) + 1),
       if(isNull(top_tool), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_tool)), 2)) + 1),
       ifNull(top_tool_calls, 0)
FROM {task}
WHERE eval = 0
  AND start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR system = ?3)
