-- dims_units_model.sql (ClickHouse twin): as dims_units.sql when model is a
-- --by dimension or a --where filter: a task's calls to one model are a unit
-- (priced spans without a model under "(none)"). The same columns as
-- queries/dims_units_model.sql; the task's start is q_task's t_start and its
-- eval flag the span's t_eval (one join), its id a hash of its task id.
-- Grouped by the model as stored (NULL apart from a model named "(none)", as
-- SQLite groups by its id).
SELECT if(?5 = 1, m, k1) AS g1, if(?5 = 2, m, k2) AS g2, id, cost, calls
FROM (SELECT k1, k2, ifNull(model, '(none)') AS m,
             toInt64(bitShiftRight(cityHash64(task_id), 2)) AS id,
             ifNull(sum(cost_usd), 0) AS cost, countIf(step = 1) AS calls
      FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
      WHERE if(?7 != 0, start_ns >= ?1 AND start_ns < ?2, t_start >= ?1 AND t_start < ?2)
        AND (?4 OR t_eval = 0)
        AND (model IS NOT NULL OR ifNull(cost_usd, 0) != 0)
        AND (?6 IS NULL OR ifNull(model, '(none)') = ?6)
      GROUP BY task_id, k1, k2, model)
ORDER BY g1 NULLS FIRST, g2 NULLS FIRST, cost
