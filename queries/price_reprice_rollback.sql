-- price_reprice_rollback.sql: drop the re-priced costs after a failure
-- (price_reprice_begin.sql).
-- Parameters: none.
-- Output: none.
ROLLBACK;
