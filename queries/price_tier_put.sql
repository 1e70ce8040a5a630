-- price_tier_put.sql: a model's price variant (src/pricing/import.c: write_rows).
-- Parameters: ?1 model, ?2 effective_from, ?3 service_tier, ?4 above_tokens,
--             ?5 input_per_mtok, ?6 output_per_mtok, ?7 cache_read_per_mtok,
--             ?8 cache_write_per_mtok, ?9 cache_write_1h_per_mtok,
--             ?10 reasoning_per_mtok, ?11 audio_input_per_mtok,
--             ?12 audio_output_per_mtok.
-- Output: none.
INSERT INTO price_tier (model, effective_from, service_tier, above_tokens,
                        input_per_mtok, output_per_mtok, cache_read_per_mtok,
                        cache_write_per_mtok, cache_write_1h_per_mtok, reasoning_per_mtok,
                        audio_input_per_mtok, audio_output_per_mtok)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12);
