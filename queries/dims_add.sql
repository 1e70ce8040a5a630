-- dims_add.sql: promote an attribute (`agentcost dims add KEY`).
-- Parameters: ?1 key, ?2 added_at (ISO-8601 UTC).
INSERT INTO dim(key, added_at) VALUES (?1, ?2);
