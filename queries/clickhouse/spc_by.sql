-- spc_by.sql (ClickHouse twin): spc_daily.sql per --by value (pair): the
-- spend of each period of ?4 ns, for the values of the span's task
-- ({q_task}: queries/clickhouse/dims_q_task.sql) or its own model (then only
-- spans with a model or a cost). The same columns as queries/spc_by.sql;
-- intDiv truncates toward zero as SQLite's integer division does.
SELECT if(?5 = 1, ifNull(model, '(none)'), k1) AS g1,
       if(?5 = 2, ifNull(model, '(none)'), k2) AS g2,
       intDiv(start_ns, ?4) AS period,
       ifNull(sum(cost_usd), 0) AS cost
FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
WHERE start_ns >= ?1 AND start_ns < ?2
  AND ((?5 = 0 AND ?6 IS NULL) OR model IS NOT NULL OR ifNull(cost_usd, 0) != 0)
  AND (?6 IS NULL OR ifNull(model, '(none)') = ?6)
GROUP BY g1, g2, period
ORDER BY g1 NULLS FIRST, g2 NULLS FIRST, period
