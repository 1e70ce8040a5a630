-- price_del.sql: drop a model's imported prices before a file's rows
-- replace them (src/pricing/import.c: write_rows; model names ignore ASCII case).
-- Parameters: ?1 model.
-- Output: none.
DELETE FROM price WHERE model = ?1 COLLATE NOCASE;
