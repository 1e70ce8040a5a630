-- tasks_mark_all.sql: mark every trace with LLM or tool spans for
-- derivation again (ac_tasks_mark_all, src/tasks/tasks.c: after a rule changes).
-- Parameters: none.
-- Output: none.
INSERT OR IGNORE INTO dirty_trace(trace)
SELECT DISTINCT trace FROM span WHERE step IN (1, 2);
