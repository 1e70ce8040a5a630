-- dims_drop.sql: forget a promotion (`agentcost dims drop KEY`); attr:KEY
-- reads the originals again. Its values first; then dims_drop_dim.sql.
-- Parameters: ?1 dim.id.
DELETE FROM span_dim WHERE dim = ?1;
