/*
 * libFuzzer harness: one OTLP protobuf message through the wire decoder
 * (src/ingest/otlp_pb.h), as ingest feeds it, then every emitted span's
 * original bytes through the JSON renderer `agentcost show` uses. Every
 * emitted slice is touched so that ASan sees any bad one.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/otlp_pb.h"

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
	ac_buf o = AC_BUF_INIT;
	if (ac_pb_span_json(&o, (const uint8_t *)sp->raw.p, sp->raw.n) == 0)
		*sum += o.len;
	ac_buf_release(&o);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ac_err err = AC_ERR_INIT;
	size_t sum = 0;
	int kind = 0;
	/* a copy of exactly size bytes, so that any read past the end is caught */
	uint8_t *p = malloc(size ? size : 1);
	if (!p)
		return 0;
	memcpy(p, data, size);
	ac_pb_parse_record(p, size, 1, 0, &kind, on_span, &sum, &err);
	/* the whole input as a Span message too (what show meets) */
	ac_buf o = AC_BUF_INIT;
	ac_pb_span_json(&o, p, size);
	ac_buf_release(&o);
	free(p);
	return 0;
}
