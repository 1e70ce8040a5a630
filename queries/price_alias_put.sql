-- price_alias_put.sql: an imported model alias (src/pricing/alias.c).
-- Parameters: ?1 alias, ?2 model, ?3 source, ?4 imported_at.
-- Output: none.
INSERT INTO model_alias (alias, model, source, imported_at) VALUES (?1, ?2, ?3, ?4);
