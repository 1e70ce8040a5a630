-- price_alias_del.sql: drop an alias before a file's row replaces it
-- (src/pricing/alias.c; the column's COLLATE NOCASE ignores case).
-- Parameters: ?1 alias.
-- Output: none.
DELETE FROM model_alias WHERE alias = ?1;
