-- price_load_aliases.sql: the model aliases, for the price book (src/pricing/pricing.c:
-- load_aliases; table model_alias, schema/006_model_alias.sql).
-- Parameters: none.
-- Output: alias, model; in import order.
SELECT alias, model FROM model_alias ORDER BY rowid;
