-- ch_ship_task_calls.sql: every task's packed call groups of a staging store,
-- with the task's fields of the ClickHouse task_calls table
-- (schema/clickhouse/task_calls.sql): task_id, start_ns, system (name),
-- eval, groups (the blob, src/tasks/callpack.h, still with the staging
-- store's dictionary ids: src/store/ch_ship.c re-encodes it).
-- Run on the SQLite staging store of an ingest into ClickHouse; no parameters.
SELECT t.task_id, t.start_ns, sv.name, t.eval, tc.groups
FROM task_calls tc
JOIN task t ON t.id = tc.task
LEFT JOIN service sv ON sv.id = t.system
ORDER BY tc.task;
