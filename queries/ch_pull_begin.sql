-- ch_pull_begin.sql: the staging store's note of the tasks ClickHouse held
-- for the spans an ingest pulls back (src/store/ch_ship.c: ac_store_pull
-- fills it, ac_store_ship sends a tombstone for each one the derivation no
-- longer gives). Run on the SQLite staging store of an ingest into
-- ClickHouse, by both; a temporary table, gone with the connection.
CREATE TEMP TABLE IF NOT EXISTS ch_pulled_task (task_id TEXT PRIMARY KEY);
