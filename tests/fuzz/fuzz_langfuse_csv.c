/*
 * libFuzzer harness: Langfuse CSV rows (ac_parse_csv_record, fmt_langfuse.c),
 * the CSV path that does not go through ac_parse_record. The input is split
 * into records at newlines, as the reader's CSV mode would hand them out
 * (quoted newlines aside): the first is the header, the rest rows, with the
 * header state kept between them. Every emitted span is touched so that ASan
 * sees any bad slice.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ingest/parse.h"

static int on_span(ac_span *sp, void *payload)
{
	size_t *sum = payload;
	for (int f = 0; f < AC_F_COUNT; f++)
		for (size_t i = 0; i < sp->str[f].n; i++)
			*sum += (unsigned char)sp->str[f].p[i];
	for (size_t i = 0; i < sp->name.n; i++)
		*sum += (unsigned char)sp->name.p[i];
	for (size_t i = 0; i < sp->raw.n; i++)
		*sum += (unsigned char)sp->raw.p[i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ac_json j = AC_JSON_INIT;
	ac_csv_rows *st = NULL;
	const char *p = (const char *)data, *end = p + size;
	size_t sum = 0;
	long long line = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		ac_err err = AC_ERR_INIT;
		int kind = 0;
		ac_parse_csv_record(&st, &j, p, n, ++line, &kind, on_span, &sum, &err);
		p += n + (nl != NULL);
	}
	ac_csv_rows_free(st);
	return 0;
}
