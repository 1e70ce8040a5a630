-- spc_daily.sql: spend per UTC day (or hour), for `agentcost spc`.
-- Answers: what was spent in each period, per system when asked. A span's
-- cost counts in the period its span starts; eval spend counts too; an
-- unpriced span (cost_usd NULL) counts 0. A span belongs to the system of its
-- task (span.task -> task.system), not to its own service.name. Periods with
-- no span are absent: the caller fills them with 0 (src/analysis/spc.h).
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (service.name) or NULL for all,
--             ?4 period length in ns (86400e9 for days, 3600e9 for hours),
--             ?5 1 to group by system, 0 for one series.
-- Output: system (NULL unless ?5), period (start_ns / ?4: days or hours
--         since the epoch), cost_usd; ordered by system, period.
SELECT CASE WHEN ?5 THEN sv.name END  AS system,
       s.start_ns / ?4                AS period,
       total(s.cost_usd)              AS cost_usd
FROM span s
LEFT JOIN task t ON t.id = s.task
LEFT JOIN service sv ON sv.id = t.system
WHERE s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?3 IS NULL OR sv.name = ?3)
GROUP BY 1, 2
ORDER BY 1, 2;
