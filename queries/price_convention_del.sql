-- price_convention_del.sql: forget a token convention (back to auto;
-- src/pricing/convention.c: ac_conv_store).
-- Parameters: ?1 kind, ?2 name.
-- Output: none.
DELETE FROM token_convention WHERE kind = ?1 AND name = ?2;
