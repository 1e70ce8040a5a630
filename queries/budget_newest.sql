-- budget_newest.sql: the newest span's start, to the nanosecond (the
-- rollup's last hour is not enough: budget check's default --now is just
-- after it, so that span counts).
-- Parameters: none bound (?1..?3 unused).
-- Output: last_ns (NULL: no span).
SELECT max(start_ns) AS last_ns
FROM span;
