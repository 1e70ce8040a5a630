-- spc_daily_rollup.sql: spc_daily.sql from the hourly rollup
-- (schema/004_rollup.sql), for windows on whole hours. Same parameters and
-- output (?4 is a whole number of hours: a day or an hour).
SELECT CASE WHEN ?5 THEN sv.name END          AS system,
       r.hour * 3600000000000 / ?4            AS period,
       total(r.cost_usd)                      AS cost_usd
FROM rollup r
JOIN rollup_key k ON k.id = r.key
LEFT JOIN service sv ON sv.id = k.system
WHERE r.hour >= ?1 / 3600000000000 AND r.hour < ?2 / 3600000000000
  AND (?3 IS NULL OR sv.name = ?3)
GROUP BY 1, 2
ORDER BY 1, 2;
