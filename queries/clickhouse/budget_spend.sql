-- budget_spend.sql (ClickHouse twin of queries/budget_spend.sql): spend per
-- budget value and hour of the window, for `agentcost budget check`. The
-- same parameters and columns; the value is the task's --by value from
-- {q_task} (queries/clickhouse/dims_q_task.sql, joined GLOBAL: computed once
-- over every shard) or the span's own model.
SELECT v, h, ifNull(sum(cost), 0)
FROM (SELECT multiIf(?5 = 1, ifNull(model, '(none)'), ?5 = 2, '*', ifNull(qt.k1, '(none)')) AS v,
             if(start_ns >= ?4, toInt64(-1), intDiv(start_ns - ?1, 3600000000000)) AS h,
             cost_usd AS cost
      FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
      WHERE start_ns >= ?1 AND start_ns < ?2)
WHERE ?6 IS NULL OR v = ?6
GROUP BY v, h
ORDER BY v, h
