-- tasks_trace_id.sql: the 16-byte trace id of a trace row, the key of
-- the trace's own task (src/tasks/tasks.c: put_task).
-- Parameters: ?1 trace.id.
-- Output: trace_id (blob); one row at most.
SELECT trace_id FROM trace WHERE id = ?1;
