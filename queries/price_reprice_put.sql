-- price_reprice_put.sql: a re-priced span's cost (src/pricing/pricing.c:
-- ac_pricing_reprice).
-- Parameters: ?1 cost_usd (NULL: unpriced), ?2 cost_src, ?3 span id,
--             ?4 price_note.
-- Output: none.
UPDATE span SET cost_usd = ?1, cost_src = ?2, price_note = ?4 WHERE id = ?3;
