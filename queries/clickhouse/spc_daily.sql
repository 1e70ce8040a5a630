-- spc_daily.sql (ClickHouse twin): spend per UTC day (or hour) of ?4 ns, per
-- system (the task's) when ?5 is 1. intDiv truncates toward zero as SQLite's
-- integer division does.
SELECT if(?5 = 1, t_system, NULL) AS system,
       intDiv(start_ns, ?4)       AS period,
       ifNull(sum(cost_usd), 0)   AS cost_usd
FROM span FINAL
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
GROUP BY system, period
ORDER BY system NULLS FIRST, period
