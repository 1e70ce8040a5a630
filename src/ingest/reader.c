/*
 * Record reader: the first stage of ingest (contract in reader.h).
 *
 * Turns a file of OpenTelemetry Collector file-exporter output into JSON
 * records for the parsers, or OTLP protobuf messages for otlp_pb.c (format:
 * proto; sniffed in sniff_proto before any JSON rule). The container is sniffed from the first bytes
 * (FORMATS.md b.4): zstd frame magic 28 B5 2F FD (or a skippable frame's) at
 * offset 0 is a native zstd stream, 28 B5 2F FD at offset 4 the legacy
 * json+zstd framing (u32 big-endian length + one zstd frame per message),
 * anything else plain text. Plain text and the
 * decompressed stream go into one content buffer; records are handed out as
 * pointers into it, without copying. In line mode (JSONL, the exporter's
 * json format) a record is a non-blank line found with memchr; in document
 * mode (a pretty-printed document, chosen when the first JSON value does not
 * close on its first line) a record is a complete top-level value found by
 * counting brace/bracket depth outside strings.
 *
 * Memory: the content buffer holds the unconsumed tail of the current record
 * plus room for one read chunk, so it stays below max_record + CHUNK; a record
 * longer than max_record is discarded while it streams past. The zstd input
 * buffer is ZSTD_DStreamInSize() bytes; decompressed output goes straight into
 * the content buffer. A framed message is decompressed whole into the content
 * buffer, bounded by max_record.
 *
 * Errors: a fatal error met while filling the buffer (corrupt or truncated
 * zstd data, a read error) is held back as "pending" until every complete
 * record before it has been handed out; a partial record at that point is
 * dropped. After a fatal error the reader is stopped and returns 0.
 */
#include "reader.h"

#include "../util/hash.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>
#include <zstd_errors.h>

/* Size of one read() on plain input, and the free room kept for it. */
#define CHUNK ((size_t)1 << 20)

/* First buffer for a framed message; it grows up to max_record + 1. */
#define MSG_BUF0 ((size_t)64 << 10)

/*
 * Bytes handed to the zstd decoder before it tells us how many it wants: the
 * smallest frame header (magic + frame header descriptor). Feeding the decoder
 * exactly its hint afterwards keeps each call to one block, so a decoding error
 * can be placed at the start of the block that failed.
 */
#define ZSTD_FIRST_FEED 5

/* How content is cut into records: JSON lines, JSON documents, CSV rows,
 * OTLP protobuf messages behind u32be length prefixes, one whole protobuf
 * message. */
enum { MODE_UNDECIDED, MODE_LINES, MODE_DOC, MODE_CSV, MODE_PB, MODE_PB_BLOB };

struct ac_reader {
	int fd;
	int own_fd;
	ac_container cont;
	size_t max_record;
	int64_t size;
	uint64_t bytes_in;
	ac_fhash_state hash; /* of every byte read from the file */
	int stopped;

	/* Content buffer: buf[start, len) is not yet handed out. */
	char *buf;
	size_t cap, start, len;
	size_t scan;      /* line mode: no '\n' in [start, scan); doc mode: scanned up to here */
	long long line;   /* line number at buf[start] (line mode) or buf[scan] (doc mode) */
	long long off;    /* content offset of buf[start] */
	int eof;          /* no more content will arrive */
	int mode;
	int skipping;     /* discarding an over-limit record */
	size_t skip_left; /* MODE_PB: bytes of an over-limit message still to discard */
	long long skip_no, skip_off; /* ... its number and offset */
	long long pb_no;  /* MODE_PB: messages cut so far */

	/* Document mode: state of the record being scanned. */
	int in_rec, scalar, depth, in_str, esc;
	long long rec_line;

	/* A fatal error held back until the records before it are out. */
	int pend;
	ac_err pend_err;

	/* A skippable problem (a NUL run) held back until its record is out. */
	int soft;
	ac_err soft_err;

	/* JSON lines of a regular plain file: the byte after the last '\n'
	 * read, and the line number there (ac_reader_resume) */
	int64_t resume_off;
	long long resume_line;
	int at_end; /* returned 0: the input ended cleanly */

	/* Raw input (zstd, zstd-framed): in[in_pos, in_len) not yet consumed. */
	unsigned char *in;
	size_t in_cap, in_pos, in_len;
	size_t feed_end;  /* zstd stream: the decoder may read in[in_pos, feed_end) */
	long long in_off; /* file offset of in[0] */
	int in_eof;
	ZSTD_DStream *zd;
	size_t hint;      /* input bytes the decoder asked for last */
	int frame_end;    /* the last decoder call finished a frame */
	long long frame_off;

	/* zstd-framed: the message whose content is in buf. */
	int msg_loaded;
	long long msg_no, msg_off;
};

/* Record an error with its position; returns code. */
static int fail(ac_err *err, int code, long long line, long long offset, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(ac_err *err, int code, long long line, long long offset, const char *fmt, ...)
{
	char msg[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ac_err_setpos(err, code, line, 0, "%s", msg);
	err->offset = offset;
	return code;
}

/*
 * A run of NUL bytes opening a line (what a crash leaves in a pre-allocated
 * log, at its start or where writing resumed) is no part of a record: cut it
 * off *s. Returns 0 when there is none; 1 when a record follows it (the
 * report is held back in r->soft for the next call, after that record); or
 * AC_EPARSE with the report when nothing but blanks follows.
 */
/* A frame written with a window over the decoder's 128 MiB (zstd --long=31,
 * --ultra -22): a fixed limit, named with what to do about it. */
static int window_too_large(size_t ret)
{
	return ZSTD_getErrorCode(ret) == ZSTD_error_frameParameter_windowTooLarge;
}

static const char *window_hint(size_t ret)
{
	return window_too_large(ret) ? " (a zstd window over 128 MiB, as --long=31 writes: a fixed "
	                               "limit; decompress the file with zstd -d --long=31 first)"
	                             : "";
}

static int is_blank(const char *s, size_t n);

static int strip_nul(ac_reader *r, const char **s, size_t *n, long long line, long long *off,
                     ac_err *err)
{
	size_t k = 0;
	while (k < *n && (*s)[k] == '\0')
		k++;
	if (k == 0)
		return 0;
	*s += k;
	*n -= k;
	int rc = fail(err, AC_EPARSE, line, *off, "%zu NUL byte%s skipped (a damaged or pre-allocated "
	              "file)", k, k == 1 ? "" : "s");
	*off += (long long)k;
	if (is_blank(*s, *n))
		return rc;
	r->soft_err = *err;
	r->soft = 1;
	return 1;
}

static ssize_t xread(int fd, void *p, size_t n)
{
	ssize_t got;

	do
		got = read(fd, p, n);
	while (got < 0 && errno == EINTR);
	return got;
}

/* read() that also feeds the content hash (ac_reader_hash). */
static ssize_t rread(ac_reader *r, void *p, size_t n)
{
	ssize_t got = xread(r->fd, p, n);
	if (got > 0)
		ac_fhash_update(&r->hash, p, (size_t)got);
	return got;
}

static int is_zstd_magic(const unsigned char *p)
{
	return p[0] == 0x28 && p[1] == 0xB5 && p[2] == 0x2F && p[3] == 0xFD;
}

/* Skippable frames: magic 0x184D2A50..5F, little-endian. */
static int is_skippable_magic(const unsigned char *p)
{
	return (p[0] & 0xF0) == 0x50 && p[1] == 0x2A && p[2] == 0x4D && p[3] == 0x18;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * 1 when p[0, n) is a chain of fields with key 0x0A (resource_spans: field 1,
 * length-delimited) ending exactly at n: the top level of an OTLP protobuf
 * ExportTraceServiceRequest / TracesData, which has no other field. Text
 * almost never chains so (each length must land on the next 0x0A, the last
 * on the end).
 */
static int pb_chain(const unsigned char *p, size_t n)
{
	size_t pos = 0;
	if (n == 0)
		return 0;
	while (pos < n) {
		uint64_t L = 0;
		int shift = 0;
		if (p[pos++] != 0x0A)
			return 0;
		for (;;) {
			if (pos >= n || shift > 63)
				return 0;
			unsigned char b = p[pos++];
			L |= (uint64_t)(b & 0x7f) << shift;
			shift += 7;
			if (!(b & 0x80))
				break;
		}
		if (L > n - pos)
			return 0;
		pos += (size_t)L;
	}
	return 1;
}

/* A length-prefixed record's payload: JSON when it opens with '{' or '['
 * (a custom encoding can frame JSON), else an OTLP protobuf message. */
static int payload_is_proto(const char *p, size_t n)
{
	size_t i = 0;
	if (n && p[0] == 0x0A && pb_chain((const unsigned char *)p, n))
		return 1;
	while (i < n && is_ws(p[i]))
		i++;
	return !(i < n && (p[i] == '{' || p[i] == '['));
}

/*
 * Say what non-JSON content looks like, into dst: OTLP protobuf (what the file
 * exporter writes with format: proto), gzip, text, or other binary data. head
 * holds the first bytes of the content, first its first non-whitespace byte
 * (protobuf often opens with 0x0a, which is '\n' to a JSON reader).
 */
static void describe_nonjson(char *dst, size_t cap, const unsigned char *head, size_t nhead,
                             unsigned char first)
{
	int text = first >= 0x20 && first < 0x7f;

	if (nhead >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		snprintf(dst, cap, "gzip data, not JSON (decompress it first)");
	else if (nhead >= 5 && head[0] == 0 && head[4] == 0x0a)
		snprintf(dst, cap, "binary data, not JSON: length-prefixed like OTLP protobuf, but the "
		         "first length is 0");
	else if (nhead >= 1 && head[0] == 0x0a && !text)
		snprintf(dst, cap, "binary data, not JSON: opens like OTLP protobuf, but is not one "
		         "message");
	else if (text)
		snprintf(dst, cap, "not JSON: first byte '%c'", first);
	else
		snprintf(dst, cap, "binary data, not JSON: first byte 0x%02x", first);
}

/*
 * Scan JSON text p[0, n) for the end of the value being scanned, whose state is
 * in r (depth, in_str, esc). Counts newlines into *nl. Returns the number of
 * bytes consumed; *closed is set when the value closed at the last of them.
 */
static size_t scan_value(ac_reader *r, const char *p, size_t n, long long *nl, int *closed)
{
	int depth = r->depth, in_str = r->in_str, esc = r->esc;
	size_t i;

	*closed = 0;
	for (i = 0; i < n; i++) {
		char c = p[i];
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
			else if (c == '\n')
				++*nl;
			continue;
		}
		switch (c) {
		case '\n':
			++*nl;
			break;
		case '"':
			in_str = 1;
			break;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (--depth <= 0) {
				*closed = 1;
				i++;
				goto out;
			}
			break;
		}
	}
out:
	r->depth = depth;
	r->in_str = in_str;
	r->esc = esc;
	return i;
}

/* Keep a fatal error for after the records already in the buffer. */
static void set_pending(ac_reader *r, int code, const ac_err *err)
{
	r->pend = code;
	r->pend_err = *err;
	r->eof = 1;
}

/* Read more raw input after in[in_pos, in_len) (moved to the front). */
static int read_in(ac_reader *r, ac_err *err)
{
	ssize_t n;

	if (r->in_pos > 0) {
		memmove(r->in, r->in + r->in_pos, r->in_len - r->in_pos);
		r->in_off += (long long)r->in_pos;
		r->in_len -= r->in_pos;
		r->feed_end -= r->feed_end >= r->in_pos ? r->in_pos : r->feed_end;
		r->in_pos = 0;
	}
	n = rread(r, r->in + r->in_len, r->in_cap - r->in_len);
	if (n < 0)
		return fail(err, AC_EIO, 0, r->in_off + (long long)r->in_len,
		            "read error at byte %lld: %s", r->in_off + (long long)r->in_len,
		            strerror(errno));
	if (n == 0)
		r->in_eof = 1;
	r->in_len += (size_t)n;
	r->bytes_in += (uint64_t)n;
	return 0;
}

/*
 * Decompress the zstd stream into dst[0, cap) until it is full or the stream
 * ends. *got = bytes produced, also when an error is returned (the bytes
 * before the failure are good). Returns 0 or AC_EZSTD / AC_EIO.
 */
static int zstd_fill(ac_reader *r, char *dst, size_t cap, size_t *got, ac_err *err)
{
	ZSTD_outBuffer out = { dst, cap, 0 };
	int stalls = 0;
	int rc = 0;

	while (out.pos < out.size) {
		ZSTD_inBuffer zin = { r->in, r->feed_end, r->in_pos };
		long long at = r->in_off + (long long)r->in_pos;
		size_t out0 = out.pos, ret;

		if (r->frame_end && r->in_pos < r->feed_end)
			r->frame_off = at;
		ret = ZSTD_decompressStream(r->zd, &out, &zin);
		if (ZSTD_isError(ret)) {
			rc = fail(err, AC_EZSTD, 0, at, "%s zstd data at byte %lld: %s%s",
			          window_too_large(ret) ? "unreadable" : "corrupt", at,
			          ZSTD_getErrorName(ret), window_hint(ret));
			goto done;
		}
		int progress = zin.pos != r->in_pos || out.pos != out0;
		r->in_pos = zin.pos;
		if (progress) {
			/* an empty call after the end of a frame asks for the next one's
			   header: that is not the middle of a frame */
			r->frame_end = ret == 0;
			r->hint = ret ? ret : ZSTD_FIRST_FEED;
		}
		if (out.pos == out.size)
			break;
		if (r->in_pos < r->feed_end) {
			/* a frame ended inside the slice, or a hostage byte is due */
			if (!progress && ++stalls > 4) {
				rc = fail(err, AC_EZSTD, 0, at, "zstd decoder stalled at byte %lld", at);
				goto done;
			}
			continue;
		}
		stalls = 0;
		if (r->feed_end == r->in_len) {
			if (r->in_eof) {
				if (r->frame_end)
					break;
				at = r->in_off + (long long)r->in_len;
				rc = fail(err, AC_EZSTD, 0, at,
				          "truncated zstd frame at byte %lld (the frame starts at byte %lld)",
				          at, r->frame_off);
				goto done;
			}
			if (r->in_pos == r->in_len) {
				r->in_off += (long long)r->in_len;
				r->in_pos = r->in_len = r->feed_end = 0;
			}
			rc = read_in(r, err);
			if (rc < 0)
				goto done;
		}
		r->feed_end = r->in_pos + (r->hint < r->in_len - r->in_pos ? r->hint : r->in_len - r->in_pos);
	}
done:
	*got = out.pos;
	return rc;
}

/*
 * Bring more content into the buffer: move the unconsumed tail to the front
 * and grow the buffer if less than a chunk is free, then read or decompress.
 * Sets r->eof at the end of input; a read or zstd error becomes pending.
 * Returns 0 or AC_ENOMEM.
 */
static int more(ac_reader *r, ac_err *err)
{
	size_t live = r->len - r->start, got = 0;
	int rc = 0;

	if (r->cap - r->len < CHUNK && r->start > 0) {
		memmove(r->buf, r->buf + r->start, live);
		r->scan -= r->start;
		r->len = live;
		r->start = 0;
	}
	if (r->cap - r->len < CHUNK) {
		/* live <= max_record + 1 here: longer records are being skipped */
		size_t limit = r->max_record + CHUNK + 2;
		size_t ncap = r->cap > SIZE_MAX / 2 ? SIZE_MAX : r->cap * 2;
		char *p;
		if (ncap < r->len + CHUNK)
			ncap = r->len + CHUNK;
		if (ncap > limit)
			ncap = limit;
		p = realloc(r->buf, ncap);
		if (!p)
			return fail(err, AC_ENOMEM, r->line, r->off,
			            "out of memory growing the read buffer to %zu bytes", ncap);
		r->buf = p;
		r->cap = ncap;
	}

	if (r->cont == AC_CONT_ZSTD) {
		rc = zstd_fill(r, r->buf + r->len, r->cap - r->len, &got, err);
	} else {
		ssize_t n = rread(r, r->buf + r->len, r->cap - r->len);
		if (n < 0)
			rc = fail(err, AC_EIO, 0, (long long)r->bytes_in, "read error at byte %llu: %s",
			          (unsigned long long)r->bytes_in, strerror(errno));
		else
			got = (size_t)n;
		r->bytes_in += got;
	}
	r->len += got;
	if (rc < 0)
		set_pending(r, rc, err);
	else if (got == 0)
		r->eof = 1;
	return 0;
}

static int over_limit(ac_reader *r, ac_err *err, long long line, long long off, const char *what)
{
	return fail(err, AC_ELIMIT, line, off, "%s longer than %zu bytes (limit; raise it with --max-record), skipped", what,
	            r->max_record);
}

/*
 * Decide between line and document mode from the first value, which starts at
 * buf[start]: line mode if it closes on its first line (or that line is over
 * the limit, so it will be skipped as a line anyway).
 */
static int decide_mode(ac_reader *r, ac_err *err)
{
	if (r->start == r->len && r->eof) {
		r->mode = MODE_LINES; /* no content */
		return 0;
	}
	for (;;) {
		const char *nl = memchr(r->buf + r->scan, '\n', r->len - r->scan);
		if (nl || r->eof) {
			size_t end = nl ? (size_t)(nl - r->buf) : r->len;
			long long nls = 0;
			int closed;
			r->depth = r->in_str = r->esc = 0;
			scan_value(r, r->buf + r->start, end - r->start, &nls, &closed);
			r->depth = r->in_str = r->esc = 0;
			r->scan = r->start;
			if (closed || !nl || r->buf[r->start] != '{') {
				/* an array that does not close on its line is a document */
				r->mode = closed ? MODE_LINES : MODE_DOC;
				return 0;
			}
			/* The first value does not close on its line: a pretty-printed
			 * document, or JSON lines whose first line is cut short. The
			 * next non-blank line tells: a record of JSON lines starts in
			 * column 1 with '{'; a document goes on indented (or with a key). */
			size_t pos = end + 1;
			for (;;) {
				while (pos < r->len && (r->buf[pos] == '\n' || r->buf[pos] == '\r'))
					pos++;
				if (pos < r->len) {
					r->mode = r->buf[pos] == '{' ? MODE_LINES : MODE_DOC;
					return 0;
				}
				if (r->eof || r->len - r->start > r->max_record + 1) {
					r->mode = MODE_DOC;
					return 0;
				}
				int rc2 = more(r, err);
				if (rc2 < 0)
					return rc2;
			}
		}
		r->scan = r->len;
		if (r->len - r->start > r->max_record + 1) {
			r->mode = MODE_LINES;
			return 0;
		}
		int rc = more(r, err);
		if (rc < 0)
			return rc;
	}
}

/* Line mode: one record per non-blank line. Returns 1, 0 at end of content, or an error. */
static int next_line(ac_reader *r, ac_record *rec, ac_err *err)
{
	for (;;) {
		const char *nl = r->scan < r->len ? memchr(r->buf + r->scan, '\n', r->len - r->scan) : NULL;
		if (nl) {
			size_t end = (size_t)(nl - r->buf);
			const char *s = r->buf + r->start;
			size_t n = end - r->start;
			long long line = r->line, off = r->off;
			int skipped = r->skipping;

			r->line++;
			r->off += (long long)n + 1;
			r->start = r->scan = end + 1;
			r->skipping = 0;
			r->resume_off = r->off;
			r->resume_line = r->line;
			if (skipped)
				continue;
			if (n && s[n - 1] == '\r')
				n--;
			if (n && s[0] == '\0' && strip_nul(r, &s, &n, line, &off, err) < 0)
				return AC_EPARSE;
			if (is_blank(s, n))
				continue;
			if (n > r->max_record)
				return over_limit(r, err, line, off, "line");
			rec->data = s;
			rec->len = n;
			rec->line = line;
			rec->offset = off;
			return 1;
		}
		r->scan = r->len;
		if (r->skipping) {
			r->off += (long long)(r->len - r->start);
			r->start = r->scan = r->len;
		} else if (r->len - r->start > r->max_record + 1) {
			long long off = r->off;
			r->skipping = 1;
			r->off += (long long)(r->len - r->start);
			r->start = r->scan = r->len;
			return over_limit(r, err, r->line, off, "line");
		}
		if (r->eof) {
			/* the last line has no '\n'; after a fatal error it is incomplete: drop it */
			const char *s = r->buf + r->start;
			size_t n = r->len - r->start;
			long long line = r->line, off = r->off;
			if (n == 0 || r->skipping || r->pend) {
				r->off += (long long)n;
				r->start = r->scan = r->len;
				return 0;
			}
			r->line++;
			r->off += (long long)n;
			r->start = r->scan = r->len;
			if (s[n - 1] == '\r')
				n--;
			if (n && s[0] == '\0' && strip_nul(r, &s, &n, line, &off, err) < 0)
				return AC_EPARSE;
			if (is_blank(s, n))
				return 0;
			if (n > r->max_record)
				return over_limit(r, err, line, off, "line");
			rec->data = s;
			rec->len = n;
			rec->line = line;
			rec->offset = off;
			rec->open_end = 1;
			return 1;
		}
		int rc = more(r, err);
		if (rc < 0)
			return rc;
	}
}

/*
 * Document mode: one record per top-level value. An object or array ends where
 * its depth returns to 0; anything else at top level (not JSON) runs to the end
 * of its line, for the parser to report. Returns 1, 0 at end, or an error.
 */
static int next_doc(ac_reader *r, ac_record *rec, ac_err *err)
{
	for (;;) {
		if (!r->in_rec) {
			while (r->start < r->len && is_ws(r->buf[r->start])) {
				if (r->buf[r->start] == '\n')
					r->line++;
				r->start++;
				r->off++;
			}
			r->scan = r->start;
			if (r->start < r->len) {
				char c = r->buf[r->start];
				r->in_rec = 1;
				r->scalar = c != '{' && c != '[';
				r->depth = r->in_str = r->esc = 0;
				r->rec_line = r->line;
			}
		}
		if (r->in_rec) {
			size_t end = 0;
			int closed = 0;
			if (r->scalar) {
				const char *nl = memchr(r->buf + r->scan, '\n', r->len - r->scan);
				if (nl) {
					end = (size_t)(nl - r->buf);
					closed = 1;
				} else {
					r->scan = r->len;
				}
			} else {
				long long nls = 0;
				r->scan += scan_value(r, r->buf + r->scan, r->len - r->scan, &nls, &closed);
				r->line += nls;
				end = r->scan;
			}
			if (closed) {
				const char *s = r->buf + r->start;
				size_t n = end - r->start;
				long long off = r->off;
				int skipped = r->skipping;

				r->off += (long long)n;
				r->start = r->scan = end;
				r->in_rec = 0;
				r->skipping = 0;
				if (skipped)
					continue;
				if (r->scalar && s[n - 1] == '\r')
					n--;
				if (n > r->max_record)
					return over_limit(r, err, r->rec_line, off, "record");
				rec->data = s;
				rec->len = n;
				rec->line = r->rec_line;
				rec->offset = off;
				return 1;
			}
			if (r->skipping) {
				r->off += (long long)(r->len - r->start);
				r->start = r->scan = r->len;
			} else if (r->len - r->start > r->max_record) {
				long long off = r->off;
				r->skipping = 1;
				r->off += (long long)(r->len - r->start);
				r->start = r->scan = r->len;
				return over_limit(r, err, r->rec_line, off, "record");
			}
		}
		if (r->eof) {
			/* an unclosed last value: hand it out for the parser to report, unless
			   input stopped on an error, where it is merely cut off */
			if (r->in_rec && !r->skipping && !r->pend && r->start < r->len) {
				rec->data = r->buf + r->start;
				rec->len = r->len - r->start;
				rec->line = r->rec_line;
				rec->offset = r->off;
				r->off += (long long)rec->len;
				r->start = r->scan = r->len;
				r->in_rec = 0;
				return 1;
			}
			r->in_rec = 0;
			return 0;
		}
		int rc = more(r, err);
		if (rc < 0)
			return rc;
	}
}


/* ---- CSV rows ------------------------------------------------------------- */

/*
 * A CSV header line: at least three comma-separated column names, each bare
 * or in double quotes, made of letters, digits, '_', '.' and '-' (Langfuse's
 * blob-storage CSV export opens with one: id,trace_id,...). What the columns
 * must be is the parser's business (ac_parse_csv_record).
 */
static int csv_header(const char *s, size_t n)
{
	int cols = 0;
	size_t i = 0;
	if (n && s[n - 1] == '\r')
		n--;
	for (;;) {
		int q = i < n && s[i] == '"';
		size_t name = 0;
		i += (size_t)q;
		while (i < n) {
			char c = s[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			      c == '_' || c == '.' || c == '-'))
				break;
			i++;
			name++;
		}
		if (name == 0 || (q && (i >= n || s[i++] != '"')))
			return 0;
		cols++;
		if (i == n)
			return cols >= 3;
		if (s[i++] != ',')
			return 0;
	}
}

/*
 * Content that opens with a CSV header line (see csv_header) whose next line,
 * if any, is not JSON: the reader goes to CSV mode. The first line is read in
 * whole first (up to 64 KiB). Returns 1 for CSV, 0 otherwise, or AC_ENOMEM.
 */
static int csv_detect(ac_reader *r, ac_err *err)
{
	const size_t most = (size_t)64 << 10;
	const char *nl;
	while (!(nl = memchr(r->buf + r->start, '\n', r->len - r->start)) && !r->eof &&
	       r->len - r->start < most) {
		int rc = more(r, err);
		if (rc < 0)
			return rc;
	}
	size_t end = nl ? (size_t)(nl - r->buf) : r->len;
	if (!csv_header(r->buf + r->start, end - r->start))
		return 0;
	for (size_t i = end; i < r->len; i++)
		if (!is_ws(r->buf[i]))
			return r->buf[i] != '{' && r->buf[i] != '[';
	return 1;
}

static long long count_nl(const char *s, size_t n)
{
	long long k = 0;
	for (const char *e = s + n; (s = memchr(s, '\n', (size_t)(e - s))) != NULL; s++)
		k++;
	return k;
}

/*
 * CSV mode: one record per row, which ends at a newline outside double quotes
 * (a quoted cell may hold newlines; RFC 4180 doubles a quote inside one, which
 * leaves the count even). r->in_str is the quote state at r->scan. Blank lines
 * are skipped. Returns 1, 0 at end, or an error.
 */
static int next_csv(ac_reader *r, ac_record *rec, ac_err *err)
{
	for (;;) {
		size_t i = r->scan;
		int q = r->in_str;
		for (; i < r->len; i++) {
			if (r->buf[i] == '"')
				q = !q;
			else if (r->buf[i] == '\n' && !q)
				break;
		}
		r->in_str = q;
		int at_end = i == r->len;
		if (at_end && !r->eof) {
			r->scan = r->len;
			if (r->len - r->start > r->max_record + 1) {
				long long off = r->off, line = r->line;
				int was = r->skipping;
				r->skipping = 1;
				r->line += count_nl(r->buf + r->start, r->len - r->start);
				r->off += (long long)(r->len - r->start);
				r->start = r->scan = r->len;
				if (!was)
					return over_limit(r, err, line, off, "csv row");
			}
			int rc = more(r, err);
			if (rc < 0)
				return rc;
			continue;
		}
		/* a row ends at buf[i] ('\n', or the end of the content) */
		const char *s = r->buf + r->start;
		size_t n = i - r->start;
		long long line = r->line, off = r->off;
		int skipped = r->skipping;
		r->line += count_nl(s, n) + !at_end;
		r->off += (long long)n + !at_end;
		r->start = r->scan = at_end ? i : i + 1;
		r->skipping = 0;
		r->in_str = 0;
		if (at_end && (n == 0 || r->pend))
			return 0; /* after a fatal error the last row is cut off: dropped */
		if (skipped) {
			if (at_end)
				return 0;
			continue;
		}
		if (n && s[n - 1] == '\r')
			n--;
		if (is_blank(s, n)) {
			if (at_end)
				return 0;
			continue;
		}
		if (n > r->max_record)
			return over_limit(r, err, line, off, "csv row");
		rec->data = s;
		rec->len = n;
		rec->line = line;
		rec->offset = off;
		return 1;
	}
}

/* " of the decompressed stream" for positions in zstd content, "" for a plain file. */
static const char *content_where(const ac_reader *r)
{
	return r->cont == AC_CONT_ZSTD ? " of the decompressed stream" : "";
}

/*
 * MODE_PB: repeat { u32 big-endian length L; L bytes } (the file exporter's
 * format: proto, FORMATS.md b.3). A message longer than max_record streams
 * past and is reported (AC_ELIMIT); a bad or truncated length prefix stops
 * the reader (AC_EZSTD, "damaged": the messages before are kept). Returns 1,
 * 0 at the end, or an error.
 */
static int next_pb(ac_reader *r, ac_record *rec, ac_err *err)
{
	for (;;) {
		size_t live = r->len - r->start;
		if (r->skip_left) {
			size_t k = live < r->skip_left ? live : r->skip_left;
			r->start += k;
			r->off += (long long)k;
			r->skip_left -= k;
			if (r->skip_left == 0)
				return over_limit(r, err, r->skip_no, r->skip_off, "protobuf message");
			if (r->eof) {
				if (r->pend)
					return 0;
				return fail(err, AC_EZSTD, r->skip_no, r->skip_off,
				            "truncated message at byte %lld%s: %zu bytes missing", r->skip_off,
				            content_where(r), r->skip_left);
			}
		} else if (live >= 4) {
			const unsigned char *p = (const unsigned char *)r->buf + r->start;
			uint32_t L = be32(p);
			long long no = r->pb_no + 1;
			if (L == 0)
				return fail(err, AC_EZSTD, no, r->off,
				            "bad length prefix at byte %lld%s: message %lld has length 0", r->off,
				            content_where(r), no);
			if (r->cont == AC_CONT_PLAIN && r->size >= 0 && (int64_t)L > r->size - (r->off + 4))
				return fail(err, AC_EZSTD, no, r->off,
				            "truncated message at byte %lld: length prefix says %lu bytes, only %lld remain",
				            r->off, (unsigned long)L, (long long)(r->size - (r->off + 4)));
			if (L > r->max_record) {
				r->pb_no = no;
				r->skip_no = no;
				r->skip_off = r->off;
				r->skip_left = (size_t)L + 4;
				continue;
			}
			if (live >= (size_t)L + 4) {
				r->pb_no = no;
				rec->data = r->buf + r->start + 4;
				rec->len = L;
				rec->line = no;
				rec->offset = r->off;
				/* positions in a zstd stream are given within the message */
				rec->data_off = r->cont == AC_CONT_PLAIN ? r->off + 4 : -1;
				rec->proto = payload_is_proto(rec->data, L);
				r->start += (size_t)L + 4;
				r->off += (long long)L + 4;
				return 1;
			}
			if (r->eof) {
				if (r->pend)
					return 0; /* cut off by the damage reported next */
				return fail(err, AC_EZSTD, no, r->off,
				            "truncated message at byte %lld%s: length prefix says %lu bytes, only %zu remain",
				            r->off, content_where(r), (unsigned long)L, live - 4);
			}
		} else if (r->eof) {
			if (live == 0 || r->pend)
				return 0;
			return fail(err, AC_EZSTD, r->pb_no + 1, r->off,
			            "truncated message at byte %lld%s: %zu bytes left, too few for a length prefix",
			            r->off, content_where(r), live);
		}
		int rc = more(r, err);
		if (rc < 0)
			return rc;
	}
}

/* MODE_PB_BLOB: the whole content is one protobuf message (read whole at
 * open, or being skipped as over the limit). Returns 1, 0 or AC_ELIMIT. */
static int next_pb_blob(ac_reader *r, ac_record *rec, ac_err *err)
{
	while (!r->eof) {
		if (r->skipping || r->len - r->start > r->max_record) {
			r->skipping = 1;
			r->off += (long long)(r->len - r->start);
			r->start = r->scan = r->len;
		}
		int rc = more(r, err);
		if (rc < 0)
			return rc;
	}
	if (r->skipping || r->len - r->start > r->max_record) {
		r->skipping = 0;
		r->off += (long long)(r->len - r->start);
		r->start = r->scan = r->len;
		return over_limit(r, err, 1, 0, "protobuf message");
	}
	if (r->start == r->len || r->pend)
		return 0; /* empty, or cut off by damage (reported next) */
	rec->data = r->buf + r->start;
	rec->len = r->len - r->start;
	rec->line = 1;
	rec->offset = r->off;
	rec->data_off = r->cont == AC_CONT_PLAIN ? r->off : -1;
	rec->proto = 1;
	r->off += (long long)rec->len;
	r->start = r->scan = r->len;
	return 1;
}

/*
 * Content opening with 0x0A: read on while it is a chain of resource_spans
 * fields (pb_chain). Returns 1 when the whole content is one (now in the
 * buffer), 2 when it still was one past max_record, 0 when it is not, or
 * AC_ENOMEM.
 */
static int walk_blob(ac_reader *r, ac_err *err)
{
	size_t pos = 0; /* relative to r->start */
	int rc;
	for (;;) {
		while (r->len - r->start - pos < 11 && !r->eof) {
			if (r->len - r->start > r->max_record)
				return 2;
			if ((rc = more(r, err)) < 0)
				return rc;
		}
		const unsigned char *p = (const unsigned char *)r->buf + r->start;
		size_t n = r->len - r->start;
		if (pos == n)
			return r->pend ? 0 : 1;
		if (p[pos++] != 0x0A)
			return 0;
		uint64_t L = 0;
		int shift = 0;
		for (;;) {
			if (pos >= n || shift > 63)
				return 0;
			unsigned char b = p[pos++];
			L |= (uint64_t)(b & 0x7f) << shift;
			shift += 7;
			if (!(b & 0x80))
				break;
		}
		if (r->cont == AC_CONT_PLAIN && r->size >= 0 && L > (uint64_t)r->size)
			return 0;
		if (L > r->max_record)
			return 2;
		pos += (size_t)L;
		while (r->len - r->start < pos && !r->eof) {
			if (r->len - r->start > r->max_record)
				return 2;
			if ((rc = more(r, err)) < 0)
				return rc;
		}
		if (r->len - r->start < pos)
			return 0;
	}
}

/*
 * OTLP protobuf content (FORMATS.md b.4, otlp_pb.h), sniffed before JSON:
 *   MODE_PB       repeat { u32be length; message }: the first byte is below
 *                 0x09 (no text opens so; a first message under 144 MiB) and
 *                 the fifth is 0x0A, the key every ExportTraceServiceRequest
 *                 opens with (resource_spans, field 1, length-delimited), or
 *                 '{' (a custom encoding framing JSON the same way);
 *   MODE_PB_BLOB  one whole message (a raw .pb / .binpb dump): the content
 *                 opens with 0x0A and is a chain of resource_spans fields up
 *                 to its very end. When it opens with 0x0A followed by a byte
 *                 that is neither text nor whitespace it is taken as a damaged
 *                 message (the decoder says where) rather than as JSON.
 * Leaves r->mode undecided for everything else. Returns 0 or AC_ENOMEM.
 */
static int sniff_proto(ac_reader *r, const unsigned char *head, size_t nhead, ac_err *err)
{
	if (nhead >= 5 && head[0] < 0x09 && (head[4] == 0x0A || head[4] == '{') && be32(head) > 0) {
		r->mode = MODE_PB;
		return 0;
	}
	if (nhead < 1 || head[0] != 0x0A)
		return 0;
	int rc = walk_blob(r, err);
	if (rc < 0)
		return rc;
	int textish = nhead >= 2 && (is_ws((char)head[1]) || (head[1] >= 0x20 && head[1] < 0x7f));
	if (rc == 1 || rc == 2 || (rc == 0 && nhead >= 2 && !textish)) {
		r->mode = MODE_PB_BLOB;
		r->skipping = rc == 2;
	}
	return 0;
}

/* Next record from the content buffer: 1, 0 at end of content, or an error. */
static int split_next(ac_reader *r, ac_record *rec, ac_err *err)
{
	if (r->mode == MODE_PB)
		return next_pb(r, rec, err);
	if (r->mode == MODE_PB_BLOB)
		return next_pb_blob(r, rec, err);
	if (r->mode == MODE_UNDECIDED) {
		int rc = decide_mode(r, err);
		if (rc < 0)
			return rc;
	}
	if (r->mode == MODE_CSV)
		return next_csv(r, rec, err);
	return r->mode == MODE_DOC ? next_doc(r, rec, err) : next_line(r, rec, err);
}

/* Skip the NUL bytes at the start of the content (reading on as needed, so
 * memory stays bounded however long the run), hold back the report, and
 * leave at least 8 bytes after it in the buffer unless the content ends. */
static int skip_nul_run(ac_reader *r, ac_err *err)
{
	long long k = 0;
	int rc;
	for (;;) {
		while (r->start < r->len && r->buf[r->start] == '\0') {
			r->start++;
			k++;
		}
		if (r->start < r->len || r->eof)
			break;
		r->scan = r->start;
		if ((rc = more(r, err)) < 0)
			return rc;
	}
	r->scan = r->start;
	r->off += k;
	while (r->len - r->start < 8 && !r->eof)
		if ((rc = more(r, err)) < 0)
			return rc;
	fail(&r->soft_err, AC_EPARSE, 1, 0, "%lld NUL bytes at the start of the file skipped (a "
	     "damaged or pre-allocated file)", k);
	r->soft = 1;
	return 0;
}

/*
 * Plain and zstd: skip leading whitespace (and a UTF-8 byte order mark), then
 * check that the content starts like JSON. Returns 0 (also for empty content,
 * and when an error is pending), AC_EFORMAT or AC_ENOMEM.
 */
static int check_content(ac_reader *r, ac_err *err)
{
	unsigned char head[8];
	size_t nhead;
	char what[200];
	int rc;

	while (r->len < sizeof(head) && !r->eof) {
		rc = more(r, err);
		if (rc < 0)
			return rc;
	}
	nhead = r->len < sizeof(head) ? r->len : sizeof(head);
	memcpy(head, r->buf, nhead);
	if (nhead == sizeof(head) && !memcmp(head, "\0\0\0\0\0\0\0\0", sizeof(head))) {
		/* A run of NULs (a damaged or pre-allocated file; no protobuf
		 * stream opens with eight) is skipped and reported. */
		if ((rc = skip_nul_run(r, err)))
			return rc;
		nhead = r->len - r->start < sizeof(head) ? r->len - r->start : sizeof(head);
		memcpy(head, r->buf + r->start, nhead);
	}
	rc = sniff_proto(r, head, nhead, err);
	if (rc < 0 || r->mode != MODE_UNDECIDED)
		return rc;
	if (nhead >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) {
		r->start += 3;
		r->off += 3;
	}
	for (;;) {
		while (r->start < r->len && is_ws(r->buf[r->start])) {
			if (r->buf[r->start] == '\n')
				r->line++;
			r->start++;
			r->off++;
		}
		r->scan = r->start;
		if (r->start < r->len)
			break;
		if (r->eof)
			return 0;
		rc = more(r, err);
		if (rc < 0)
			return rc;
	}
	char c = r->buf[r->start];
	if (c == '{' || c == '[')
		return 0;
	rc = csv_detect(r, err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		r->mode = MODE_CSV;
		return 0;
	}
	/* Text that does not open with JSON (a header line, a comment) is read
	 * as lines, each reported on its own, so the valid lines after it are
	 * kept; binary data (protobuf, compressed streams) is refused whole. */
	if (r->cont == AC_CONT_PLAIN && (unsigned char)c >= 0x20 && (unsigned char)c < 0x7f) {
		int text = 1;
		size_t n = r->len - r->start < 256 ? r->len - r->start : 256;
		for (size_t i = 0; i < n && text; i++) {
			unsigned char b = (unsigned char)r->buf[r->start + i];
			text = b >= 0x20 || b == '\n' || b == '\r' || b == '\t';
		}
		if (text)
			return 0;
	}

	describe_nonjson(what, sizeof(what), head, nhead, (unsigned char)c);
	if (r->cont == AC_CONT_ZSTD)
		return fail(err, AC_EFORMAT, r->line, r->off, "zstd content is %s", what);
	return fail(err, AC_EFORMAT, r->line, r->off, "%s", what);
}

/* Make at least k (<= in_cap) raw bytes available unless the file ends first. */
static int want_in(ac_reader *r, size_t k, ac_err *err)
{
	while (r->in_len - r->in_pos < k && !r->in_eof) {
		int rc = read_in(r, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Consume n raw bytes without looking at them. Returns how many were there. */
static int skip_in(ac_reader *r, size_t n, size_t *skipped, ac_err *err)
{
	*skipped = 0;
	while (*skipped < n) {
		if (r->in_pos == r->in_len) {
			if (r->in_eof)
				break;
			int rc = read_in(r, err);
			if (rc < 0)
				return rc;
			continue;
		}
		size_t k = r->in_len - r->in_pos;
		if (k > n - *skipped)
			k = n - *skipped;
		r->in_pos += k;
		*skipped += k;
	}
	return 0;
}

/* load_message(): the length prefix of the next message and the start of its zstd frame: 1, 0 at the end
 * of the input, or < 0 (said). */
static int message_prefix(ac_reader *r, ac_err *err, long long *at_out, long long *no_out, uint32_t *L_out)
{
	long long at, no;
	uint32_t L;
	size_t k;
	const unsigned char *p;
	int rc;

	rc = want_in(r, 4, err);
	if (rc < 0)
		return rc;
	at = r->in_off + (long long)r->in_pos;
	k = r->in_len - r->in_pos;
	if (k == 0)
		return 0;
	no = ++r->msg_no;
	r->msg_off = at;
	if (k < 4)
		return fail(err, AC_EZSTD, no, at,
		            "truncated message at byte %lld: %zu bytes left, too few for a length prefix",
		            at, k);
	p = r->in + r->in_pos;
	L = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	r->in_pos += 4;
	if (L == 0)
		return fail(err, AC_EZSTD, no, at,
		            "bad length prefix at byte %lld: message %lld has length 0", at, no);
	if (r->size >= 0 && (int64_t)L > r->size - (at + 4))
		return fail(err, AC_EZSTD, no, at,
		            "truncated message at byte %lld: length prefix says %lu bytes, only %lld remain",
		            at, (unsigned long)L, (long long)(r->size - (at + 4)));

	k = L < 4 ? L : 4;
	rc = want_in(r, k, err);
	if (rc < 0)
		return rc;
	if (r->in_len - r->in_pos < k)
		return fail(err, AC_EZSTD, no, at,
		            "truncated message at byte %lld: length prefix says %lu bytes, only %zu remain",
		            at, (unsigned long)L, r->in_len - r->in_pos);
	p = r->in + r->in_pos;
	if (L < 4 || !(is_zstd_magic(p) || is_skippable_magic(p)))
		return fail(err, AC_EZSTD, no, at + 4,
		            "not a zstd frame at byte %lld: bad length prefix at byte %lld (message %lld)",
		            at + 4, at, no);
	*at_out = at;
	*no_out = no;
	*L_out = L;
	return 1;
}

/*
 * zstd-framed: read the next message, { u32 big-endian length L; L bytes = one
 * zstd frame }, and decompress it whole into buf[0, len). Returns 1 (loaded),
 * 0 (end of file), AC_ELIMIT (content over max_record, message skipped), or a
 * fatal AC_EZSTD / AC_EIO / AC_ENOMEM.
 */
static int load_message(ac_reader *r, ac_err *err)
{
	long long at = 0, no = 0;
	uint32_t L = 0;
	size_t left, hint = ZSTD_FIRST_FEED;
	int rc;

	rc = message_prefix(r, err, &at, &no, &L);
	if (rc <= 0)
		return rc;

	ZSTD_DCtx_reset(r->zd, ZSTD_reset_session_only);
	r->start = r->len = r->scan = 0;
	left = L;
	for (;;) {
		if (left > 0 && r->in_pos == r->in_len) {
			if (r->in_eof)
				return fail(err, AC_EZSTD, no, at,
				            "truncated message at byte %lld: length prefix says %lu bytes, only %zu remain",
				            at, (unsigned long)L, (size_t)L - left);
			rc = read_in(r, err);
			if (rc < 0)
				return rc;
			continue;
		}
		if (r->len == r->cap) {
			size_t ncap = r->cap * 2;
			char *q;
			if (ncap > r->max_record + 1 || ncap < r->cap)
				ncap = r->max_record + 1;
			q = realloc(r->buf, ncap);
			if (!q)
				return fail(err, AC_ENOMEM, no, at,
				            "out of memory growing the message buffer to %zu bytes", ncap);
			r->buf = q;
			r->cap = ncap;
		}

		size_t feed = r->in_len - r->in_pos;
		if (feed > left)
			feed = left;
		if (feed > hint)
			feed = hint;
		ZSTD_inBuffer zin = { r->in + r->in_pos, feed, 0 };
		ZSTD_outBuffer zout = { r->buf + r->len, r->cap - r->len, 0 };
		long long pos = r->in_off + (long long)r->in_pos;
		size_t ret = ZSTD_decompressStream(r->zd, &zout, &zin);
		if (ZSTD_isError(ret))
			return fail(err, AC_EZSTD, no, pos, "%s zstd data at byte %lld (message %lld): %s%s",
			            window_too_large(ret) ? "unreadable" : "corrupt", pos, no,
			            ZSTD_getErrorName(ret), window_hint(ret));
		r->in_pos += zin.pos;
		left -= zin.pos;
		r->len += zout.pos;
		if (r->len > r->max_record) {
			size_t skipped;
			rc = skip_in(r, left, &skipped, err);
			if (rc < 0)
				return rc;
			if (skipped < left)
				return fail(err, AC_EZSTD, no, at,
				            "truncated message at byte %lld: length prefix says %lu bytes, only %zu remain",
				            at, (unsigned long)L, (size_t)L - left + skipped);
			r->len = 0;
			return fail(err, AC_ELIMIT, no, at,
			            "message longer than %zu bytes (limit; raise it with --max-record) after decompression, skipped",
			            r->max_record);
		}
		if (ret == 0) {
			if (left > 0) {
				pos = r->in_off + (long long)r->in_pos;
				return fail(err, AC_EZSTD, no, pos,
				            "bad length prefix at byte %lld: it says %lu bytes, but the zstd frame "
				            "ends after %lu (at byte %lld)",
				            at, (unsigned long)L, (unsigned long)(L - left), pos);
			}
			return 1;
		}
		hint = ret;
		if (left == 0 && zout.pos < zout.size) {
			pos = r->in_off + (long long)r->in_pos;
			return fail(err, AC_EZSTD, no, pos,
			            "bad length prefix at byte %lld or truncated frame: the zstd frame does "
			            "not end within the %lu bytes the prefix says (at byte %lld)",
			            at, (unsigned long)L, pos);
		}
	}
}

/* zstd-framed: next record, splitting each message's content like plain text. */
static int next_framed(ac_reader *r, ac_record *rec, ac_err *err)
{
	for (;;) {
		if (r->msg_loaded) {
			int rc = split_next(r, rec, err);
			if (rc == 1) {
				rec->line = r->msg_no;
				rec->offset = r->msg_off;
				return 1;
			}
			if (rc == AC_ELIMIT)
				return rc; /* not reached: the whole message fits the limit */
			if (rc < 0) {
				r->stopped = 1;
				return rc;
			}
			r->msg_loaded = 0;
		}
		int rc = load_message(r, err);
		if (rc == AC_ELIMIT)
			return rc;
		if (rc <= 0) {
			r->stopped = 1;
			return rc;
		}

		r->start = 0;
		while (r->start < r->len && is_ws(r->buf[r->start]))
			r->start++;
		if (r->start == r->len)
			continue; /* an empty message holds no records */
		char c = r->buf[r->start];
		if (r->buf[0] == 0x0A && payload_is_proto(r->buf, r->len)) {
			/* format: proto with compression: zstd (gate off): the frame
			 * holds one OTLP protobuf message */
			rec->data = r->buf;
			rec->len = r->len;
			rec->line = r->msg_no;
			rec->offset = r->msg_off;
			rec->data_off = -1;
			rec->proto = 1;
			return 1;
		}
		if (c != '{' && c != '[') {
			char what[200];
			describe_nonjson(what, sizeof(what), (const unsigned char *)r->buf,
			                 r->len < 8 ? r->len : 8, (unsigned char)c);
			r->stopped = 1;
			return fail(err, AC_EFORMAT, r->msg_no, r->msg_off,
			            "message %lld (length prefix at byte %lld) is %s", r->msg_no, r->msg_off,
			            what);
		}
		r->scan = r->start;
		r->off = (long long)r->start;
		r->line = 1;
		r->eof = 1;
		r->mode = MODE_UNDECIDED;
		r->skipping = 0;
		r->in_rec = 0;
		r->msg_loaded = 1;
	}
}

int ac_reader_next(ac_reader *r, ac_record *rec, ac_err *err)
{
	int rc;

	assert(r && rec && err);
	rec->proto = 0;
	rec->open_end = 0;
	rec->data_off = -1;
	if (r->soft) {
		*err = r->soft_err;
		r->soft = 0;
		return AC_EPARSE;
	}
	if (r->stopped)
		return 0;
	if (r->cont == AC_CONT_ZSTD_FRAMED)
		return next_framed(r, rec, err);
	rc = split_next(r, rec, err);
	if (rc == 1 || rc == AC_ELIMIT || rc == AC_EPARSE)
		return rc;
	r->stopped = 1;
	r->at_end = rc == 0 && !r->pend;
	if (rc == 0 && r->pend) {
		*err = r->pend_err;
		rc = r->pend;
		r->pend = 0;
	}
	return rc;
}

/* ac_reader_open(): open path (- for standard input), at opts->start_off when set; 0 or < 0 (said). */
static int reader_open_fd(ac_reader *r, const char *path, const ac_reader_opts *opts, ac_err *err)
{
	struct stat st;

	if (strcmp(path, "-") == 0) {
		r->fd = STDIN_FILENO;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0)
			return ac_err_set(err, AC_EIO, "cannot open %s: %s", path, strerror(errno));
		r->own_fd = 1;
		if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode)) {
			r->size = (int64_t)st.st_size;
			posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
			if (opts && opts->start_off > 0) {
				if (opts->start_off > r->size ||
				    lseek(r->fd, (off_t)opts->start_off, SEEK_SET) != (off_t)opts->start_off)
					return ac_err_set(err, AC_EIO, "cannot read %s from byte %lld", path,
					                  (long long)opts->start_off);
				r->off = opts->start_off;
			}
		}
	}
	return 0;
}

/* ac_reader_open(): read the first 8 bytes (fewer at the end) into peek and sniff the container from them. */
static int reader_sniff(ac_reader *r, const char *path, unsigned char peek[8], size_t *npeek, ac_err *err)
{
	while (*npeek < 8) {
		ssize_t n = rread(r, peek + *npeek, 8 - *npeek);
		if (n < 0)
			return ac_err_set(err, AC_EIO, "cannot read %s: %s", path, strerror(errno));
		if (n == 0)
			break;
		*npeek += (size_t)n;
	}
	r->bytes_in = *npeek;
	if (*npeek >= 4 && (is_zstd_magic(peek) || is_skippable_magic(peek)))
		r->cont = AC_CONT_ZSTD; /* a stream may open with a skippable frame */
	else if (*npeek >= 8 && is_zstd_magic(peek + 4))
		r->cont = AC_CONT_ZSTD_FRAMED;
	else
		r->cont = AC_CONT_PLAIN;
	return 0;
}

int ac_reader_open(ac_reader **out, const char *path, const ac_reader_opts *opts, ac_err *err)
{
	ac_reader *r = NULL;
	unsigned char peek[8];
	size_t npeek = 0;
	int rc = 0;

	assert(out && path && err);
	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	r->fd = -1;
	r->size = -1;
	r->line = opts && opts->start_line > 0 ? opts->start_line : 1;
	ac_fhash_init(&r->hash);
	r->frame_end = 1;
	r->hint = ZSTD_FIRST_FEED;
	r->max_record = opts && opts->max_record ? opts->max_record : ((ac_reader_opts)AC_READER_OPTS_INIT).max_record;
	if (r->max_record > SIZE_MAX / 2)
		r->max_record = SIZE_MAX / 2; /* keeps max_record + CHUNK + 2 from wrapping */

	if ((rc = reader_open_fd(r, path, opts, err)) < 0)
		goto done;
	r->resume_off = r->off;
	r->resume_line = r->line;

	/* Sniff the container from the first 8 bytes. */
	if ((rc = reader_sniff(r, path, peek, &npeek, err)) < 0)
		goto done;

	r->cap = r->cont == AC_CONT_ZSTD_FRAMED ? MSG_BUF0 : 2 * CHUNK;
	if (r->cont == AC_CONT_ZSTD_FRAMED && r->cap > r->max_record + 1)
		r->cap = r->max_record + 1;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	if (r->cont == AC_CONT_PLAIN) {
		memcpy(r->buf, peek, npeek);
		r->len = npeek;
		r->eof = npeek < sizeof(peek);
	} else {
		r->in_cap = ZSTD_DStreamInSize();
		r->in = malloc(r->in_cap);
		r->zd = ZSTD_createDStream();
		if (!r->in || !r->zd) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			goto done;
		}
		memcpy(r->in, peek, npeek);
		r->in_len = npeek;
		r->in_eof = npeek < sizeof(peek);
	}
	if (r->cont != AC_CONT_ZSTD_FRAMED) {
		rc = check_content(r, err);
		if (rc < 0)
			goto done;
		/* a resumed read goes on reading JSON lines, whatever the new
		 * bytes look like (a line still being written, say) */
		if (opts && opts->start_off > 0 && r->cont == AC_CONT_PLAIN &&
		    (r->mode == MODE_UNDECIDED || r->mode == MODE_CSV))
			r->mode = MODE_LINES;
	}
	*out = r;
	r = NULL;
done:
	ac_reader_free(r);
	return rc;
}

int ac_reader_resume(const ac_reader *r, int64_t *off, long long *line)
{
	if (!r->at_end || r->cont != AC_CONT_PLAIN || r->mode != MODE_LINES || r->fd == STDIN_FILENO ||
	    r->size < 0)
		return -1;
	*off = r->resume_off;
	*line = r->resume_line;
	return 0;
}

int ac_reader_csv(const ac_reader *r)
{
	return r->mode == MODE_CSV;
}

ac_container ac_reader_container(const ac_reader *r)
{
	return r->cont;
}

const char *ac_container_name(ac_container c)
{
	switch (c) {
	case AC_CONT_PLAIN: return "plain";
	case AC_CONT_ZSTD: return "zstd";
	case AC_CONT_ZSTD_FRAMED: return "zstd-framed";
	}
	return "unknown";
}

uint64_t ac_reader_hash(const ac_reader *r)
{
	return ac_fhash_final(&r->hash);
}

uint64_t ac_reader_bytes_in(const ac_reader *r)
{
	return r->bytes_in;
}

int64_t ac_reader_size(const ac_reader *r)
{
	return r->size;
}

void ac_reader_free(ac_reader *r)
{
	if (!r)
		return;
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	ZSTD_freeDStream(r->zd);
	free(r->in);
	free(r->buf);
	free(r);
}
