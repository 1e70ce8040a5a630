-- budget_oldest.sql (ClickHouse twin): the oldest span start (the SQLite
-- query reads the task table's start index; a task starts with its earliest
-- span); NULL when the store holds no span (min() of nothing is 0 in
-- ClickHouse).
SELECT if(count() = 0, NULL, min(start_ns)) AS first_ns
FROM span FINAL
WHERE start_ns > toInt64(-9223372036854775807)
