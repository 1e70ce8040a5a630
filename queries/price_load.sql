-- price_load.sql: the imported model prices, for the price book (src/pricing/pricing.c:
-- load_imported; rows edited into something the importer never writes are
-- skipped there).
-- Parameters: none.
-- Output: model, input_per_mtok, output_per_mtok, cache_read_per_mtok,
--         cache_write_per_mtok, reasoning_per_mtok, input_above_200k_per_mtok,
--         output_above_200k_per_mtok, effective_from; in import order.
SELECT model, input_per_mtok, output_per_mtok, cache_read_per_mtok,
       cache_write_per_mtok, reasoning_per_mtok, input_above_200k_per_mtok,
       output_above_200k_per_mtok, effective_from
FROM price ORDER BY rowid;
