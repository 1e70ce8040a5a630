-- summary_tasks.sql: how many tasks the store holds, and how many are
-- evaluation runs (not user work).
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive), ?3 system or NULL.
--   A task is in the window when it starts in it.
-- Output: tasks, eval_tasks
SELECT count(*)                   AS tasks,
       coalesce(sum(t.eval), 0)   AS eval_tasks
FROM task t /*+SCAN*/
LEFT JOIN service sv ON sv.id = t.system
WHERE t.start_ns >= ?1 AND t.start_ns < ?2
  AND (?3 IS NULL OR sv.name = ?3);
