-- price_convention_put.sql: state a token convention (src/pricing/convention.c:
-- ac_conv_store); a row already saying the same is left alone (no change
-- counted).
-- Parameters: ?1 kind (system or scope), ?2 name, ?3 convention (includes or
--             excludes).
-- Output: none.
INSERT INTO token_convention(kind, name, convention, set_at)
VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
ON CONFLICT(kind, name) DO UPDATE SET convention = excluded.convention,
  set_at = excluded.set_at WHERE convention <> excluded.convention;
