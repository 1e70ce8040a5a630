-- dims_end.sql: the end of dims_begin.sql's transaction.
RELEASE dims;
