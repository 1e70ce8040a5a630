-- task_costs_approx.sql (ClickHouse twin): the sketch per (system, task type)
-- of `tasks --approx`, the same columns as queries/task_costs_approx.sql (ids
-- computed from the names as in task_costs.sql). The server groups the
-- tasks, so the answer is a row per group and occupied bin or calls value,
-- not per task. The bin is the cost's IEEE-754 bits shifted right by 45
-- (its sign, exponent and top 7 mantissa bits), what ac_rbin computes in C
-- (src/util/rbin.h). One scan: each task row is taken once per kind
-- (arrayJoin) rather than the SQLite query's three SELECTs over {task}.
SELECT sys, typ, kind,
       if(kind = 0, b, toUInt64(0)) AS bb,
       multiIf(kind = 0, v, kind = 1, toFloat64(calls), toFloat64(0)) AS vv,
       count() AS n,
       if(kind = 2, sum(c), toFloat64(0)),
       if(kind = 2, min(c), toFloat64(0)),
       if(kind = 2, max(c), toFloat64(0))
FROM (SELECT if(isNull(system), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(system)), 2)) + 1) AS sys,
             if(isNull(task_type), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(task_type)), 2)) + 1) AS typ,
             toFloat64(cost_usd) AS c, llm_calls AS calls,
             if(c > 0, bitShiftRight(reinterpretAsUInt64(reinterpretAsString(c)), 45), toUInt64(0)) AS b,
             if(c > 0, toFloat64(0), c) AS v,
             arrayJoin([0, 1, 2]) AS kind
      FROM {task}
      WHERE start_ns >= ?1 AND start_ns < ?2
        AND (?3 IS NULL OR system = ?3)
        AND (?4 OR eval = 0))
GROUP BY sys, typ, kind, bb, vv
ORDER BY sys, typ, kind, bb, vv
