-- router_tasks.sql (ClickHouse twin of queries/router_tasks.sql): the
-- production tasks a routing map is replayed over (simulate, recommend).
-- Differs from the SQLite query: the task's id is a hash of its task id
-- (toInt64(bitShiftRight(cityHash64(task_id), 2)), as router_calls.sql's
-- twin gives it, so the router matches a task's calls to it), and the rows
-- are ordered by that hash (the router finds a task by binary search); the
-- task type is an id computed from its name (0 for none), named again by
-- src/store/ch_store.c.
SELECT toInt64(bitShiftRight(cityHash64(task_id), 2)) AS id, start_ns,
       if(isNull(task_type), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(task_type)), 2)) + 1),
       cost_usd
FROM {task}
WHERE eval = 0
  AND (?3 IS NULL OR system = ?3)
ORDER BY id
