-- ch_ship_task_calls.sql: every task's packed call groups of a staging store
-- (src/tasks/callpack.h, with the staging store's dictionary ids), read
-- before the spans are sent for the names of their classes and models
-- (src/store/ch_ship.c asks the server their ids once; the groups ride on
-- the spans, ch_ship_spans.sql, re-encoded with those ids).
-- Run on the SQLite staging store of an ingest into ClickHouse; no parameters.
SELECT groups FROM task_calls ORDER BY task;
