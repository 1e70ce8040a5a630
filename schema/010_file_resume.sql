-- 010_file_resume.sql: reading a file that grows, from where the last read
-- stopped (issue #14, item 3). A Collector file exporter appends to one file
-- (and renames it when it rotates); an hourly `agentcost ingest` of it reads
-- only the bytes appended since the last run.
-- dev, ino: the file's device and inode when read (a rename keeps them, so a
-- rotated file is recognised under its new name).
-- read_from: the byte this read started at (0: the whole file).
-- resume_off, resume_line: where the next read can start: the byte after the
-- last whole record read (for JSON lines, after the last newline) and the
-- line number there; NULL when the content cannot be resumed (compressed,
-- a document, CSV, protobuf, standard input, or the read stopped at damage).
-- head_hash, tail_hash: agentcost's 64-bit hash (16 hex digits) of bytes
-- [0, min(65536, resume_off)) and [max(0, resume_off - 4096), resume_off):
-- checked before resuming, so a file replaced or rewritten in place is read
-- whole again (re-reading never double-counts: spans are identified).
-- Applied by the binary when PRAGMA user_version < 10; runnable in the sqlite3 shell.
ALTER TABLE file ADD COLUMN dev INTEGER;
ALTER TABLE file ADD COLUMN ino INTEGER;
ALTER TABLE file ADD COLUMN read_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE file ADD COLUMN resume_off INTEGER;
ALTER TABLE file ADD COLUMN resume_line INTEGER;
ALTER TABLE file ADD COLUMN head_hash TEXT;
ALTER TABLE file ADD COLUMN tail_hash TEXT;
CREATE INDEX file_ino_idx ON file(ino, dev);
