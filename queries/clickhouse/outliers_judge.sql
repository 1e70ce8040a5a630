-- outliers_judge.sql (ClickHouse only): the judge of src/analysis/guard.c run
-- in the server over the window's production tasks (as queries/outliers.sql
-- keeps them), each against its type's figures, which C computed from
-- outliers_stats.sql (the window's, or a reference window's): ?6 the types
-- (ids as outliers_stats.sql gives them), ?7 three numbers a type, in the
-- same order: the cost threshold (factor x median), the cost a task must
-- exceed to be an outlier (the threshold plus 1e-12 of it: guard.c's
-- tolerance, computed in C) and the p99.9 of LLM calls; ?8 the repeat limit,
-- ?9 what is listed (AC_GUARD_LIST_*: 1 outliers, 2 runaways); ?4 and ?5 are
-- not read (the parameters of outliers_by_model_judge.sql, whose layout this
-- shares). The rules are guard.c's: outlier = cost > the limit, runaway =
-- LLM calls > the p99.9 or max_repeat > ?8. What crosses the wire is the
-- window's totals and the listed tasks only, not a row per task; on SQLite
-- the judge reads every task (outliers.sql): no SQLite query is named this.
-- Output: one row per listed task: queries/outliers.sql's columns (id, task
-- type, cost, LLM calls, max_repeat, task id, system, top model, top
-- purpose, top tool, top tool calls), the ids computed in the server (a
-- hash of the task id; of each name, 0 none, named again by
-- src/store/ch_store.c), two empty texts (outliers_by_judge.sql's --by
-- values), its type again (the key of ?6); then on every row: how many tasks
-- are listed (0: a single row that is no task), and the window's tasks
-- judged, their cost, outliers, runaways, the sum of cost - threshold over
-- the outliers, and the tasks whose type is not in ?6 (tasks that came in
-- after outliers_stats.sql read the window); in no particular order.
SELECT id, tt, cost, calls, rep, tid, sys, tm, tp, tool, tc, '', '', tt, length(a_id),
       judged, spend, outliers, runaways, savings, unknown
FROM (
  SELECT count() AS judged, sum(cost) AS spend, sum(o) AS outliers, sum(r) AS runaways,
         sumIf(cost - thr, o = 1) AS savings, countIf(j = 0) AS unknown,
         groupArrayIf(id, l = 1) AS a_id, groupArrayIf(tt, l = 1) AS a_tt,
         groupArrayIf(cost, l = 1) AS a_cost, groupArrayIf(calls, l = 1) AS a_calls,
         groupArrayIf(rep, l = 1) AS a_rep, groupArrayIf(task_id, l = 1) AS a_tid,
         groupArrayIf(sys, l = 1) AS a_sys, groupArrayIf(tm, l = 1) AS a_tm,
         groupArrayIf(tp, l = 1) AS a_tp, groupArrayIf(tool, l = 1) AS a_tool,
         groupArrayIf(tc, l = 1) AS a_tc
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
           ifNull(top_tool_calls, 0) AS tc,
           indexOf(keys, tt) AS j, f[j * 3 - 2] AS thr,
           j != 0 AND cost > f[j * 3 - 1] AS o,
           j != 0 AND (toFloat64(calls) > f[j * 3] OR rep > ?8) AS r,
           (o = 1 AND bitAnd(?9, 1) = 1) OR (r = 1 AND bitAnd(?9, 2) = 2) AS l
    FROM {task}
    WHERE eval = 0
      AND start_ns >= ?1 AND start_ns < ?2
      AND (?3 IS NULL OR system = ?3)
  )
)
LEFT ARRAY JOIN a_id AS id, a_tt AS tt, a_cost AS cost, a_calls AS calls, a_rep AS rep,
  a_tid AS tid, a_sys AS sys, a_tm AS tm, a_tp AS tp, a_tool AS tool, a_tc AS tc
