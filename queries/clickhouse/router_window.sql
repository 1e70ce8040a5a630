-- router_window.sql (ClickHouse only, beside router_groups.sql): the number
-- of production tasks a routing map is replayed over and their first and
-- last start (the window's days when it is open), without a row per task.
SELECT count(), min(start_ns), max(start_ns)
FROM {router_task}
