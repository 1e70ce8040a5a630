-- price_reprice_begin.sql: the transaction re-pricing writes in when the
-- caller has none open (src/pricing/pricing.c: ac_pricing_reprice).
-- Parameters: none.
-- Output: none.
BEGIN;
