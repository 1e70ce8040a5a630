-- hidden_retries.sql (ClickHouse twin): retry episodes and attempts per system.
SELECT system, sum(retry_episodes) AS retry_episodes, sum(retry_attempts) AS retry_attempts
FROM {task}
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR system = ?3)
GROUP BY system
ORDER BY system NULLS FIRST
