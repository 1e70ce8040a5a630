-- dims_sv_clear.sql: empty the span values before the next dimension's.
DELETE FROM q_sv;
