-- router_groups.sql (ClickHouse only; its presence makes src/router replay
-- in the server): the LLM call groups of the production tasks of the window
-- ({router_group}: those router_tasks.sql's twin keeps), summed over every
-- task by key: class (task type, complexity), model, UTC day, service tier
-- and price group (callpack.h grp: the prompt bucket, or one call priced
-- alone). Within a key every call prices at the same per-token rates, so the
-- router prices each key's sums once (a price is linear in the tokens within
-- a tier): the rows are bounded by classes x models x days x tiers x buckets
-- (plus the calls priced alone), not by tasks or calls. On SQLite the router
-- reads each task's packed groups instead (router_calls.sql).
-- Output: key, task type, complexity, model (NULL: none), day, tier, grp,
-- calls, the eight token sums, recorded cost; ordered by key.
SELECT gk, any(tt), any(cx), any(m), any(day), any(tier), any(grp), sum(n),
       sum(tin), sum(tout), sum(tcr), sum(tcw), sum(trs), sum(tcw1h), sum(tain), sum(taout),
       sum(cost)
FROM {router_group}
WHERE has_g = 1
GROUP BY gk
ORDER BY gk
