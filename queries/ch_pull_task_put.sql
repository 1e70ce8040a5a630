-- ch_pull_task_put.sql: note task ?1, which ClickHouse holds for a span it
-- gave back (ch_pull_begin.sql's table). Staging store; ?1 the task id.
INSERT OR IGNORE INTO temp.ch_pulled_task (task_id) VALUES (?1);
