-- budget_newest.sql (ClickHouse twin): the newest span start, the "now" of
-- `budget check` without --now; NULL when the store holds no span (max() of
-- nothing is 0 in ClickHouse).
SELECT if(count() = 0, NULL, max(start_ns)) AS last_ns
FROM span FINAL
WHERE start_ns > toInt64(-9223372036854775807)
