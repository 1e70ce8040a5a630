-- price_reprice_commit.sql: keep the re-priced costs (price_reprice_begin.sql).
-- Parameters: none.
-- Output: none.
COMMIT;
