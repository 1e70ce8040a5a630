-- dims_drop_dim.sql: the promotion itself, after its values (dims_drop.sql).
-- Parameters: ?1 dim.id.
DELETE FROM dim WHERE id = ?1;
