-- price_has_table.sql: whether the store has a table, for src/pricing
-- (a store older than a migration, or a bare database in the unit tests,
-- lacks price_pattern, price_tier or model_alias: no patterns, variants or
-- aliases then).
-- Parameters: ?1 the table name.
-- Output: 1 when the table exists; one row at most.
SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1;
