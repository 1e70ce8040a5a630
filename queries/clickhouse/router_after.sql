-- router_after.sql (ClickHouse only): the per-task figures of a replay,
-- computed in the server. Each task's simulated cost is its recorded cost
-- plus, per call group whose key the router lists (?4 keys, ?5 their rows
-- j >= 1 in ?6; row 0 is no change), numbers j*10+1 .. j*10+10 of ?6:
-- d0 + w * recorded cost + (c1 * fresh input + c2 * audio input +
-- c3 * cache read + c4 * 5-minute cache write + c5 * 1-hour cache write +
-- c6 * text output + c7 * reasoning + c8 * audio output) / 1e6, the price
-- formula's terms (pricing.h) in its order, with the rates, reach and output
-- ratio of the class's replay folded in by src/router/replay.c (d0: a call
-- priced alone, its whole difference).
-- Output: tasks, recorded and simulated sums, and per quantile (p50, p99 of
-- recorded, then of simulated costs) the order statistics at ranks
-- floor((n-1)p) + 1 and + 2, which C interpolates (type 7, stats.h): the
-- server sorts every task's two costs (16 bytes a task in its memory); the
-- answer is one row.
SELECT n, base, sim,
       b[toUInt64(floor((n - 1) * 0.5)) + 1], b[toUInt64(floor((n - 1) * 0.5)) + 2],
       b[toUInt64(floor((n - 1) * 0.99)) + 1], b[toUInt64(floor((n - 1) * 0.99)) + 2],
       a[toUInt64(floor((n - 1) * 0.5)) + 1], a[toUInt64(floor((n - 1) * 0.5)) + 2],
       a[toUInt64(floor((n - 1) * 0.99)) + 1], a[toUInt64(floor((n - 1) * 0.99)) + 2]
FROM (
  SELECT count() AS n, sum(recorded) AS base, sum(after) AS sim,
         arraySort(groupArray(recorded)) AS b, arraySort(groupArray(after)) AS a
  FROM (
    SELECT any(cost_usd) AS recorded, recorded + sum(d) AS after
    FROM (
      WITH ?4 AS keys, ?5 AS rows, ?6 AS cf
      SELECT task_id, cost_usd, transform(gk, keys, rows, toUInt64(0)) AS j,
             if(has_g = 0 OR j = 0, 0.,
                cf[j * 10 + 1] + cf[j * 10 + 2] * cost +
                (cf[j * 10 + 3] * (tin - tcr - tcw - tain) + cf[j * 10 + 4] * tain +
                 cf[j * 10 + 5] * tcr + cf[j * 10 + 6] * (tcw - tcw1h) +
                 cf[j * 10 + 7] * tcw1h + cf[j * 10 + 8] * (tout - trs - taout) +
                 cf[j * 10 + 9] * trs + cf[j * 10 + 10] * taout) / 1e6) AS d
      FROM {router_group}
    )
    GROUP BY task_id
  )
)
