-- price_tier_del.sql: drop a model's price variants before a file's
-- replace them (src/pricing/import.c: write_rows; table price_tier, schema/008).
-- Parameters: ?1 model.
-- Output: none.
DELETE FROM price_tier WHERE model = ?1 COLLATE NOCASE;
