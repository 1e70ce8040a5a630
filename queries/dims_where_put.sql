-- dims_where_put.sql: a task-level filter: keep the tasks whose value at
-- position ?1 is ?2.
INSERT INTO q_where(pos, v) VALUES (?1, ?2);
