-- dims_begin.sql: one transaction around building a question's temporary
-- tables (src/analysis/dims.c): without it every insert into them is its
-- own transaction on the temporary database, a journal written each time.
-- A savepoint, so it nests in a caller's transaction.
SAVEPOINT dims;
