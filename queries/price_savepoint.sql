-- price_savepoint.sql: open the savepoint a price or alias import writes
-- in (src/pricing/import.c, src/pricing/alias.c): a transaction of its own when none is open, nested
-- inside the caller's when one is.
-- Parameters: none.
-- Output: none.
SAVEPOINT ac_prices_import;
