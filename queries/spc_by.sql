-- spc_by.sql: spc_daily.sql per --by dimension value (issue #17), for
-- `agentcost spc --by DIM[,DIM]` and --where: the spend of each period per
-- value (pair). A span's cost counts in the period it starts, for the values
-- of its task (q_task, built by src/analysis/dims.c: the tasks with a span
-- starting in the window, of the system asked, passing the task-level
-- filters); eval spend counts too. Model is each span's own: with model
-- among --by or --where, the spans without one count under "(none)" when
-- they cost something (a priced tool call), the unpriced rest nowhere.
-- Periods with no span are absent (src/analysis/spend.c fills them with 0).
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (applied by q_task), ?4 period length in ns,
--             ?5 position of model in --by (0 none, 1, 2),
--             ?6 --where model value or NULL.
-- Output: k1, k2 (the values; NULL: no such position), period (start_ns /
--         ?4), cost_usd; ordered by k1, k2, period, so each value's series
--         comes whole before the next.
SELECT CASE WHEN ?5 = 1 THEN coalesce(m.name, '(none)') ELSE qt.k1 END AS k1,
       CASE WHEN ?5 = 2 THEN coalesce(m.name, '(none)') ELSE qt.k2 END AS k2,
       s.start_ns / ?4                AS period,
       total(s.cost_usd)              AS cost_usd
FROM span s
JOIN q_task qt ON qt.task = s.task
LEFT JOIN model m ON m.id = s.model
WHERE s.start_ns >= ?1 AND s.start_ns < ?2
  AND ((?5 = 0 AND ?6 IS NULL) OR s.model IS NOT NULL OR coalesce(s.cost_usd, 0) <> 0)
  AND (?6 IS NULL OR coalesce(m.name, '(none)') = ?6)
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;
