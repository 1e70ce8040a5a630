/*
 * Record reader: the first stage of ingest.
 *
 * Opens a file (or standard input for "-"), detects its container from its
 * bytes, not its name, and hands out records (JSON text, or OTLP protobuf
 * messages flagged ac_record.proto) one at a time:
 *
 *   plain        first non-space byte '{' or '[': JSON lines; one record per
 *                non-blank line. If the first value does not close on its first
 *                line the input is a whole (pretty-printed) document and records
 *                are top-level JSON values that may span lines.
 *   zstd         zstd magic 28 B5 2F FD at offset 0: one continuous stream of
 *                concatenated frames (a frame may end in the middle of a line);
 *                the decompressed content is split exactly like a plain file.
 *   zstd-framed  zstd magic at offset 4: the Collector file exporter's default
 *                json+zstd framing, repeat { u32 big-endian length; one zstd
 *                frame }; each frame decompresses to one record (its content is
 *                split into lines too, should it hold several); a frame whose
 *                content opens with 0x0A is one OTLP protobuf message (format:
 *                proto).
 *   csv          plain or zstd content whose first line is a CSV header (three or
 *                more comma-separated column names) not followed by JSON: one
 *                record per row, a quoted cell's newlines inside it (Langfuse's
 *                blob-storage CSV export; see ac_reader_csv).
 *
 * The content of a plain file or a zstd stream may also be OTLP protobuf
 * (the Collector file exporter's format: proto, FORMATS.md b.4):
 *   length-prefixed  repeat { u32 big-endian length; message }: first byte
 *                below 0x09 and fifth byte 0x0A (resource_spans' key);
 *   one message  a raw ExportTraceServiceRequest / TracesData (.pb, .binpb):
 *                opens with 0x0A and is a chain of resource_spans fields to
 *                its very end (read whole, up to max_record).
 *
 * Decompression is streaming with fixed-size buffers: memory is bounded by the
 * largest record (opts.max_record), never by the file size.
 */
#ifndef AC_READER_H
#define AC_READER_H

#include <stddef.h>
#include <stdint.h>

#include "../util/err.h"

typedef enum ac_container {
	AC_CONT_PLAIN = 0,
	AC_CONT_ZSTD = 1,
	AC_CONT_ZSTD_FRAMED = 2,
} ac_container;

typedef struct ac_reader_opts {
	size_t max_record; /* longest record in bytes; longer ones are skipped (AC_ELIMIT) */
	/* Read a regular file from byte start_off, whose line number is
	 * start_line (a resume point of an earlier read, ac_reader_resume). */
	int64_t start_off;
	long long start_line;
} ac_reader_opts;

#define AC_READER_OPTS_INIT { (size_t)256 << 20, 0, 1 }

typedef struct ac_record {
	const char *data; /* record bytes, not NUL-terminated; valid until the next call */
	size_t len;
	long long line;   /* 1-based line where the record starts (plain, zstd); the
	                     1-based message number (zstd-framed) */
	long long offset; /* byte offset of the record in the decompressed content
	                     (plain, zstd) or of its length prefix in the file (framed) */
	int proto;        /* 1: an OTLP protobuf message (otlp_pb.h), 0: JSON text */
	long long data_off; /* protobuf: offset of data[0] in the file (plain); -1 when
	                       the bytes were decompressed (zstd, zstd-framed) */
	int open_end;     /* JSON lines: the last line, without a '\n' after it */
} ac_record;

typedef struct ac_reader ac_reader;

/*
 * Open path ("-" = standard input). Reads enough to detect the container.
 * Returns 0, or AC_EIO (cannot open/read), AC_EFORMAT (neither JSON nor OTLP
 * protobuf: gzip, other binary data), AC_ENOMEM. An empty or
 * whitespace-only input opens fine and yields no records.
 * *out is freed with ac_reader_free().
 */
int ac_reader_open(ac_reader **out, const char *path, const ac_reader_opts *opts, ac_err *err);

/*
 * Next record.
 *   1           a record is in *rec
 *   0           end of input
 *   AC_ELIMIT   a record longer than max_record was skipped; err->line says
 *               which; call again to go on
 *   AC_EZSTD    corrupt or truncated zstd data, or a bad or truncated length
 *               prefix (also of uncompressed protobuf);
 *               err->offset is the byte offset in the file; the reader stops
 *               (further calls return 0); records handed out before stay valid data
 *   AC_EFORMAT  framed content that is neither JSON nor protobuf; reader stops
 *   AC_EIO      read error; reader stops
 * Whitespace-only lines are skipped; a trailing '\r' is dropped.
 */
int ac_reader_next(ac_reader *r, ac_record *rec, ac_err *err);

ac_container ac_reader_container(const ac_reader *r);
/* 1 when the content is CSV rows under a header line (plain or zstd content
 * opening with comma-separated column names, the next line not JSON): records
 * are then the header and the rows, a quoted cell's newlines inside its row. */
int ac_reader_csv(const ac_reader *r);
const char *ac_container_name(ac_container c);   /* "plain", "zstd", "zstd-framed" */
uint64_t ac_reader_bytes_in(const ac_reader *r); /* raw bytes consumed from the file so far */
/* ac_fhash of every byte read from the file; the content hash once the
 * reader has returned 0 (end of input). */
uint64_t ac_reader_hash(const ac_reader *r);
int64_t ac_reader_size(const ac_reader *r);      /* file size, -1 for pipes */

/*
 * Where a later read of this file, grown by appends, can start: the byte
 * after the last whole record (for JSON lines: after the last '\n' read; a
 * last line without one is read again next time) and the line number there.
 * 0 and the point, once the reader has returned 0 (end of input); -1 when
 * this content cannot be resumed (compressed, a document, CSV, protobuf,
 * standard input, or it stopped at an error).
 */
int ac_reader_resume(const ac_reader *r, int64_t *off, long long *line);

void ac_reader_free(ac_reader *r);

#endif
