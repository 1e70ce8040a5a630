/*
 * Jaeger UI "Download JSON" and query API (/api/traces) JSON:
 *
 *   {"data":[{"traceID", "spans":[{"traceID","spanID","operationName",
 *       "references":[{"refType":"CHILD_OF","traceID","spanID"}],
 *       "startTime" (µs), "duration" (µs),
 *       "tags":[{"key","type","value"}], "processID", "logs"}],
 *     "processes":{"p1":{"serviceName","tags":[...]}}}]}
 *
 * Ids are hex; Jaeger writes 64-bit trace ids as 16 digits and may drop
 * leading zeros, so trace ids of 1..32 and span ids of 1..16 hex digits are
 * left-padded with zeros to 16 / 8 bytes. The parent is the first CHILD_OF
 * reference, else the first FOLLOWS_FROM one. Tags go through the attribute
 * table as plain values (a string "123" is a number where one is expected);
 * the process's serviceName is service.name and its tags are resource
 * attributes (a span may carry its own "process" instead of a processID).
 * Status: tag error=true (or "true") or otel.status_code=ERROR is an error,
 * otel.status_code=OK is ok, otherwise unset.
 *
 * Jaeger's v3 API (/api/v3/traces) answers OTLP JSON as {"result":{"resourceSpans":
 * [...]}}: read by the OTLP walker (hex or base64 ids, see ac_pj_parse_id_any).
 */
#include <stdio.h>
#include <string.h>

#include "pjson.h"

/* {"result":{"resourceSpans":[...]}}: the list, or -1. */
static int v3_list(ac_json *j, int root)
{
	int res = ac_pj_find_key(j, root, "result", NULL);
	if (res < 0 || ac_json_type(j, res) != JSMN_OBJECT)
		return -1;
	return ac_pj_find_key(j, res, "resourceSpans", NULL);
}

static int jaeger_detect(ac_json *j, int root)
{
	if (ac_json_type(j, root) != JSMN_OBJECT)
		return 0;
	if (v3_list(j, root) >= 0)
		return 1;
	int data = ac_pj_find_key(j, root, "data", NULL);
	if (data < 0 || ac_json_type(j, data) != JSMN_ARRAY || j->tok[data].size == 0)
		return 0;
	int first = data + 1;
	int spans = ac_pj_find_key(j, first, "spans", NULL);
	return spans >= 0 && ac_json_type(j, spans) == JSMN_ARRAY &&
	       (ac_pj_find_key(j, first, "traceID", NULL) >= 0 ||
	        ac_pj_find_key(j, first, "processes", NULL) >= 0);
}

/* Hex id of up to n bytes, left-padded: 0, 1 empty, -1 bad or zero. */
static int jid(ac_json *j, int t, uint8_t *out, size_t n)
{
	size_t len;
	if (ac_json_type(j, t) != JSMN_STRING)
		return -1;
	const char *s = ac_json_raw(j, t, &len);
	if (len == 0)
		return 1;
	if (len > 2 * n)
		return -1;
	char buf[32];
	memset(buf, '0', 2 * n - len);
	memcpy(buf + 2 * n - len, s, len);
	if (ac_unhex(buf, 2 * n, out, n))
		return -1;
	unsigned any = 0;
	for (size_t i = 0; i < n; i++)
		any |= out[i];
	return any ? 0 : -1;
}

/* Tags [{key, type, value}] through the attribute table; the status tags. */
static void tags(ac_json *j, int arr, ac_span *sp, int resource)
{
	if (arr < 0 || ac_json_type(j, arr) != JSMN_ARRAY)
		return;
	int e = arr + 1;
	for (int n = 0; n < j->tok[arr].size; n++, e = ac_json_skip(j, e)) {
		int kt = ac_pj_find_key(j, e, "key", NULL);
		int vt = ac_pj_find_key(j, e, "value", NULL);
		if (kt < 0 || vt < 0 || ac_json_type(j, kt) != JSMN_STRING)
			continue;
		if (!resource && ac_json_eq(j, kt, "error")) {
			size_t vn;
			const char *v = ac_json_raw(j, vt, &vn);
			if (vn == 4 && memcmp(v, "true", 4) == 0)
				sp->status = 2;
		} else if (!resource && ac_json_eq(j, kt, "otel.status_code")) {
			int code = ac_pj_status_code(j, vt);
			if (code > 0 && sp->status != 2)
				sp->status = code;
		}
		ac_pj_apply_attr(j, sp, kt, vt, 0, resource);
	}
}

static void process(ac_json *j, int proc, ac_span *sp)
{
	if (proc < 0 || ac_json_type(j, proc) != JSMN_OBJECT)
		return;
	tags(j, ac_pj_find_key(j, proc, "tags", NULL), sp, 1);
	int svc = ac_pj_find_key(j, proc, "serviceName", NULL);
	if (svc >= 0)
		ac_pj_apply_named(j, sp, "service.name", svc, 1);
}

static int jaeger_span(ac_pctx *c, int t, int processes)
{
	ac_json *j = c->j;
	ac_span sp;
	int rc;
	if (ac_pj_span_begin(c, t, NULL, &sp, &rc))
		return rc;
	int have_trace = 0, have_span = 0, tagl = -1, proc = -1, r;
	int64_t start_us = -1, dur_us = 0;
	int k = t + 1;
	for (int n = 0; n < j->tok[t].size; n++, k = ac_json_skip(j, k + 1)) {
		int v = k + 1;
		if (ac_json_eq(j, k, "traceID")) {
			r = jid(j, v, sp.trace_id, 16);
			if (r < 0)
				ac_pj_span_fail(&sp, "%s", "traceID is not 1..32 hex digits (or is zero)");
			have_trace = r == 0;
		} else if (ac_json_eq(j, k, "spanID")) {
			r = jid(j, v, sp.span_id, 8);
			if (r < 0)
				ac_pj_span_fail(&sp, "%s", "spanID is not 1..16 hex digits (or is zero)");
			have_span = r == 0;
		} else if (ac_json_eq(j, k, "operationName")) {
			if (ac_json_str(j, v, &sp.name.p, &sp.name.n))
				ac_pj_span_fail(&sp, "%s", "operationName is not a string");
		} else if (ac_json_eq(j, k, "startTime")) {
			/* bounded so that start + duration in ns cannot overflow */
			if (ac_json_i64(j, v, &start_us) || start_us <= 0 || start_us > INT64_MAX / 2000) {
				ac_pj_span_fail(&sp, "%s", "startTime is not microseconds since the epoch");
				start_us = -1;
			}
		} else if (ac_json_eq(j, k, "duration")) {
			if (ac_json_i64(j, v, &dur_us) || dur_us < 0 || dur_us > INT64_MAX / 2000) {
				ac_pj_span_fail(&sp, "%s", "duration is not a count of microseconds");
				dur_us = 0;
			}
		} else if (ac_json_eq(j, k, "references")) {
			if (ac_json_type(j, v) != JSMN_ARRAY) {
				ac_pj_span_fail(&sp, "%s", "references is not an array");
				continue;
			}
			int e = v + 1, best = 0; /* 2 CHILD_OF, 1 FOLLOWS_FROM */
			for (int m = 0; m < j->tok[v].size; m++, e = ac_json_skip(j, e)) {
				int rt = ac_pj_find_key(j, e, "refType", NULL);
				int sid = ac_pj_find_key(j, e, "spanID", NULL);
				int rank = rt >= 0 && ac_json_eq(j, rt, "CHILD_OF") ? 2
				         : rt >= 0 && ac_json_eq(j, rt, "FOLLOWS_FROM") ? 1 : 0;
				if (rank <= best || sid < 0)
					continue;
				r = jid(j, sid, sp.parent_id, 8);
				if (r < 0) {
					ac_pj_span_fail(&sp, "%s", "references[].spanID is not 1..16 hex digits");
					continue;
				}
				sp.has_parent = r == 0;
				best = rank;
			}
		} else if (ac_json_eq(j, k, "tags")) {
			tagl = v;
		} else if (ac_json_eq(j, k, "processID")) {
			const char *pid;
			size_t pn;
			if (processes < 0 || ac_json_str(j, v, &pid, &pn))
				continue;
			int q = processes + 1;
			for (int m = 0; m < j->tok[processes].size; m++, q = ac_json_skip(j, q + 1)) {
				size_t qn;
				const char *qs = ac_json_raw(j, q, &qn);
				if (qn == pn && memcmp(qs, pid, pn) == 0) {
					proc = q + 1;
					break;
				}
			}
		} else if (ac_json_eq(j, k, "process")) {
			if (proc < 0)
				proc = v;
		}
	}
	process(j, proc, &sp);
	tags(j, tagl, &sp, 0);
	if (start_us > 0) {
		sp.start_ns = start_us * 1000;
		sp.end_ns = sp.start_ns + dur_us * 1000;
	}
	return ac_pj_finish_and_emit(c, &sp, have_trace, have_span);
}

static int jaeger_walk(ac_pctx *c, int root)
{
	ac_json *j = c->j;
	int v3 = v3_list(j, root);
	if (v3 >= 0)
		return ac_pj_walk_resource_spans(c, v3, "result.resourceSpans");
	int data = ac_pj_find_key(j, root, "data", NULL);
	int e = data + 1;
	for (int n = 0; n < j->tok[data].size; n++, e = ac_json_skip(j, e)) {
		int rc;
		int spans = ac_pj_find_key(j, e, "spans", NULL);
		int procs = ac_pj_find_key(j, e, "processes", NULL);
		if (procs >= 0 && ac_json_type(j, procs) != JSMN_OBJECT)
			procs = -1;
		if (spans < 0 || ac_json_type(j, spans) != JSMN_ARRAY) {
			rc = ac_pj_structure_error(c, "a trace in \"data\" has no \"spans\" array; it is skipped");
			if (rc)
				return rc;
			continue;
		}
		int s = spans + 1;
		for (int m = 0; m < j->tok[spans].size; m++, s = ac_json_skip(j, s))
			if ((rc = jaeger_span(c, s, procs)))
				return rc;
	}
	return 0;
}

const ac_json_format ac_fmt_jaeger = { AC_REC_JAEGER, jaeger_detect, jaeger_walk };
