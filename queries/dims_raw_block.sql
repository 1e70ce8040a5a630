-- dims_raw_block.sql: one compressed block of originals.
-- Parameters: ?1 raw_block.id. Output: z (zstd frame).
SELECT z FROM raw_block WHERE id = ?1;
