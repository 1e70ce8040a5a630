-- price_reprice_put_v1.sql: price_reprice_put.sql for a store before schema 8
-- (no price_note).
-- Parameters: ?1 cost_usd (NULL: unpriced), ?2 cost_src, ?3 span id.
-- Output: none.
UPDATE span SET cost_usd = ?1, cost_src = ?2 WHERE id = ?3;
