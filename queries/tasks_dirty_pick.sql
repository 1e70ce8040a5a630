-- tasks_dirty_pick.sql: the next batch of traces to derive (src/tasks/tasks.c).
-- Parameters: ?1 the batch size.
-- Output: trace; lowest first.
SELECT trace FROM dirty_trace ORDER BY trace LIMIT ?1;
