-- call_groups.sql (ClickHouse twin of queries/call_groups.sql): every
-- task's packed LLM call groups, for `agentcost calls`. Differs from the
-- SQLite query: the task's id is a hash of its task id (as router_tasks.sql's
-- twin gives it), the rows are in the order of that hash, the groups come
-- as hex (ac_rows_blob decodes it), and their complexity and model ids are
-- computed from the names (src/store/ch_ship.c), and a call priced alone
-- (grp from 2^24) is numbered by the span key the ingest's staging store gave
-- it: `calls` prints ids as each store has them, so its ids differ between
-- the backends, its numbers not.
-- The groups ride on the earliest span of each trace of the task
-- (t_groups, schema/clickhouse/span.sql). (With no WHERE, ClickHouse 18.16
-- fails a FINAL read of a Distributed table: "Cannot find column version
-- in source stream".)
SELECT toInt64(bitShiftRight(cityHash64(task_id), 2)) AS id, hex(any(t_groups))
FROM span FINAL
WHERE trace_first = 1 AND task_id != '' AND t_groups != ''
GROUP BY task_id
ORDER BY id
