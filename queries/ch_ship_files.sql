-- ch_ship_files.sql: the file ledger of a staging store, as the ClickHouse
-- file table's columns (schema/clickhouse/file.sql, without version); the
-- staging store's row for the spans brought back from ClickHouse is not a file.
-- Run on the SQLite staging store of an ingest into ClickHouse; no parameters.
SELECT path, size, quick_hash, content_hash, container, format, started_at,
       coalesce(finished_at, ''), records, spans, spans_new, errors, complete, note
FROM file
WHERE path <> '(stored in clickhouse)'
ORDER BY id;
