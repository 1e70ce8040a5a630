-- router_calls.sql (ClickHouse twin of queries/router_calls.sql): the packed
-- LLM call groups (src/tasks/callpack.h) of the tasks of router_tasks.sql,
-- for the router's replay in C. Differs from the SQLite query: the task's
-- id is the hash router_tasks.sql's twin gives; the window, system and eval
-- test read the task's fields kept beside its groups in table task_calls
-- (schema/clickhouse/task_calls.sql; no join across the cluster); the
-- groups come as hex (ac_rows_blob decodes it), and their complexity and
-- model ids are computed from the names (src/store/ch_ship.c).
SELECT toInt64(bitShiftRight(cityHash64(task_id), 2)), hex(groups)
FROM task_calls FINAL
WHERE eval = 0
  AND start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR system = ?3)
