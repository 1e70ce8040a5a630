/*
 * Unit tests for the record reader (src/ingest/reader.c): container sniffing,
 * line and document splitting, zstd streams and the file exporter's json+zstd
 * framing (FORMATS.md b.3, b.4), error positions, the record size limit, and
 * bounded memory on large inputs. Every input is written at test time into a
 * mkdtemp directory; .zst data is made here with libzstd.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <zstd.h>

#include "ingest/reader.h"
#include "util/buf.h"

#define MAXREC 64

static char tmpdir[PATH_MAX];

/* Everything the reader handed out for one file. */
typedef struct got {
	int open_rc;
	int n;
	char *data[MAXREC];
	size_t len[MAXREC];
	long long line[MAXREC], off[MAXREC];
	int nlimit;
	long long limit_line[8];
	char limit_msg[512];
	int rc; /* 0 or the fatal code that ended the input */
	ac_err err;
	ac_container cont;
	uint64_t bytes_in;
	int64_t size;
} got;

static void path_for(char *path, const char *name)
{
	assert_true(snprintf(path, PATH_MAX, "%s/%s", tmpdir, name) < PATH_MAX);
}

static void put(char *path, const char *name, const void *data, size_t len)
{
	FILE *f;

	path_for(path, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void puts_file(char *path, const char *name, const char *text)
{
	put(path, name, text, strlen(text));
}

/* Append one zstd frame of src to b (optionally with a content checksum). */
static void add_frame(ac_buf *b, const void *src, size_t n, int checksum)
{
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	size_t bound = ZSTD_compressBound(n), z;

	assert_non_null(cc);
	assert_int_equal(ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, checksum)), 0);
	assert_int_equal(ac_buf_grow(b, bound), 0);
	z = ZSTD_compress2(cc, b->data + b->len, bound, src, n);
	assert_false(ZSTD_isError(z));
	b->len += z;
	ZSTD_freeCCtx(cc);
}

static void add_frame_s(ac_buf *b, const char *text)
{
	add_frame(b, text, strlen(text), 0);
}

static void add_be32(ac_buf *b, uint32_t v)
{
	unsigned char p[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
	                       (unsigned char)(v >> 8), (unsigned char)v };
	ac_buf_add(b, p, 4);
}

/* Append one framed message: u32be length + one zstd frame of text. Returns its offset. */
static size_t add_message(ac_buf *b, const char *text)
{
	ac_buf z = AC_BUF_INIT;
	size_t at = b->len;

	add_frame_s(&z, text);
	add_be32(b, (uint32_t)z.len);
	ac_buf_add(b, z.data, z.len);
	ac_buf_release(&z);
	return at;
}

/* Append a zstd frame holding text in one raw (stored) block, built by hand. */
static void add_raw_frame(ac_buf *b, const char *text)
{
	uint32_t n = (uint32_t)strlen(text), bh = 1 | n << 3; /* last block, raw, size n */
	unsigned char h[9] = { 0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x00, /* no size, 1 KiB window */
	                       (unsigned char)bh, (unsigned char)(bh >> 8), (unsigned char)(bh >> 16) };
	ac_buf_add(b, h, sizeof(h));
	ac_buf_add(b, text, n);
}

static void add_skippable(ac_buf *b, const char *payload)
{
	uint32_t n = (uint32_t)strlen(payload);
	unsigned char h[8] = { 0x50, 0x2A, 0x4D, 0x18, (unsigned char)n, (unsigned char)(n >> 8),
	                       (unsigned char)(n >> 16), (unsigned char)(n >> 24) };
	ac_buf_add(b, h, 8);
	ac_buf_add(b, payload, n);
}

static void got_free(got *g)
{
	for (int i = 0; i < g->n && i < MAXREC; i++)
		free(g->data[i]);
	g->n = 0;
}

/* Read the whole file; the reader must stay stopped after the end or a fatal error. */
static void read_all(got *g, const char *path, size_t max_record)
{
	ac_reader_opts opts = AC_READER_OPTS_INIT;
	ac_err err = AC_ERR_INIT;
	ac_reader *r = NULL;
	ac_record rec;
	int rc;

	memset(g, 0, sizeof(*g));
	if (max_record)
		opts.max_record = max_record;
	g->open_rc = ac_reader_open(&r, path, &opts, &err);
	if (g->open_rc) {
		assert_null(r);
		g->err = err;
		return;
	}
	g->cont = ac_reader_container(r);
	g->size = ac_reader_size(r);
	for (;;) {
		rc = ac_reader_next(r, &rec, &err);
		if (rc == 1 && g->n >= MAXREC) {
			g->n++; /* counted, not kept */
		} else if (rc == 1) {
			g->data[g->n] = malloc(rec.len + 1);
			assert_non_null(g->data[g->n]);
			memcpy(g->data[g->n], rec.data, rec.len);
			g->data[g->n][rec.len] = '\0';
			g->len[g->n] = rec.len;
			g->line[g->n] = rec.line;
			g->off[g->n] = rec.offset;
			g->n++;
		} else if (rc == AC_ELIMIT) {
			assert_true(g->nlimit < 8);
			assert_int_equal(err.code, AC_ELIMIT);
			g->limit_line[g->nlimit++] = err.line;
			snprintf(g->limit_msg, sizeof(g->limit_msg), "%s", err.msg);
		} else {
			g->rc = rc;
			if (rc)
				g->err = err;
			break;
		}
	}
	assert_int_equal(ac_reader_next(r, &rec, &err), 0);
	assert_int_equal(ac_reader_next(r, &rec, &err), 0);
	g->bytes_in = ac_reader_bytes_in(r);
	ac_reader_free(r);
}

static void assert_rec(const got *g, int i, const char *text, long long line)
{
	assert_true(i < g->n);
	assert_string_equal(g->data[i], text);
	assert_int_equal(g->len[i], strlen(text));
	assert_int_equal(g->line[i], line);
}

static void assert_has(const char *msg, const char *needle)
{
	if (!strstr(msg, needle))
		fail_msg("message \"%s\" lacks \"%s\"", msg, needle);
}

/* ---- plain ------------------------------------------------------------- */

static void test_plain_crlf_blank(void **state)
{
	char path[PATH_MAX];
	got g;
	const char *text = "{\"a\":1}\r\n\r\n  \t \n{\"b\":2}\r\n\n{\"c\":3}\n";

	(void)state;
	puts_file(path, "crlf.jsonl", text);
	read_all(&g, path, 0);
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.cont, AC_CONT_PLAIN);
	assert_string_equal(ac_container_name(g.cont), "plain");
	assert_int_equal(g.n, 3);
	assert_rec(&g, 0, "{\"a\":1}", 1);
	assert_rec(&g, 1, "{\"b\":2}", 4);
	assert_rec(&g, 2, "{\"c\":3}", 6);
	assert_int_equal(g.off[0], 0);
	assert_int_equal(g.off[1], 16);
	assert_int_equal(g.off[2], 26);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.nlimit, 0);
	assert_int_equal(g.size, (int64_t)strlen(text));
	assert_int_equal(g.bytes_in, strlen(text));
	got_free(&g);
}

static void test_plain_no_final_newline(void **state)
{
	char path[PATH_MAX];
	got g;

	(void)state;
	puts_file(path, "nofinal.jsonl", "{\"a\":1}\n{\"b\":2}");
	read_all(&g, path, 0);
	assert_int_equal(g.n, 2);
	assert_rec(&g, 0, "{\"a\":1}", 1);
	assert_rec(&g, 1, "{\"b\":2}", 2);
	assert_int_equal(g.off[1], 8);
	assert_int_equal(g.rc, 0);
	got_free(&g);

	puts_file(path, "nofinal_cr.jsonl", "\n\n{\"a\":1}\r\n{\"b\":2}\r");
	read_all(&g, path, 0);
	assert_int_equal(g.n, 2);
	assert_rec(&g, 0, "{\"a\":1}", 3);
	assert_rec(&g, 1, "{\"b\":2}", 4);
	got_free(&g);

	/* a UTF-8 byte order mark is not part of the first record */
	puts_file(path, "bom.jsonl", "\xEF\xBB\xBF{\"a\":1}\n");
	read_all(&g, path, 0);
	assert_int_equal(g.n, 1);
	assert_rec(&g, 0, "{\"a\":1}", 1);
	assert_int_equal(g.off[0], 3);
	got_free(&g);
}

/* ---- document mode ------------------------------------------------------ */

static void test_doc_one(void **state)
{
	char path[PATH_MAX];
	got g;

	(void)state;
	puts_file(path, "doc1.json", "\n{\n  \"a\": 1,\n  \"b\": [1, 2]\n}\n");
	read_all(&g, path, 0);
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.n, 1);
	assert_rec(&g, 0, "{\n  \"a\": 1,\n  \"b\": [1, 2]\n}", 2);
	assert_int_equal(g.off[0], 1);
	assert_int_equal(g.rc, 0);
	got_free(&g);
}

static void test_doc_two_tricky_strings(void **state)
{
	char path[PATH_MAX];
	got g;
	/* {"s": "a } ] \" {", "t": "\\", "u": "[[["} then {"v": {"w": "}"}} */
	const char *d1 = "{\n  \"s\": \"a } ] \\\" {\",\n  \"t\": \"\\\\\",\n  \"u\": \"[[[\"\n}";
	const char *d2 = "{\n  \"v\": {\"w\": \"}\"}\n}";
	char text[256];

	(void)state;
	snprintf(text, sizeof(text), "%s\n%s\n", d1, d2);
	puts_file(path, "doc2.json", text);
	read_all(&g, path, 0);
	assert_int_equal(g.n, 2);
	assert_rec(&g, 0, d1, 1);
	assert_rec(&g, 1, d2, 6);
	assert_int_equal(g.off[1], (long long)strlen(d1) + 1);
	assert_int_equal(g.rc, 0);
	got_free(&g);

	/* two documents touching on one line, then one that is not JSON */
	puts_file(path, "doc2b.json", "{\n\"a\": 1\n}{\n\"b\": 2\n}\n  oops\r\n");
	read_all(&g, path, 0);
	assert_int_equal(g.n, 3);
	assert_rec(&g, 0, "{\n\"a\": 1\n}", 1);
	assert_rec(&g, 1, "{\n\"b\": 2\n}", 3);
	assert_rec(&g, 2, "oops", 6);
	got_free(&g);

	/* braces inside a string on the first line must not close the value early */
	puts_file(path, "doc2c.json", "{\"k\": \"}}\",\n \"z\": 1\n}\n");
	read_all(&g, path, 0);
	assert_int_equal(g.n, 1);
	assert_rec(&g, 0, "{\"k\": \"}}\",\n \"z\": 1\n}", 1);
	got_free(&g);

	/* an unclosed last document is handed out for the parser to report */
	puts_file(path, "doc2d.json", "{\n\"a\": 1\n}\n{\n\"b\": \n");
	read_all(&g, path, 0);
	assert_int_equal(g.n, 2);
	assert_rec(&g, 1, "{\n\"b\": \n", 4);
	assert_int_equal(g.rc, 0);
	got_free(&g);
}

static void test_doc_array(void **state)
{
	char path[PATH_MAX];
	got g;

	(void)state;
	puts_file(path, "arr.json", "[\n  {\"a\": 1},\n  {\"b\": 2}\n]\n");
	read_all(&g, path, 0);
	assert_int_equal(g.n, 1);
	assert_rec(&g, 0, "[\n  {\"a\": 1},\n  {\"b\": 2}\n]", 1);
	got_free(&g);

	/* arrays that close on their line: line mode */
	puts_file(path, "arr_lines.json", "[{\"a\":1},{\"b\":2}]\n[{\"c\":3}]\n");
	read_all(&g, path, 0);
	assert_int_equal(g.n, 2);
	assert_rec(&g, 0, "[{\"a\":1},{\"b\":2}]", 1);
	assert_rec(&g, 1, "[{\"c\":3}]", 2);
	got_free(&g);
}

/* ---- zstd stream -------------------------------------------------------- */

static void test_zstd_single(void **state)
{
	char path[PATH_MAX];
	ac_buf b = AC_BUF_INIT;
	got g;

	(void)state;
	add_frame_s(&b, "{\"a\":1}\n\n{\"b\":2}\r\n{\"c\":3}\n");
	put(path, "one.zst", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.cont, AC_CONT_ZSTD);
	assert_string_equal(ac_container_name(g.cont), "zstd");
	assert_int_equal(g.n, 3);
	assert_rec(&g, 0, "{\"a\":1}", 1);
	assert_rec(&g, 1, "{\"b\":2}", 3);
	assert_rec(&g, 2, "{\"c\":3}", 4);
	assert_int_equal(g.off[2], 18);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.bytes_in, b.len);
	got_free(&g);
	ac_buf_release(&b);
}

static void test_zstd_frames_split_line(void **state)
{
	char path[PATH_MAX];
	ac_buf b = AC_BUF_INIT;
	got g;
	const char *text = "{\"a\":1}\n{\"bb\":\"split here\"}\n{\"c\":3}\n";
	size_t cut = 14; /* inside the second line */

	(void)state;
	add_frame(&b, text, cut, 0);
	add_frame(&b, text + cut, strlen(text) - cut, 1);
	put(path, "split.zst", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.n, 3);
	assert_rec(&g, 0, "{\"a\":1}", 1);
	assert_rec(&g, 1, "{\"bb\":\"split here\"}", 2);
	assert_rec(&g, 2, "{\"c\":3}", 3);
	assert_int_equal(g.off[1], 8);
	assert_int_equal(g.rc, 0);
	got_free(&g);
	ac_buf_release(&b);

	/* a pretty document split over three frames */
	const char *doc = "{\n  \"a\": \"x}\",\n  \"b\": 2\n}\n";
	add_frame(&b, doc, 3, 0);
	add_frame(&b, doc + 3, 10, 0);
	add_frame(&b, doc + 13, strlen(doc) - 13, 0);
	put(path, "splitdoc.zst", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.n, 1);
	assert_rec(&g, 0, "{\n  \"a\": \"x}\",\n  \"b\": 2\n}", 1);
	got_free(&g);
	ac_buf_release(&b);
}

static void test_zstd_skippable(void **state)
{
	char path[PATH_MAX];
	ac_buf b = AC_BUF_INIT;
	got g;

	(void)state;
	add_skippable(&b, "metadata that is not JSON");
	add_frame_s(&b, "{\"a\":1}\n{\"b\":");
	add_skippable(&b, "");
	add_skippable(&b, "more\n{}");
	add_frame_s(&b, "2}\n");
	put(path, "skip.zst", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.cont, AC_CONT_ZSTD);
	assert_int_equal(g.n, 2);
	assert_rec(&g, 0, "{\"a\":1}", 1);
	assert_rec(&g, 1, "{\"b\":2}", 2);
	assert_int_equal(g.rc, 0);
	got_free(&g);
	ac_buf_release(&b);
}

static void test_zstd_truncated(void **state)
{
	char path[PATH_MAX];
	ac_buf b = AC_BUF_INIT, text = AC_BUF_INIT;
	got g;

	(void)state;
	/* a compressed block is decoded only whole: nothing of frame 2 comes out */
	add_frame_s(&b, "{\"a\":1}\n{\"b\":2}\n{\"par");
	ac_buf_adds(&text, "tial\":3}\n");
	for (int i = 0; i < 50; i++)
		ac_buf_adds(&text, "{\"d\":4}\n");
	add_frame_s(&b, text.data);
	b.len -= 5;
	put(path, "trunc.zst", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.n, 2); /* the cut-off third line is not handed out */
	assert_rec(&g, 0, "{\"a\":1}", 1);
	assert_rec(&g, 1, "{\"b\":2}", 2);
	assert_int_equal(g.rc, AC_EZSTD);
	assert_int_equal(g.err.code, AC_EZSTD);
	assert_int_equal(g.err.offset, (long long)b.len);
	assert_has(g.err.msg, "truncated zstd frame at byte");
	got_free(&g);
	ac_buf_release(&b);
	ac_buf_release(&text);

	/* a raw block streams out as it arrives: lines completed before the cut
	   are handed out, the one cut in half is not */
	add_frame_s(&b, "{\"a\":1}\n{\"b\":2}\n{\"par");
	add_raw_frame(&b, "tial\":3}\n{\"d\":4}\n");
	b.len -= 5;
	put(path, "trunc_raw.zst", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.n, 3);
	assert_rec(&g, 2, "{\"partial\":3}", 3);
	assert_int_equal(g.rc, AC_EZSTD);
	assert_int_equal(g.err.offset, (long long)b.len);
	got_free(&g);
	ac_buf_release(&b);

	/* the file ends right after a frame's magic */
	add_frame_s(&b, "{\"a\":1}\n");
	ac_buf_add(&b, "\x28\xB5\x2F\xFD", 4);
	put(path, "trunc2.zst", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rc, AC_EZSTD);
	assert_int_equal(g.err.offset, (long long)b.len);
	got_free(&g);
	ac_buf_release(&b);
}

/* n lines of about 100 bytes; line i holds "i":i */
static void add_lines(ac_buf *b, int first, int n)
{
	for (int i = first; i < first + n; i++)
		ac_buf_printf(b, "{\"i\":%d,\"pad\":\"%0*d\"}\n", i, 80, i * 7919 % 100000);
}

static void test_zstd_corrupt(void **state)
{
	char path[PATH_MAX];
	ac_buf text = AC_BUF_INIT, b = AC_BUF_INIT;
	size_t frame2, bad;
	got g;

	(void)state;
	add_frame_s(&b, "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
	frame2 = b.len;
	add_lines(&text, 1, 20000); /* ~2 MB: many zstd blocks */
	add_frame(&b, text.data, text.len, 1);
	bad = frame2 + (b.len - frame2) / 2;
	b.data[bad] = (char)(b.data[bad] ^ 0x5a);
	put(path, "corrupt.zst", b.data, b.len);

	ac_reader *r = NULL;
	ac_err err = AC_ERR_INIT;
	ac_reader_opts opts = AC_READER_OPTS_INIT;
	ac_record rec;
	int rc, n = 0;
	assert_int_equal(ac_reader_open(&r, path, &opts, &err), 0);
	while ((rc = ac_reader_next(r, &rec, &err)) == 1) {
		if (n == 0)
			assert_true(rec.len == 7 && memcmp(rec.data, "{\"a\":1}", 7) == 0);
		if (n == 2)
			assert_true(rec.len == 7 && memcmp(rec.data, "{\"c\":3}", 7) == 0);
		n++;
	}
	assert_true(n >= 3);
	assert_int_equal(rc, AC_EZSTD);
	assert_has(err.msg, "corrupt zstd data at byte");
	/* placed at the start of the block that failed: after frame 2 starts, and
	   no later than the corrupt byte (a block is at most 128 KiB) */
	assert_true(err.offset >= (long long)frame2);
	assert_true(err.offset <= (long long)bad);
	assert_true(err.offset > (long long)bad - (128 << 10));
	assert_int_equal(ac_reader_next(r, &rec, &err), 0);
	ac_reader_free(r);
	ac_buf_release(&b);
	ac_buf_release(&text);

	/* garbage after a good frame */
	add_frame_s(&b, "{\"a\":1}\n");
	frame2 = b.len;
	ac_buf_adds(&b, "garbage!");
	put(path, "garbage.zst", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rc, AC_EZSTD);
	assert_int_equal(g.err.offset, (long long)frame2);
	got_free(&g);
	ac_buf_release(&b);
}

/* ---- zstd-framed (the exporter's json + zstd default) ------------------- */

static void test_framed_three(void **state)
{
	char path[PATH_MAX];
	ac_buf b = AC_BUF_INIT;
	size_t at[3];
	got g;

	(void)state;
	at[0] = add_message(&b, "{\"resourceSpans\":[1]}");
	at[1] = add_message(&b, "{\"b\":1}\n{\"b\":2}\n");
	at[2] = add_message(&b, "  {\"resourceSpans\":[3]}");
	put(path, "framed.bin", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.cont, AC_CONT_ZSTD_FRAMED);
	assert_string_equal(ac_container_name(g.cont), "zstd-framed");
	assert_int_equal(g.n, 4);
	assert_rec(&g, 0, "{\"resourceSpans\":[1]}", 1);
	assert_rec(&g, 1, "{\"b\":1}", 2);
	assert_rec(&g, 2, "{\"b\":2}", 2);
	assert_rec(&g, 3, "{\"resourceSpans\":[3]}", 3);
	assert_int_equal(g.off[0], (long long)at[0]);
	assert_int_equal(g.off[1], (long long)at[1]);
	assert_int_equal(g.off[2], (long long)at[1]);
	assert_int_equal(g.off[3], (long long)at[2]);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.bytes_in, b.len);
	got_free(&g);
	ac_buf_release(&b);
}

static void test_framed_prefix_past_eof(void **state)
{
	char path[PATH_MAX];
	ac_buf b = AC_BUF_INIT;
	size_t at3;
	got g;

	(void)state;
	add_message(&b, "{\"a\":1}");
	add_message(&b, "{\"b\":2}");
	at3 = b.len;
	add_be32(&b, 1000);
	ac_buf_add(&b, "\x28\xB5\x2F\xFD" "abcdef", 10);
	put(path, "pasteof.bin", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.n, 2);
	assert_rec(&g, 1, "{\"b\":2}", 2);
	assert_int_equal(g.rc, AC_EZSTD);
	assert_int_equal(g.err.offset, (long long)at3);
	assert_int_equal(g.err.line, 3);
	assert_has(g.err.msg, "truncated message at byte");
	assert_has(g.err.msg, "length prefix says 1000 bytes, only 10 remain");
	got_free(&g);
	ac_buf_release(&b);

	/* a length prefix cut short */
	add_message(&b, "{\"a\":1}");
	ac_buf_add(&b, "\0\0", 2);
	put(path, "shortprefix.bin", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rc, AC_EZSTD);
	assert_int_equal(g.err.offset, (long long)b.len - 2);
	got_free(&g);
	ac_buf_release(&b);
}

static void test_framed_wrong_prefix(void **state)
{
	char path[PATH_MAX];
	ac_buf b = AC_BUF_INIT;
	size_t at2;
	uint32_t L;
	got g;

	(void)state;
	/* prefix too long: the frame ends before the message does */
	add_message(&b, "{\"a\":1}");
	at2 = add_message(&b, "{\"b\":2}");
	add_message(&b, "{\"c\":3}");
	L = (uint32_t)((unsigned char)b.data[at2 + 2] << 8 | (unsigned char)b.data[at2 + 3]);
	b.data[at2 + 3] = (char)(L + 7);
	put(path, "long.bin", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rc, AC_EZSTD);
	assert_int_equal(g.err.line, 2);
	assert_int_equal(g.err.offset, (long long)(at2 + 4 + L));
	assert_has(g.err.msg, "bad length prefix");
	got_free(&g);

	/* prefix too short: the frame does not end within the message */
	b.data[at2 + 3] = (char)(L - 3);
	put(path, "short.bin", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rc, AC_EZSTD);
	assert_int_equal(g.err.line, 2);
	assert_int_equal(g.err.offset, (long long)(at2 + 4 + L - 3));
	assert_has(g.err.msg, "bad length prefix");
	got_free(&g);
	ac_buf_release(&b);

	/* bytes after the prefix that are not a zstd frame */
	add_message(&b, "{\"a\":1}");
	at2 = b.len;
	add_be32(&b, 11);
	ac_buf_add(&b, "hello world", 11);
	put(path, "notframe.bin", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rc, AC_EZSTD);
	assert_int_equal(g.err.offset, (long long)at2 + 4);
	assert_has(g.err.msg, "not a zstd frame");
	got_free(&g);
	ac_buf_release(&b);

	/* a zero length */
	add_message(&b, "{\"a\":1}");
	add_be32(&b, 0);
	add_message(&b, "{\"a\":1}");
	put(path, "zero.bin", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rc, AC_EZSTD);
	got_free(&g);
	ac_buf_release(&b);
}

static void test_framed_protobuf(void **state)
{
	char path[PATH_MAX];
	ac_buf b = AC_BUF_INIT;
	/* ExportTraceServiceRequest: field 1 (resource_spans), length-delimited */
	const char pb[] = "\x0a\x0e\x0a\x0c\x12\x0a\x0a\x08service1";
	got g;

	(void)state;
	add_message(&b, "{\"a\":1}");
	ac_buf z = AC_BUF_INIT;
	add_frame(&z, pb, sizeof(pb) - 1, 0);
	add_be32(&b, (uint32_t)z.len);
	ac_buf_add(&b, z.data, z.len);
	ac_buf_release(&z);
	put(path, "pb.bin", b.data, b.len);
	read_all(&g, path, 0);
	/* format: proto with zstd: the frame's protobuf message is a record
	 * (flagged ac_record.proto; see tests/unit/test_otlp_pb.c) */
	assert_int_equal(g.n, 2);
	assert_int_equal(g.rc, 0);
	got_free(&g);
	ac_buf_release(&b);
}

/* ---- not JSON, empty ---------------------------------------------------- */

static void test_plain_not_json(void **state)
{
	char path[PATH_MAX];
	ac_buf b = AC_BUF_INIT;
	const char pb[] = "\x00\x00\x00\x0e\x0a\x0c\x0a\x0a\x12\x08service1";
	got g;

	(void)state;
	put(path, "pb.bin", pb, sizeof(pb) - 1);
	read_all(&g, path, 0);
	/* length-prefixed OTLP protobuf is read (tests/unit/test_otlp_pb.c) */
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.n, 1);
	got_free(&g);
	/* gzip is not */
	put(path, "gz.bin", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
	read_all(&g, path, 0);
	assert_int_equal(g.open_rc, AC_EFORMAT);
	assert_has(g.err.msg, "gzip data, not JSON");

	/* text that does not open with JSON is read as lines (each reported by
	 * the parser), so valid lines after a header survive */
	puts_file(path, "text.txt", "\n  meh, not json\n{\"a\":1}\n");
	read_all(&g, path, 0);
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.line[0], 2);
	assert_int_equal(g.line[1], 3);
	got_free(&g);

	/* zstd stream whose content is protobuf (format: proto with native compression) */
	add_frame(&b, pb, sizeof(pb) - 1, 0);
	put(path, "pb.zst", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.n, 1);
	got_free(&g);
	ac_buf_release(&b);

	path_for(path, "does-not-exist.jsonl");
	read_all(&g, path, 0);
	assert_int_equal(g.open_rc, AC_EIO);
	assert_has(g.err.msg, "cannot open");

	read_all(&g, tmpdir, 0);
	assert_int_equal(g.open_rc, AC_EIO);
}

static void test_empty(void **state)
{
	char path[PATH_MAX];
	ac_buf b = AC_BUF_INIT;
	got g;

	(void)state;
	put(path, "empty.jsonl", "", 0);
	read_all(&g, path, 0);
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.cont, AC_CONT_PLAIN);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.size, 0);

	puts_file(path, "ws.jsonl", " \n\t\r\n  \n");
	read_all(&g, path, 0);
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.rc, 0);

	add_frame(&b, "", 0, 0);
	add_frame_s(&b, "\n\n");
	put(path, "empty.zst", b.data, b.len);
	read_all(&g, path, 0);
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.cont, AC_CONT_ZSTD);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.rc, 0);
	ac_buf_release(&b);
}

/* ---- the record size limit ---------------------------------------------- */

static void test_over_limit(void **state)
{
	char path[PATH_MAX];
	ac_buf b = AC_BUF_INIT;
	got g;

	(void)state;
	ac_buf_adds(&b, "{\"a\":1}\n{\"x\":\"");
	for (int i = 0; i < 200; i++)
		ac_buf_addc(&b, 'x');
	ac_buf_adds(&b, "\"}\n{\"b\":2}\n{\"y\":\"");
	for (int i = 0; i < 100; i++)
		ac_buf_addc(&b, 'y');
	ac_buf_adds(&b, "\"}");
	put(path, "limit.jsonl", b.data, b.len);
	read_all(&g, path, 64);
	assert_int_equal(g.n, 2);
	assert_rec(&g, 0, "{\"a\":1}", 1);
	assert_rec(&g, 1, "{\"b\":2}", 3);
	assert_int_equal(g.nlimit, 2);
	assert_int_equal(g.limit_line[0], 2);
	assert_int_equal(g.limit_line[1], 4);
	assert_has(g.limit_msg, "line longer than 64 bytes (limit; raise it with --max-record), skipped");
	assert_int_equal(g.rc, 0);
	got_free(&g);
	ac_buf_release(&b);

	/* first line over the limit, and one longer than a read chunk */
	ac_buf_adds(&b, "{\"x\":\"");
	for (int i = 0; i < 100; i++)
		ac_buf_addc(&b, 'x');
	ac_buf_adds(&b, "\"}\r\n{\"a\":1}\n{\"big\":\"");
	assert_int_equal(ac_buf_grow(&b, 3 << 20), 0);
	memset(b.data + b.len, 'z', 3 << 20);
	b.len += 3 << 20;
	ac_buf_adds(&b, "\"}\n\n{\"b\":2}\n");
	put(path, "limit2.jsonl", b.data, b.len);
	read_all(&g, path, 64);
	assert_int_equal(g.n, 2);
	assert_rec(&g, 0, "{\"a\":1}", 2);
	assert_rec(&g, 1, "{\"b\":2}", 5);
	assert_int_equal(g.nlimit, 2);
	assert_int_equal(g.limit_line[0], 1);
	assert_int_equal(g.limit_line[1], 3);
	got_free(&g);

	/* the same, zstd-compressed */
	ac_buf z = AC_BUF_INIT;
	add_frame(&z, b.data, b.len, 0);
	put(path, "limit2.zst", z.data, z.len);
	read_all(&g, path, 64);
	assert_int_equal(g.n, 2);
	assert_rec(&g, 1, "{\"b\":2}", 5);
	assert_int_equal(g.nlimit, 2);
	assert_int_equal(g.limit_line[1], 3);
	got_free(&g);
	ac_buf_release(&z);
	ac_buf_release(&b);

	/* document mode */
	ac_buf_adds(&b, "{\n  \"a\": 1\n}\n{\n  \"x\": \"");
	for (int i = 0; i < 100; i++)
		ac_buf_addc(&b, 'x');
	ac_buf_adds(&b, "\"\n}\n{\n  \"b\": 2\n}\n");
	put(path, "limitdoc.json", b.data, b.len);
	read_all(&g, path, 64);
	assert_int_equal(g.n, 2);
	assert_rec(&g, 0, "{\n  \"a\": 1\n}", 1);
	assert_rec(&g, 1, "{\n  \"b\": 2\n}", 7);
	assert_int_equal(g.nlimit, 1);
	assert_int_equal(g.limit_line[0], 4);
	got_free(&g);
	ac_buf_release(&b);

	/* a framed message over the limit once decompressed */
	ac_buf big = AC_BUF_INIT;
	ac_buf_adds(&big, "{\"x\":\"");
	for (int i = 0; i < 200; i++)
		ac_buf_addc(&big, 'x');
	ac_buf_adds(&big, "\"}");
	add_message(&b, "{\"a\":1}");
	add_message(&b, big.data);
	add_message(&b, "{\"b\":2}");
	put(path, "limit.framed", b.data, b.len);
	read_all(&g, path, 64);
	assert_int_equal(g.n, 2);
	assert_rec(&g, 0, "{\"a\":1}", 1);
	assert_rec(&g, 1, "{\"b\":2}", 3);
	assert_int_equal(g.nlimit, 1);
	assert_int_equal(g.limit_line[0], 2);
	assert_int_equal(g.rc, 0);
	got_free(&g);
	ac_buf_release(&big);
	ac_buf_release(&b);
}

/* ---- chunk boundaries, large inputs, memory ----------------------------- */

/* Read every record, checking "i":n runs 1, 2, 3, ...; returns the count. */
static long count_seq(const char *path, long long *big_len, ac_container *cont)
{
	ac_reader_opts opts = AC_READER_OPTS_INIT;
	ac_err err = AC_ERR_INIT;
	ac_reader *r = NULL;
	ac_record rec;
	long n = 0;
	int rc;

	assert_int_equal(ac_reader_open(&r, path, &opts, &err), 0);
	if (cont)
		*cont = ac_reader_container(r);
	while ((rc = ac_reader_next(r, &rec, &err)) == 1) {
		if (rec.len > 100000) {
			if (big_len)
				*big_len = (long long)rec.len;
			continue;
		}
		char want[32];
		int k = snprintf(want, sizeof(want), "{\"i\":%ld,", n + 1);
		if (rec.len < (size_t)k || memcmp(rec.data, want, (size_t)k) != 0)
			fail_msg("record %ld: %.*s", n + 1, (int)(rec.len < 60 ? rec.len : 60), rec.data);
		n++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(ac_reader_bytes_in(r), (uint64_t)ac_reader_size(r));
	ac_reader_free(r);
	return n;
}

static void test_chunk_straddle(void **state)
{
	char path[PATH_MAX];
	ac_buf b = AC_BUF_INIT, z = AC_BUF_INIT;
	long long big = 0;

	(void)state;
	/* ~5 MB of ~100-byte lines: records straddle every 1 MiB read */
	add_lines(&b, 1, 50000);
	put(path, "many.jsonl", b.data, b.len);
	assert_int_equal(count_seq(path, NULL, NULL), 50000);
	add_frame(&z, b.data, b.len, 0);
	put(path, "many.zst", z.data, z.len);
	assert_int_equal(count_seq(path, NULL, NULL), 50000);
	ac_buf_release(&z);
	ac_buf_release(&b);

	/* one record three times the read chunk, between short ones */
	add_lines(&b, 1, 3);
	ac_buf_adds(&b, "{\"big\":\"");
	assert_int_equal(ac_buf_grow(&b, 3 << 20), 0);
	memset(b.data + b.len, 'q', 3 << 20);
	b.len += 3 << 20;
	ac_buf_adds(&b, "\"}\r\n");
	add_lines(&b, 4, 3);
	put(path, "bigline.jsonl", b.data, b.len);
	assert_int_equal(count_seq(path, &big, NULL), 6);
	assert_int_equal(big, (3 << 20) + 10);
	big = 0;
	add_frame(&z, b.data, b.len / 2, 0);
	add_frame(&z, b.data + b.len / 2, b.len - b.len / 2, 0);
	put(path, "bigline.zst", z.data, z.len);
	assert_int_equal(count_seq(path, &big, NULL), 6);
	assert_int_equal(big, (3 << 20) + 10);
	ac_buf_release(&z);
	ac_buf_release(&b);
}

static long max_rss_kb(void)
{
	struct rusage ru;

	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

/* Write ~mb MB of ~1 KB lines to path, plain or as one zstd stream. */
static void write_large(const char *path, int mb, int compress, long *lines)
{
	FILE *f = fopen(path, "wb");
	ZSTD_CCtx *cc = compress ? ZSTD_createCCtx() : NULL;
	size_t zcap = ZSTD_CStreamOutSize();
	char *zbuf = malloc(zcap);
	char line[1200], pad[1001];
	long n = 0;
	size_t total = 0;

	assert_non_null(f);
	assert_non_null(zbuf);
	memset(pad, 'p', 1000);
	pad[1000] = '\0';
	while (total < (size_t)mb << 20) {
		n++;
		int k = snprintf(line, sizeof(line), "{\"i\":%ld,\"pad\":\"%.*s\"}\n", n,
		                 (int)(900 + n % 200), pad);
		total += (size_t)k;
		if (!cc) {
			assert_int_equal(fwrite(line, 1, (size_t)k, f), (size_t)k);
			continue;
		}
		ZSTD_inBuffer in = { line, (size_t)k, 0 };
		while (in.pos < in.size) {
			ZSTD_outBuffer out = { zbuf, zcap, 0 };
			assert_false(ZSTD_isError(ZSTD_compressStream2(cc, &out, &in, ZSTD_e_continue)));
			assert_int_equal(fwrite(zbuf, 1, out.pos, f), out.pos);
		}
	}
	if (cc) {
		size_t left;
		do {
			ZSTD_inBuffer in = { NULL, 0, 0 };
			ZSTD_outBuffer out = { zbuf, zcap, 0 };
			left = ZSTD_compressStream2(cc, &out, &in, ZSTD_e_end);
			assert_false(ZSTD_isError(left));
			assert_int_equal(fwrite(zbuf, 1, out.pos, f), out.pos);
		} while (left);
	}
	assert_int_equal(fclose(f), 0);
	ZSTD_freeCCtx(cc);
	free(zbuf);
	*lines = n;
}

static void test_large_bounded_memory(void **state)
{
	char path[PATH_MAX];
	struct stat st;
	long lines;
	long rss0, rss1;
	ac_container cont;

	(void)state;
	path_for(path, "large.jsonl");
	write_large(path, 50, 0, &lines);
	assert_int_equal(stat(path, &st), 0);
	rss0 = max_rss_kb();
	assert_int_equal(count_seq(path, NULL, &cont), lines);
	rss1 = max_rss_kb();
	assert_int_equal(cont, AC_CONT_PLAIN);
	unlink(path);
	/* the file is ~50 MB; the reader holds a few MiB at most */
	if (rss1 - rss0 > 16 * 1024)
		fail_msg("max RSS grew by %ld KiB reading a %lld-byte file", rss1 - rss0,
		         (long long)st.st_size);

	path_for(path, "large.zst");
	write_large(path, 50, 1, &lines);
	rss0 = max_rss_kb();
	assert_int_equal(count_seq(path, NULL, &cont), lines);
	rss1 = max_rss_kb();
	assert_int_equal(cont, AC_CONT_ZSTD);
	unlink(path);
	if (rss1 - rss0 > 16 * 1024)
		fail_msg("max RSS grew by %ld KiB reading 50 MB of zstd content", rss1 - rss0);
}

/* ---- standard input ----------------------------------------------------- */

/* Feed data to fd 0 through a pipe from a child process, and read "-". */
static void read_stdin(got *g, const void *data, size_t len)
{
	int p[2], saved = dup(STDIN_FILENO), status;
	pid_t pid;

	assert_true(saved >= 0);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const char *s = data;
		close(p[0]);
		while (len > 0) {
			ssize_t n = write(p[1], s, len);
			if (n <= 0)
				_exit(1);
			s += n;
			len -= (size_t)n;
		}
		_exit(0);
	}
	close(p[1]);
	assert_true(dup2(p[0], STDIN_FILENO) >= 0);
	close(p[0]);
	read_all(g, "-", 0);
	assert_true(dup2(saved, STDIN_FILENO) >= 0);
	close(saved);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_stdin_pipe(void **state)
{
	ac_buf b = AC_BUF_INIT, z = AC_BUF_INIT;
	got g;

	(void)state;
	/* more than a pipe buffer, so reads come back short */
	add_lines(&b, 1, 3000);
	read_stdin(&g, b.data, b.len);
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.cont, AC_CONT_PLAIN);
	assert_int_equal(g.size, -1);
	assert_int_equal(g.n, 3000);
	assert_rec(&g, 63, "{\"i\":64,\"pad\":\"00000000000000000000000000000000000000000000000000000000000000000000000000006816\"}", 64);
	assert_int_equal(g.bytes_in, b.len);
	got_free(&g);
	ac_buf_release(&b);

	add_lines(&b, 1, 5000);
	add_frame(&z, b.data, b.len, 0);
	read_stdin(&g, z.data, z.len);
	assert_int_equal(g.open_rc, 0);
	assert_int_equal(g.cont, AC_CONT_ZSTD);
	assert_int_equal(g.size, -1);
	assert_int_equal(g.bytes_in, z.len);
	assert_int_equal(g.n, 5000);
	assert_int_equal(g.rc, 0);
	got_free(&g);
	ac_buf_release(&z);
	ac_buf_release(&b);

	/* framed, the last message cut short: only found out at end of input */
	add_message(&b, "{\"a\":1}");
	add_message(&b, "{\"b\":2}");
	b.len -= 3;
	read_stdin(&g, b.data, b.len);
	assert_int_equal(g.cont, AC_CONT_ZSTD_FRAMED);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rc, AC_EZSTD);
	assert_int_equal(g.err.line, 2);
	assert_has(g.err.msg, "truncated message at byte");
	got_free(&g);
	ac_buf_release(&b);
}

/* ---- setup --------------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s", "/tmp/test_reader.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_crlf_blank),
		cmocka_unit_test(test_plain_no_final_newline),
		cmocka_unit_test(test_doc_one),
		cmocka_unit_test(test_doc_two_tricky_strings),
		cmocka_unit_test(test_doc_array),
		cmocka_unit_test(test_zstd_single),
		cmocka_unit_test(test_zstd_frames_split_line),
		cmocka_unit_test(test_zstd_skippable),
		cmocka_unit_test(test_zstd_truncated),
		cmocka_unit_test(test_zstd_corrupt),
		cmocka_unit_test(test_framed_three),
		cmocka_unit_test(test_framed_prefix_past_eof),
		cmocka_unit_test(test_framed_wrong_prefix),
		cmocka_unit_test(test_framed_protobuf),
		cmocka_unit_test(test_plain_not_json),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_over_limit),
		cmocka_unit_test(test_chunk_straddle),
		cmocka_unit_test(test_large_bounded_memory),
		cmocka_unit_test(test_stdin_pipe),
	};
	return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
