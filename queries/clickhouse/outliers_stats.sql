-- outliers_stats.sql (ClickHouse only; its presence makes src/analysis/guard.c
-- judge in the server): per task type of the window's production tasks (as
-- queries/outliers.sql keeps them: not eval, starting in [?1, ?2), of system
-- ?3), how many tasks and the order statistics the type-7 median of their
-- cost and p99.9 of their LLM calls are made of: for p = 0.5 and p = 0.999
-- the values at 0-based ranks floor((n - 1) p) and the one after it (0 when
-- there is none), which C interpolates with ac_quantile_of (stats.h), the
-- same doubles ac_quantile_select gives over the tasks on SQLite. The server
-- sorts each type's costs and calls (16 bytes a task in its memory); the
-- answer is one row per type, not per task. On SQLite the judge reads every
-- task instead (outliers.sql): no SQLite query is named this.
-- Output: the task type's id (a hash of its name, as every twin gives a
-- dictionary id, named again by src/store/ch_store.c; 0 none; grouped by the
-- name, so guard.c refuses two names with one id), tasks, cost at rank
-- floor((n - 1) 0.5) and the next, LLM calls at rank floor((n - 1) 0.999)
-- and the next; ordered by type.
SELECT if(isNull(task_type), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(task_type)), 2)) + 1) AS tt,
       n,
       c[toUInt64(floor((n - 1) * 0.5)) + 1], c[toUInt64(floor((n - 1) * 0.5)) + 2],
       k[toUInt64(floor((n - 1) * 0.999)) + 1], k[toUInt64(floor((n - 1) * 0.999)) + 2]
FROM (
  SELECT task_type, count() AS n, arraySort(groupArray(cost_usd)) AS c,
         arraySort(groupArray(llm_calls)) AS k
  FROM {task}
  WHERE eval = 0
    AND start_ns >= ?1 AND start_ns < ?2
    AND (?3 IS NULL OR system = ?3)
  GROUP BY task_type
)
ORDER BY tt
