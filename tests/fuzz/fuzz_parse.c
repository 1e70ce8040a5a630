/*
 * libFuzzer harness: one JSON record through the OTLP / flat JSONL parsers
 * (src/ingest/parse.h), as ingest feeds them. Every emitted span is touched
 * so that ASan sees any bad slice.
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
	ac_err err = AC_ERR_INIT;
	size_t sum = 0;
	int kind = 0;
	ac_parse_record(&j, (const char *)data, size, 1, &kind, on_span, &sum, &err);
	return 0;
}
