-- dims_units_approx.sql (ClickHouse twin): the units of dims_units.sql as a
-- sketch per --by value, the same columns as queries/dims_units_approx.sql;
-- the server groups the tasks (a row per value and occupied bin, not per
-- task), one scan taking each task once per kind (arrayJoin). The bin is the
-- cost's IEEE-754 bits shifted right by 45, as ac_rbin (src/util/rbin.h).
-- ?8 1 keeps the kind-2 rows only.
SELECT k1, k2, kind,
       if(kind = 0, b, toUInt64(0)) AS bb,
       multiIf(kind = 0, v, kind = 1, toFloat64(calls), toFloat64(0)) AS vv,
       count() AS n,
       if(kind = 2, sum(c), toFloat64(0)),
       if(kind = 2, min(c), toFloat64(0)),
       if(kind = 2, max(c), toFloat64(0))
FROM (SELECT k1, k2, toFloat64(cost_usd) AS c, llm_calls AS calls,
             if(c > 0, bitShiftRight(reinterpretAsUInt64(reinterpretAsString(c)), 45), toUInt64(0)) AS b,
             if(c > 0, toFloat64(0), c) AS v,
             arrayJoin(if(?8 != 0, [2], [0, 1, 2])) AS kind
      FROM {task_any} GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
      WHERE start_ns >= ?1 AND start_ns < ?2
        AND (?4 OR eval = 0))
GROUP BY k1, k2, kind, bb, vv
ORDER BY k1 NULLS FIRST, k2 NULLS FIRST, kind, bb, vv
