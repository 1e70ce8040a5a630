/*
 * agentcost show SPAN_ID | TRACE_ID:SPAN_ID
 * Prints the span exactly as ingested (its original JSON text, kept
 * zstd-compressed in raw_block), for forensics. A span ingested from OTLP
 * protobuf keeps its Span message's bytes: it is printed as OTLP JSON
 * rendered from those bytes (ac_pb_span_json), every field included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "cli.h"
#include "ingest/otlp_pb.h"
#include "util/buf.h"
#include "util/hex.h"

/* The original as text: JSON as kept, a protobuf Span message as OTLP JSON.
 * JSON never opens with a protobuf Span's first key (a '{' would be field 15
 * as a start-group), so a well-formed Span message is told apart by its bytes. */
static void print_original(const char *p, size_t n)
{
	if (n > 0 && p[0] != '{' && p[0] != '[') {
		ac_buf o = AC_BUF_INIT;
		if (ac_pb_span_json(&o, (const unsigned char *)p, n) == 0 && !o.oom) {
			fwrite(o.data, 1, o.len, stdout);
			putchar('\n');
			ac_buf_release(&o);
			return;
		}
		ac_buf_release(&o);
	}
	fwrite(p, 1, n, stdout);
	putchar('\n');
}

/* Print bytes [off, off+len) of a compressed block. */
static int print_raw(const void *z, size_t zn, long long off, long long len)
{
	unsigned long long size = ZSTD_getFrameContentSize(z, zn);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    (unsigned long long)(off + len) > size)
		return -1;
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return -1;
	size_t n = ZSTD_decompress(buf, size, z, zn);
	if (ZSTD_isError(n) || n != size) {
		free(buf);
		return -1;
	}
	print_original(buf + off, (size_t)len);
	free(buf);
	return 0;
}

int cmd_show(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	unsigned char trace[16], span[8];
	int with_trace = 0;
	if (argc != 2) {
		fprintf(stderr, "usage: agentcost show SPAN_ID|TRACE_ID:SPAN_ID\n");
		return EXIT_USAGE;
	}
	const char *arg = argv[1];
	const char *colon = strchr(arg, ':');
	if (colon) {
		char t[40];
		size_t tn = (size_t)(colon - arg);
		if (tn >= sizeof(t)) {
			cli_error("show: trace id is not 32 hex digits");
			return EXIT_USAGE;
		}
		memcpy(t, arg, tn);
		t[tn] = '\0';
		if (ac_unhex(t, strlen(t), trace, 16)) {
			cli_error("show: trace id is not 32 hex digits");
			return EXIT_USAGE;
		}
		with_trace = 1;
		arg = colon + 1;
	}
	if (ac_unhex(arg, strlen(arg), span, 8)) {
		cli_error("show: span id is not 16 hex digits: '%s'", arg);
		return EXIT_USAGE;
	}
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	ac_rows *st = NULL;
	ac_err err = AC_ERR_INIT;
	int status = EXIT_OK, found = 0;
	if (ac_store_rows(s, "span_raw.sql", 0, 0, NULL, AC_ROWS_PLAIN, &st, &err)) {
		cli_error("show: %s", err.msg);
		ac_store_close(s);
		return EXIT_FAIL;
	}
	ac_rows_bind_blob(st, 1, span, 8);
	if (with_trace)
		ac_rows_bind_blob(st, 2, trace, 16);
	while (ac_rows_next(st, &err) == 1) {
		found++;
		if (ac_rows_null(st, 2)) {
			cli_error("show: span %s of trace %s: original not kept (ingested with --no-raw)",
			          arg, ac_rows_text(st, 3));
			status = EXIT_FAIL;
			continue;
		}
		size_t zn;
		const void *z = ac_rows_blob(st, 2, &zn);
		if (print_raw(z, zn, ac_rows_int(st, 0), ac_rows_int(st, 1))) {
			cli_error("show: the stored original of span %s is damaged", arg);
			status = EXIT_FAIL;
		}
	}
	ac_rows_free(st);
	if (!found) {
		cli_error("show: no span %s in %s", argv[1], co.db);
		status = EXIT_FAIL;
	}
	ac_store_close(s);
	return status;
}
