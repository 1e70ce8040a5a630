-- dims_units_model_approx.sql (ClickHouse twin): the units of
-- dims_units_model.sql (a task's calls to one model) as a sketch per --by
-- value, the same columns as queries/dims_units_model_approx.sql; the units
-- as in queries/clickhouse/dims_units_model.sql, then grouped as
-- dims_units_approx.sql groups the tasks. ?8 1 keeps the kind-2 rows only.
SELECT g1, g2, kind,
       if(kind = 0, b, toUInt64(0)) AS bb,
       multiIf(kind = 0, v, kind = 1, toFloat64(calls), toFloat64(0)) AS vv,
       count() AS n,
       if(kind = 2, sum(c), toFloat64(0)),
       if(kind = 2, min(c), toFloat64(0)),
       if(kind = 2, max(c), toFloat64(0))
FROM (SELECT if(?5 = 1, m, k1) AS g1, if(?5 = 2, m, k2) AS g2, toFloat64(cost) AS c, calls,
             if(c > 0, bitShiftRight(reinterpretAsUInt64(reinterpretAsString(c)), 45), toUInt64(0)) AS b,
             if(c > 0, toFloat64(0), c) AS v,
             arrayJoin(if(?8 != 0, [2], [0, 1, 2])) AS kind
      FROM (SELECT k1, k2, ifNull(model, '(none)') AS m,
                   ifNull(sum(cost_usd), 0) AS cost, countIf(step = 1) AS calls
            FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
            WHERE if(?7 != 0, start_ns >= ?1 AND start_ns < ?2, t_start >= ?1 AND t_start < ?2)
              AND (?4 OR t_eval = 0)
              AND (model IS NOT NULL OR ifNull(cost_usd, 0) != 0)
              AND (?6 IS NULL OR ifNull(model, '(none)') = ?6)
            GROUP BY task_id, k1, k2, model))
GROUP BY g1, g2, kind, bb, vv
ORDER BY g1 NULLS FIRST, g2 NULLS FIRST, kind, bb, vv
