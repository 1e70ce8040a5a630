/* cJSON: cJSON_ParseWithLength() builds a DOM per line, case-sensitive lookups. */
#include "bench.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#define GET cJSON_GetObjectItemCaseSensitive

static void sval(const cJSON *v, char *dst, size_t cap)
{
	if (cJSON_IsString(v))
		set_str(dst, cap, v->valuestring, strlen(v->valuestring));
}

static int64_t ival(const cJSON *v)
{
	if (cJSON_IsString(v))
		return to_i64(v->valuestring, strlen(v->valuestring));
	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0; /* valueint is an int */
}

static void attrs(const cJSON *arr, struct span *sp)
{
	const cJSON *kv;
	cJSON_ArrayForEach(kv, arr) {
		const cJSON *k = GET(kv, "key");
		if (!cJSON_IsString(k))
			continue;
		int id = attr_id(k->valuestring, strlen(k->valuestring));
		if (id < 0)
			continue;
		const cJSON *s = GET(GET(kv, "value"), attr_is_int(id) ? "intValue" : "stringValue");
		if (cJSON_IsString(s))
			attr_str(sp, id, s->valuestring, strlen(s->valuestring));
		else if (cJSON_IsNumber(s))
			attr_int(sp, id, (int64_t)s->valuedouble);
	}
}

static int line(void *st, const char *p, size_t n)
{
	(void)st;
	cJSON *root = cJSON_ParseWithLength(p, n);
	if (!root) {
		fprintf(stderr, "cJSON: parse error\n");
		return -1;
	}
	const cJSON *rs, *ss, *s;
	cJSON_ArrayForEach(rs, GET(root, "resourceSpans")) {
		struct span res = { 0 }, sp;
		attrs(GET(GET(rs, "resource"), "attributes"), &res);
		cJSON_ArrayForEach(ss, GET(rs, "scopeSpans")) {
			cJSON_ArrayForEach(s, GET(ss, "spans")) {
				span_begin(&sp, &res);
				sval(GET(s, "traceId"), sp.trace_id, sizeof sp.trace_id);
				sval(GET(s, "spanId"), sp.span_id, sizeof sp.span_id);
				sval(GET(s, "parentSpanId"), sp.parent_id, sizeof sp.parent_id);
				sval(GET(s, "name"), sp.name, sizeof sp.name);
				sp.kind = ival(GET(s, "kind"));
				sp.start_ns = ival(GET(s, "startTimeUnixNano"));
				sp.end_ns = ival(GET(s, "endTimeUnixNano"));
				sp.status = ival(GET(GET(s, "status"), "code"));
				attrs(GET(s, "attributes"), &sp);
				span_emit(&sp);
			}
		}
	}
	cJSON_Delete(root);
	return 0;
}

const struct parser bench_parser = { "cJSON", FEED_LINES, NULL, line, NULL, NULL };
