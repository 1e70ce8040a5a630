-- price_pattern_del.sql: drop a model's name patterns before a file's
-- replace them (src/pricing/import.c: write_rows; table price_pattern, schema/007).
-- Parameters: ?1 model.
-- Output: none.
DELETE FROM price_pattern WHERE model = ?1 COLLATE NOCASE;
