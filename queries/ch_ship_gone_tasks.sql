-- ch_ship_gone_tasks.sql: a tombstone task row (the ClickHouse task table's
-- columns, without version) for each task ClickHouse held for the spans
-- pulled back that the staging store no longer derives (its spans went to
-- another task: an agentcost.task.id arriving late). A tombstone starts at
-- the largest Int64, outside every window (window ends are exclusive), and
-- counts nothing; readers without a window say start_ns < that.
-- Run on the SQLite staging store of an ingest into ClickHouse; no parameters.
SELECT task_id, NULL, NULL, 9223372036854775807, 9223372036854775807, 0, 0, 0, 0, 0, 0.0, 0,
       0, 0, 0, 0, 0, NULL, NULL, NULL, NULL
FROM temp.ch_pulled_task
WHERE task_id NOT IN (SELECT task_id FROM task)
ORDER BY task_id;
