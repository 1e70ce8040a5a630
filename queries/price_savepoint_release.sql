-- price_savepoint_release.sql: keep what the import wrote
-- (price_savepoint.sql).
-- Parameters: none.
-- Output: none.
RELEASE ac_prices_import;
