-- 003_file_quick_hash.sql: a cheap fingerprint of each ingested file.
-- quick_hash = 64-bit hash of (size, first 64 KiB, last 64 KiB). Ingest looks a
-- file up by it first; only on a match does it read the whole file to compare
-- content_hash, so a new file is read once, not twice (the content hash of a
-- new file is computed by the reader as it goes).
ALTER TABLE file ADD COLUMN quick_hash TEXT;
CREATE INDEX file_quick_idx ON file(quick_hash);
