-- ch_ship_gone_calls.sql: the task_calls tombstone (ClickHouse table
-- task_calls' columns, without version) of each task of
-- ch_ship_gone_tasks.sql: no call groups, the same start.
-- Run on the SQLite staging store of an ingest into ClickHouse; no parameters.
SELECT task_id, 9223372036854775807, NULL, 0, '', '[]', '[]'
FROM temp.ch_pulled_task
WHERE task_id NOT IN (SELECT task_id FROM task)
ORDER BY task_id;
