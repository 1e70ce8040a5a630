/* json-c: one reused json_tokener, json_tokener_parse_ex() builds a DOM per
 * line, json_object_object_get_ex() looks up keys. */
#include "bench.h"

#include <json-c/json.h>
#include <stdio.h>

static struct json_object *get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;
	return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static void sval(struct json_object *v, char *dst, size_t cap)
{
	if (json_object_is_type(v, json_type_string))
		set_str(dst, cap, json_object_get_string(v), (size_t)json_object_get_string_len(v));
}

static int64_t ival(struct json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		return to_i64(json_object_get_string(v), (size_t)json_object_get_string_len(v));
	return json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : 0;
}

static void attrs(struct json_object *arr, struct span *sp)
{
	if (!json_object_is_type(arr, json_type_array))
		return;
	size_t n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		struct json_object *kv = json_object_array_get_idx(arr, i);
		struct json_object *k = get(kv, "key");
		if (!json_object_is_type(k, json_type_string))
			continue;
		int id = attr_id(json_object_get_string(k), (size_t)json_object_get_string_len(k));
		if (id < 0)
			continue;
		struct json_object *s = get(get(kv, "value"), attr_is_int(id) ? "intValue" : "stringValue");
		if (json_object_is_type(s, json_type_string))
			attr_str(sp, id, json_object_get_string(s), (size_t)json_object_get_string_len(s));
		else if (json_object_is_type(s, json_type_int))
			attr_int(sp, id, json_object_get_int64(s));
	}
}

static void *init(void)
{
	return json_tokener_new();
}

static void fini(void *st)
{
	json_tokener_free(st);
}

static size_t len(struct json_object *a)
{
	return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static int line(void *st, const char *p, size_t n)
{
	struct json_tokener *tok = st;
	json_tokener_reset(tok);
	struct json_object *root = json_tokener_parse_ex(tok, p, (int)n);
	if (!root) {
		fprintf(stderr, "json-c: %s\n", json_tokener_error_desc(json_tokener_get_error(tok)));
		return -1;
	}
	struct json_object *rsa = get(root, "resourceSpans");
	for (size_t i = 0; i < len(rsa); i++) {
		struct json_object *rs = json_object_array_get_idx(rsa, i);
		struct span res = { 0 }, sp;
		attrs(get(get(rs, "resource"), "attributes"), &res);
		struct json_object *ssa = get(rs, "scopeSpans");
		for (size_t j = 0; j < len(ssa); j++) {
			struct json_object *spans = get(json_object_array_get_idx(ssa, j), "spans");
			for (size_t k = 0; k < len(spans); k++) {
				struct json_object *s = json_object_array_get_idx(spans, k);
				span_begin(&sp, &res);
				sval(get(s, "traceId"), sp.trace_id, sizeof sp.trace_id);
				sval(get(s, "spanId"), sp.span_id, sizeof sp.span_id);
				sval(get(s, "parentSpanId"), sp.parent_id, sizeof sp.parent_id);
				sval(get(s, "name"), sp.name, sizeof sp.name);
				sp.kind = ival(get(s, "kind"));
				sp.start_ns = ival(get(s, "startTimeUnixNano"));
				sp.end_ns = ival(get(s, "endTimeUnixNano"));
				sp.status = ival(get(get(s, "status"), "code"));
				attrs(get(s, "attributes"), &sp);
				span_emit(&sp);
			}
		}
	}
	json_object_put(root);
	return 0;
}

const struct parser bench_parser = { "json-c", FEED_LINES, init, line, NULL, fini };
