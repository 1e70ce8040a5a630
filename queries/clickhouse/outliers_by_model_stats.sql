-- outliers_by_model_stats.sql (ClickHouse only): outliers_by_stats.sql when
-- model is a --by dimension or a --where filter: the unit is a task's calls
-- to one model (their cost and LLM calls), as queries/outliers_by_model.sql
-- reads them (?4 the position of model in --by, ?5 the --where model value
-- or NULL). One row per group, not per unit; on SQLite the judge reads every
-- unit twice (outliers_by_model.sql): no SQLite query is named this.
-- Output: as outliers_by_stats.sql (the group's key, units, cost at rank
-- floor((n - 1) 0.5) and the next, LLM calls at rank floor((n - 1) 0.999)
-- and the next); ordered by key.
SELECT cityHash64(v1, v2) AS gk, n,
       c[toUInt64(floor((n - 1) * 0.5)) + 1], c[toUInt64(floor((n - 1) * 0.5)) + 2],
       k[toUInt64(floor((n - 1) * 0.999)) + 1], k[toUInt64(floor((n - 1) * 0.999)) + 2]
FROM (
  SELECT v1, v2, count() AS n, arraySort(groupArray(cost)) AS c, arraySort(groupArray(calls)) AS k
  FROM (
    SELECT ifNull(g1, '(none)') AS v1, ifNull(g2, '(none)') AS v2, cost, calls
    FROM (SELECT task_id, if(?4 = 1, m, k1) AS g1, if(?4 = 2, m, k2) AS g2, cost, calls
        FROM (SELECT task_id, k1, k2, ifNull(model, '(none)') AS m,
                     ifNull(sum(cost_usd), 0) AS cost, countIf(step = 1) AS calls
              FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
              WHERE t_start >= ?1 AND t_start < ?2
                AND t_eval = 0
                AND (model IS NOT NULL OR ifNull(cost_usd, 0) != 0)
                AND (?5 IS NULL OR ifNull(model, '(none)') = ?5)
              GROUP BY task_id, k1, k2, model)) AS um
    ALL INNER JOIN (SELECT task_id FROM {task_any}
                    WHERE eval = 0 AND start_ns >= ?1 AND start_ns < ?2) AS tr USING task_id
  )
  GROUP BY v1, v2
)
ORDER BY gk
