-- dims_abort.sql: undo dims_begin.sql's transaction after a failure.
ROLLBACK TO dims;
RELEASE dims;
