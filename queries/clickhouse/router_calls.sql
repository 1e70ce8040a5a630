-- router_calls.sql (ClickHouse twin of queries/router_calls.sql): the packed
-- LLM call groups (src/tasks/callpack.h) of the tasks of router_tasks.sql,
-- for the router's replay in C. Differs from the SQLite query: the task's
-- id is the hash router_tasks.sql's twin gives; the window, system and eval
-- test read the task's fields beside its groups on the earliest span of each
-- of its traces (schema/clickhouse/span.sql: t_groups); the
-- groups come as hex (ac_rows_blob decodes it), and their complexity and
-- model ids are computed from the names (src/store/ch_ship.c).
SELECT toInt64(bitShiftRight(cityHash64(task_id), 2)), hex(any(t_groups))
FROM span FINAL
WHERE trace_first = 1 AND task_id != '' AND t_groups != '' AND t_eval = 0
  AND t_start_ns >= ?1 AND t_start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
GROUP BY task_id
