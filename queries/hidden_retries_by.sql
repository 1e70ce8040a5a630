-- hidden_retries_by.sql: hidden_retries.sql per --by dimension value (issue
-- #17): tool-failure episodes and retry attempts (task.retry_episodes,
-- task.retry_attempts) of the tasks starting in the window, per value (pair)
-- of the task (q_task, src/analysis/dims.c). Eval tasks count too.
-- Model is a call's own, not the task's: with model at a --by position a
-- task counts for each model it called (its priced spans' models, "(none)"
-- for a priced call without one), so the rows then add up to more than the
-- tasks' total; with --where model=VALUE only the tasks with a call to it.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (applied by q_task), ?4 position of model in --by
--             (0 none, 1, 2), ?5 --where model value or NULL.
-- Output: k1, k2 (the values; NULL: no such position), retry_episodes,
--         retry_attempts; ordered by k1, k2.
SELECT CASE WHEN ?4 = 1 THEN u.m ELSE u.k1 END AS k1,
       CASE WHEN ?4 = 2 THEN u.m ELSE u.k2 END AS k2,
       coalesce(sum(u.ep), 0), coalesce(sum(u.at), 0)
FROM (SELECT qt.k1 AS k1, qt.k2 AS k2, NULL AS m, t.retry_episodes AS ep, t.retry_attempts AS at
      FROM q_task qt
      JOIN task t ON t.id = qt.task
      WHERE ?4 = 0 AND t.start_ns >= ?1 AND t.start_ns < ?2
        AND (?5 IS NULL OR EXISTS (SELECT 1 FROM span s LEFT JOIN model m ON m.id = s.model
                                   WHERE s.task = qt.task
                                     AND (s.model IS NOT NULL OR coalesce(s.cost_usd, 0) <> 0)
                                     AND coalesce(m.name, '(none)') = ?5))
      UNION ALL
      SELECT qt.k1, qt.k2, tm.m, t.retry_episodes, t.retry_attempts
      FROM q_task qt
      JOIN task t ON t.id = qt.task
      JOIN (SELECT DISTINCT s.task AS task, coalesce(m.name, '(none)') AS m
            FROM span s
            JOIN q_task q2 ON q2.task = s.task
            LEFT JOIN model m ON m.id = s.model
            WHERE ?4 <> 0 AND (s.model IS NOT NULL OR coalesce(s.cost_usd, 0) <> 0)) AS tm
        ON tm.task = qt.task
      WHERE ?4 <> 0 AND t.start_ns >= ?1 AND t.start_ns < ?2
        AND (?5 IS NULL OR tm.m = ?5)) AS u
GROUP BY 1, 2
ORDER BY 1, 2;
