-- budget_spend.sql: a budget's spend per value (agentcost budget check,
-- src/analysis/budget.c): the cost of the spans starting in the window,
-- each attributed to its task's value of the budget's dimension (q_task.k1,
-- built by ac_dims_prepare over the same window: "(none)" for a task
-- without one), or to the span's own model, or to the one value "*" (scope
-- all); the current period's spans in one row per value, the history's (the
-- 4 weeks before the period) per hour.
-- Parameters: ?1 since_ns (the history's start, midnight UTC), ?2 until_ns
--             (now), ?3 system (unused: q_task holds every task), ?4 the
--             period's start, ?5 what a span is attributed to: 0 its task's
--             value, 1 its own model, 2 "*", ?6 the one value wanted, or
--             NULL for every value.
-- Output: v (the value), h (-1: the current period [?4, ?2); else the hour
--         of the history, 0 = the hour starting at ?1), cost_usd; ordered
--         by v, h.
SELECT x.v, x.h, total(x.cost)
FROM (SELECT CASE ?5 WHEN 1 THEN coalesce(m.name, '(none)')
                     WHEN 2 THEN '*'
                     ELSE coalesce(qt.k1, '(none)') END AS v,
             CASE WHEN s.start_ns >= ?4 THEN -1
                  ELSE (s.start_ns - ?1) / 3600000000000 END AS h,
             s.cost_usd AS cost
      FROM span s
      JOIN q_task qt ON qt.task = s.task
      LEFT JOIN model m ON m.id = s.model
      WHERE s.start_ns >= ?1 AND s.start_ns < ?2) AS x
WHERE ?6 IS NULL OR x.v = ?6
GROUP BY x.v, x.h
ORDER BY x.v, x.h;
