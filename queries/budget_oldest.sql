-- budget_oldest.sql: the store's oldest task start, so that the forecast's
-- history counts only the weeks the store holds (a week before its first
-- span is not known, not a week without spend). From the task table: its
-- start index answers at once; a task starts with its earliest span.
-- Parameters: none bound (?1..?3 unused).
-- Output: first_ns (NULL: no task).
SELECT min(start_ns) AS first_ns
FROM task;
