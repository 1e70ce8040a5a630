-- file: the ingested-file ledger (one row per ingest of a file), on the
-- server agentcost connects to. A row is written once the file's spans and
-- tasks are stored, so a killed ingest leaves none and is read again whole.
CREATE TABLE IF NOT EXISTS file (
  path          String,
  size          Nullable(Int64),
  quick_hash    Nullable(String),
  content_hash  Nullable(String),
  container     Nullable(String),
  format        Nullable(String),
  started_at    String,
  finished_at   String,
  records       Int64,
  spans         Int64,
  spans_new     Int64,
  errors        Int64,
  complete      UInt8,
  note          Nullable(String),
  version       UInt64
) ENGINE = MergeTree() ORDER BY (started_at, path)
