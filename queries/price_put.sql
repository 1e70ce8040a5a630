-- price_put.sql: an imported model price (src/pricing/import.c: write_rows).
-- Parameters: ?1 model, ?2 input_per_mtok, ?3 output_per_mtok,
--             ?4 cache_read_per_mtok, ?5 cache_write_per_mtok,
--             ?6 reasoning_per_mtok, ?7 input_above_200k_per_mtok,
--             ?8 output_above_200k_per_mtok, ?9 effective_from, ?10 source,
--             ?11 imported_at.
-- Output: none.
INSERT INTO price (model, input_per_mtok, output_per_mtok, cache_read_per_mtok,
                   cache_write_per_mtok, reasoning_per_mtok, input_above_200k_per_mtok,
                   output_above_200k_per_mtok, effective_from, source, imported_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11);
