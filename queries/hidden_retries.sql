-- hidden_retries.sql: tool-failure episodes and retry attempts per system,
-- for `agentcost hidden` (retries per failure = attempts / episodes).
-- Answers: how many failure episodes the tasks had and how many calls of the
-- failing tool followed a first failure (task.retry_episodes and
-- task.retry_attempts; see src/tasks/tasks.h). Eval tasks count too. A task
-- is in the window when it starts in it.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (service.name) or NULL for all.
-- Output: system, retry_episodes, retry_attempts; ordered by system.
SELECT sv.name                       AS system,
       coalesce(sum(t.retry_episodes), 0) AS retry_episodes,
       coalesce(sum(t.retry_attempts), 0) AS retry_attempts
FROM task t /*+SCAN*/
LEFT JOIN service sv ON sv.id = t.system
WHERE t.start_ns >= ?1 AND t.start_ns < ?2
  AND (?3 IS NULL OR sv.name = ?3)
GROUP BY 1
ORDER BY 1;
