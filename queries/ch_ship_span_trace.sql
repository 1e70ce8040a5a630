-- ch_ship_span_trace.sql: a trace's id (16 bytes), for the spans
-- ch_ship_spans.sql sends (src/store/ch_ship.c: send_spans).
-- Run on the SQLite staging store of an ingest into ClickHouse.
-- Parameters: ?1 trace.id. Output: trace_id; no row for an unknown trace
-- (its spans are not sent).
SELECT trace_id FROM trace WHERE id = ?1;
