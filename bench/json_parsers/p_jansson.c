/* jansson: json_loadb() builds a DOM per line, json_object_get() looks up keys. */
#include "bench.h"

#include <jansson.h>
#include <stdio.h>

static void sval(json_t *v, char *dst, size_t cap)
{
	if (json_is_string(v))
		set_str(dst, cap, json_string_value(v), json_string_length(v));
}

static int64_t ival(json_t *v)
{
	if (json_is_string(v))
		return to_i64(json_string_value(v), json_string_length(v));
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static void attrs(json_t *arr, struct span *sp)
{
	size_t i;
	json_t *kv;
	json_array_foreach(arr, i, kv) {
		json_t *k = json_object_get(kv, "key");
		if (!json_is_string(k))
			continue;
		int id = attr_id(json_string_value(k), json_string_length(k));
		if (id < 0)
			continue;
		json_t *val = json_object_get(kv, "value");
		json_t *s = json_object_get(val, attr_is_int(id) ? "intValue" : "stringValue");
		if (json_is_string(s))
			attr_str(sp, id, json_string_value(s), json_string_length(s));
		else if (json_is_integer(s))
			attr_int(sp, id, (int64_t)json_integer_value(s));
	}
}

static int line(void *st, const char *p, size_t n)
{
	(void)st;
	json_error_t err;
	json_t *root = json_loadb(p, n, 0, &err);
	if (!root) {
		fprintf(stderr, "jansson: %s\n", err.text);
		return -1;
	}
	size_t i, j, k;
	json_t *rs, *ss, *s;
	json_array_foreach(json_object_get(root, "resourceSpans"), i, rs) {
		struct span res = { 0 }, sp;
		attrs(json_object_get(json_object_get(rs, "resource"), "attributes"), &res);
		json_array_foreach(json_object_get(rs, "scopeSpans"), j, ss) {
			json_array_foreach(json_object_get(ss, "spans"), k, s) {
				span_begin(&sp, &res);
				sval(json_object_get(s, "traceId"), sp.trace_id, sizeof sp.trace_id);
				sval(json_object_get(s, "spanId"), sp.span_id, sizeof sp.span_id);
				sval(json_object_get(s, "parentSpanId"), sp.parent_id, sizeof sp.parent_id);
				sval(json_object_get(s, "name"), sp.name, sizeof sp.name);
				sp.kind = ival(json_object_get(s, "kind"));
				sp.start_ns = ival(json_object_get(s, "startTimeUnixNano"));
				sp.end_ns = ival(json_object_get(s, "endTimeUnixNano"));
				sp.status = ival(json_object_get(json_object_get(s, "status"), "code"));
				attrs(json_object_get(s, "attributes"), &sp);
				span_emit(&sp);
			}
		}
	}
	json_decref(root);
	return 0;
}

const struct parser bench_parser = { "jansson", FEED_LINES, NULL, line, NULL, NULL };
