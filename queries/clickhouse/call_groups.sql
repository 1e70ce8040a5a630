-- call_groups.sql (ClickHouse twin of queries/call_groups.sql): every
-- task's packed LLM call groups, for `agentcost calls`. Differs from the
-- SQLite query: the task's id is a hash of its task id (as router_tasks.sql's
-- twin gives it), the rows are in the order of that hash, the groups come
-- as hex (ac_rows_blob decodes it), and their complexity and model ids are
-- computed from the names (src/store/ch_ship.c), and a call priced alone
-- (grp from 2^24) is numbered by the span key the ingest's staging store gave
-- it: `calls` prints ids as each store has them, so its ids differ between
-- the backends, its numbers not.
-- A task no longer derived is a tombstone starting at the largest Int64
-- (ch_ship_gone_calls.sql): left out. (With no WHERE, ClickHouse 18.16
-- fails this FINAL read of a Distributed table: "Cannot find column version
-- in source stream".)
SELECT toInt64(bitShiftRight(cityHash64(task_id), 2)) AS id, hex(groups)
FROM task_calls FINAL
WHERE start_ns < 9223372036854775807
ORDER BY id
