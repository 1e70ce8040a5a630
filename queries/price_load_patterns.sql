-- price_load_patterns.sql: the name patterns of imported models, for the
-- price book (src/pricing/pricing.c: load_patterns; table price_pattern, schema/007).
-- Parameters: none.
-- Output: model, pattern; ordered by model.
SELECT model, pattern FROM price_pattern ORDER BY model;
