-- price_savepoint_undo.sql: undo what the failed import wrote
-- (price_savepoint.sql) and close the savepoint.
-- Parameters: none.
-- Output: none.
ROLLBACK TO ac_prices_import;
RELEASE ac_prices_import;
