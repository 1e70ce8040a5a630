-- price_pattern_put.sql: a model's name pattern (src/pricing/import.c: write_rows).
-- Parameters: ?1 model, ?2 pattern.
-- Output: none.
INSERT OR IGNORE INTO price_pattern (model, pattern) VALUES (?1, ?2);
