-- outliers_by_stats.sql (ClickHouse only; its presence makes
-- src/analysis/guard.c judge `outliers --by/--where` in the server): per
-- group of equal --by values (NULL, a position that is none, taken as
-- "(none)", as guard.c's row_key does) of the production tasks of the window
-- that q_task keeps (as queries/outliers_by.sql reads them), how many tasks
-- and the order statistics of the group's median cost and p99.9 of LLM calls
-- (as outliers_stats.sql: ranks floor((n - 1) p) and the next, 0 when none;
-- C interpolates them with ac_quantile_of). One row per group, not per task;
-- on SQLite the judge reads every task twice (outliers_by.sql): no SQLite
-- query is named this.
-- Output: the group's key (cityHash64 of its two values: outliers_by_judge.sql
-- finds a task's group by it; guard.c refuses two groups with one key), tasks,
-- cost at rank floor((n - 1) 0.5) and the next, LLM calls at rank
-- floor((n - 1) 0.999) and the next; ordered by key.
SELECT cityHash64(g1, g2) AS gk, n,
       c[toUInt64(floor((n - 1) * 0.5)) + 1], c[toUInt64(floor((n - 1) * 0.5)) + 2],
       k[toUInt64(floor((n - 1) * 0.999)) + 1], k[toUInt64(floor((n - 1) * 0.999)) + 2]
FROM (
  SELECT g1, g2, count() AS n, arraySort(groupArray(cost_usd)) AS c,
         arraySort(groupArray(llm_calls)) AS k
  FROM (
    SELECT ifNull(k1, '(none)') AS g1, ifNull(k2, '(none)') AS g2, cost_usd, llm_calls
    FROM {task_any} GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
    WHERE eval = 0
      AND start_ns >= ?1 AND start_ns < ?2
  )
  GROUP BY g1, g2
)
ORDER BY gk
