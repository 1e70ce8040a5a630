-- outliers_by_judge.sql (ClickHouse only): outliers_judge.sql for `outliers
-- --by/--where`: the production tasks of the window that q_task keeps, each
-- against its group's figures (equal --by values), which C computed from
-- outliers_by_stats.sql: ?6 the groups' keys (as outliers_by_stats.sql gives
-- them), ?7 three numbers a group, in the same order: the cost threshold
-- (factor x median), the cost a task must exceed to be an outlier (the
-- threshold plus guard.c's tolerance) and the p99.9 of LLM calls; ?8 the
-- repeat limit, ?9 what is listed (AC_GUARD_LIST_*: 1 outliers, 2
-- runaways); ?4 and ?5 are not read (outliers_by_model_judge.sql's). The
-- rules are guard.c's. The window's totals and the listed tasks cross, not a
-- row per task; on SQLite the judge reads every task (outliers_by.sql): no
-- SQLite query is named this.
-- Output: one row per listed task: queries/outliers_by.sql's columns (id, task
-- type, cost, LLM calls, max_repeat, task id, system, top model, top purpose,
-- top tool, top tool calls, k1, k2; "(none)" for a NULL k), its group's key; then on every row: how
-- many tasks are listed (0: a single row that is no task), the tasks judged,
-- their cost, outliers, runaways, the sum of cost - threshold over the
-- outliers, and the tasks whose group is not in ?6 (tasks that came in after
-- outliers_by_stats.sql read the window); in no particular order.
SELECT id, tt, cost, calls, rep, tid, sys, tm, tp, tool, tc, g1, g2, gk, length(a_id),
       judged, spend, outliers, runaways, savings, unknown
FROM (
  SELECT count() AS judged, sum(cost) AS spend, sum(o) AS outliers, sum(r) AS runaways,
         sumIf(cost - thr, o = 1) AS savings, countIf(j = 0) AS unknown,
         groupArrayIf(id, l = 1) AS a_id, groupArrayIf(tt, l = 1) AS a_tt,
         groupArrayIf(cost, l = 1) AS a_cost, groupArrayIf(calls, l = 1) AS a_calls,
         groupArrayIf(rep, l = 1) AS a_rep, groupArrayIf(task_id, l = 1) AS a_tid,
         groupArrayIf(sys, l = 1) AS a_sys, groupArrayIf(tm, l = 1) AS a_tm,
         groupArrayIf(tp, l = 1) AS a_tp, groupArrayIf(tool, l = 1) AS a_tool,
         groupArrayIf(tc, l = 1) AS a_tc, groupArrayIf(v1, l = 1) AS a_k1,
         groupArrayIf(v2, l = 1) AS a_k2, groupArrayIf(gk, l = 1) AS a_gk
  FROM (
    WITH ?6 AS keys, ?7 AS f
    SELECT toInt64(bitShiftRight(cityHash64(task_id), 2)) AS id,
           if(isNull(task_type), 0,
              toInt64(bitShiftRight(cityHash64(assumeNotNull(task_type)), 2)) + 1) AS tt,
           cost_usd AS cost, llm_calls AS calls, max_repeat AS rep, task_id,
           if(isNull(system), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(system)), 2)) + 1) AS sys,
           if(isNull(top_model), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_model)), 2)) + 1) AS tm,
           if(isNull(top_purpose), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_purpose)), 2)) + 1) AS tp,
           if(isNull(top_tool), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_tool)), 2)) + 1) AS tool,
           ifNull(top_tool_calls, 0) AS tc, ifNull(k1, '(none)') AS v1, ifNull(k2, '(none)') AS v2,
           cityHash64(v1, v2) AS gk, indexOf(keys, gk) AS j, f[j * 3 - 2] AS thr,
           j != 0 AND cost > f[j * 3 - 1] AS o,
           j != 0 AND (toFloat64(calls) > f[j * 3] OR rep > ?8) AS r,
           (o = 1 AND bitAnd(?9, 1) = 1) OR (r = 1 AND bitAnd(?9, 2) = 2) AS l
    FROM {task_any} GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
    WHERE eval = 0
      AND start_ns >= ?1 AND start_ns < ?2
  )
)
LEFT ARRAY JOIN a_id AS id, a_tt AS tt, a_cost AS cost, a_calls AS calls, a_rep AS rep,
  a_tid AS tid, a_sys AS sys, a_tm AS tm, a_tp AS tp, a_tool AS tool, a_tc AS tc,
  a_k1 AS g1, a_k2 AS g2, a_gk AS gk
