-- hidden_retries_by.sql (ClickHouse twin): retry episodes and attempts of
-- the tasks starting in the window per --by value (pair) of the task
-- ({q_task}: queries/clickhouse/dims_q_task.sql); with model at a --by
-- position a task counts for each model of its priced spans, with --where
-- model=VALUE only the tasks with a call to it. The same columns as
-- queries/hidden_retries_by.sql; its two branches (?4 = 0 and not) as there,
-- the second with its (task, model) pairs joined to the tasks (one join a
-- level in ClickHouse 18).
SELECT g1, g2, sum(ep) AS retry_episodes, sum(at) AS retry_attempts
FROM (
  SELECT k1 AS g1, k2 AS g2, retry_episodes AS ep, retry_attempts AS at
  FROM {task_any} GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
  WHERE ?4 = 0 AND start_ns >= ?1 AND start_ns < ?2
    AND (?5 IS NULL OR task_id IN (SELECT task_id FROM span FINAL
                                   WHERE (model IS NOT NULL OR ifNull(cost_usd, 0) != 0)
                                     AND ifNull(model, '(none)') = ?5))
  UNION ALL
  SELECT if(?4 = 1, toNullable(m), k1) AS g1, if(?4 = 2, toNullable(m), k2) AS g2,
         retry_episodes AS ep, retry_attempts AS at
  FROM (SELECT DISTINCT task_id, ifNull(model, '(none)') AS m
        FROM span FINAL
        WHERE ?4 != 0 AND (model IS NOT NULL OR ifNull(cost_usd, 0) != 0)) AS tm
  ALL INNER JOIN (SELECT task_id, k1, k2, retry_episodes, retry_attempts
                  FROM {task_any} GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
                  WHERE start_ns >= ?1 AND start_ns < ?2) AS tr USING task_id
  WHERE ?4 != 0 AND (?5 IS NULL OR m = ?5))
GROUP BY g1, g2
ORDER BY g1 NULLS FIRST, g2 NULLS FIRST
