-- price_conventions.sql: the stated token conventions, for the price book
-- (src/pricing/convention.c: ac_conv_load; table token_convention, schema/009).
-- Parameters: none.
-- Output: kind, name, convention.
SELECT kind, name, convention FROM token_convention;
