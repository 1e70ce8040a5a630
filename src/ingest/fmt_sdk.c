/*
 * OpenTelemetry SDK span dumps.
 *
 * Python SDK (ReadableSpan.to_json(), ConsoleSpanExporter): one object per
 * span, one per line or pretty-printed one after another (the reader splits
 * concatenated documents into records), or a list of them wrapped as
 * {"spans":[...]} (any-agent) or written as a bare JSON array:
 *
 *   {"name", "context":{"trace_id","span_id"}, "kind":"SpanKind.INTERNAL",
 *    "parent_id":"0x.."|null  (or "parent":{"span_id"}|null),
 *    "start_time","end_time", "status":{"status_code":"UNSET|OK|ERROR"},
 *    "attributes":{..}, "resource":{"attributes":{..}}}
 *
 *   Ids: a string "0x" + hex digits (left-padded to 16 / 8 bytes); a string of
 *   exactly 32 / 16 hex digits; or a decimal integer (any-agent writes the
 *   ids as JSON numbers up to 2^128-1; a string of decimal digits of another
 *   length is read the same way). Times: ISO-8601 strings or integer
 *   nanoseconds. Status names in any case.
 *   A span printed when it starts (end_time null) and again when it ends:
 *   the record without an end is skipped without a message, so the ended
 *   record is the one counted (a span that never ended is not counted).
 *
 * JS SDK (ReadableSpan objects serialised, a JSON array of them):
 *
 *   [{"name", "kind", "spanContext"|"_spanContext":{"traceId","spanId"},
 *     "parentSpanId" (1.x) | "parentSpanContext":{"spanId"} (2.x),
 *     "startTime","endTime","duration": [seconds, nanoseconds],
 *     "attributes":{..}, "status":{"code":0..2},
 *     "resource":{"attributes"|"_attributes"|"_memoizedAttributes":{..}
 *                 or "_rawAttributes":[[key, value], ...]}}, ...]
 *
 *   Ids are hex. Derived ids: some recorded fixtures drop the ids. A span
 *   without a trace id gets ac_hash64 of the whole array's text (two seeds,
 *   16 bytes), shared by every such span of the array; a span without a span
 *   id gets ac_hash64 of its position (0-based index) seeded with the
 *   array's hash. The same file always yields the same ids, so re-ingesting
 *   it adds nothing; an edited file yields new ones.
 */
#include <stdio.h>
#include <string.h>

#include "../util/hash.h"
#include "../util/timeutil.h"
#include "pjson.h"

/* An id of n bytes: number or string, see the rules above. 0, 1 empty/null, -1 bad. */
static int py_id(ac_json *j, int t, uint8_t *out, size_t n)
{
	size_t len;
	const char *s = ac_json_raw(j, t, &len);
	int type = ac_json_type(j, t);
	if (type == JSMN_PRIMITIVE && s[0] == 'n')
		return 1;
	if (type == JSMN_STRING && len == 0)
		return 1;
	if (type != JSMN_STRING && type != JSMN_PRIMITIVE)
		return -1;
	memset(out, 0, n);
	if (type == JSMN_STRING && len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
		if (len > 2 * n)
			return -1;
		char buf[33];
		memset(buf, '0', 2 * n - len);
		memcpy(buf + 2 * n - len, s, len);
		if (ac_unhex(buf, 2 * n, out, n))
			return -1;
	} else if (type == JSMN_STRING && len == 2 * n) {
		if (ac_unhex(s, len, out, n))
			return -1;
	} else {
		/* decimal digits, big-endian bytes */
		if (len == 0 || len > 40)
			return -1;
		for (size_t i = 0; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			unsigned carry = (unsigned)(s[i] - '0');
			for (size_t b = n; b-- > 0;) {
				unsigned v = out[b] * 10u + carry;
				out[b] = (uint8_t)v;
				carry = v >> 8;
			}
			if (carry)
				return -1; /* more than n bytes */
		}
	}
	unsigned any = 0;
	for (size_t i = 0; i < n; i++)
		any |= out[i];
	return any ? 0 : -1;
}

/* ISO-8601 string or integer nanoseconds. 0, 1 null, -1 bad. */
static int py_time(ac_json *j, int t, int64_t *out)
{
	if (ac_pj_is_null(j, t))
		return 1;
	if (ac_json_type(j, t) == JSMN_STRING) {
		const char *s;
		size_t n;
		if (ac_json_str(j, t, &s, &n) == 0 && ac_time_parse_iso(s, n, out) == 0)
			return 0;
		return ac_pj_parse_ns(j, t, out) ? -1 : 0; /* "1748779200000000000" */
	}
	return ac_pj_parse_ns(j, t, out) ? -1 : 0;
}

/* A Python span object: its context is an object holding trace_id or span_id. */
static int is_py_span(ac_json *j, int t)
{
	int ctx = ac_pj_find_key(j, t, "context", NULL);
	return ctx >= 0 && ac_json_type(j, ctx) == JSMN_OBJECT &&
	       (ac_pj_find_key(j, ctx, "span_id", NULL) >= 0 || ac_pj_find_key(j, ctx, "trace_id", NULL) >= 0);
}

static int sdk_py_detect(ac_json *j, int root)
{
	int type = ac_json_type(j, root);
	if (type == JSMN_ARRAY)
		return j->tok[root].size > 0 && is_py_span(j, root + 1);
	if (type != JSMN_OBJECT)
		return 0;
	if (is_py_span(j, root))
		return 1;
	int spans = ac_pj_find_key(j, root, "spans", NULL);
	if (spans < 0 || ac_json_type(j, spans) != JSMN_ARRAY)
		return 0;
	return j->tok[spans].size == 0 || is_py_span(j, spans + 1);
}

static int py_span(ac_pctx *c, int t)
{
	ac_json *j = c->j;
	ac_span sp;
	int rc;
	if (ac_pj_span_begin(c, t, NULL, &sp, &rc))
		return rc;
	int have_trace = 0, have_span = 0, attrs = -1, res = -1, r;
	int k = t + 1;
	for (int n = 0; n < j->tok[t].size; n++, k = ac_json_skip(j, k + 1)) {
		int v = k + 1;
		if (ac_json_eq(j, k, "context")) {
			if (ac_json_type(j, v) != JSMN_OBJECT) {
				ac_pj_span_fail(&sp, "%s", "context is not an object");
				continue;
			}
			int ti = ac_pj_find_key(j, v, "trace_id", NULL);
			int si = ac_pj_find_key(j, v, "span_id", NULL);
			if (ti >= 0) {
				r = py_id(j, ti, sp.trace_id, 16);
				if (r < 0)
					ac_pj_span_fail(&sp, "%s", "context.trace_id is not 0x + 32 hex digits "
					                           "or a decimal integer (or is zero)");
				have_trace = r == 0;
			}
			if (si >= 0) {
				r = py_id(j, si, sp.span_id, 8);
				if (r < 0)
					ac_pj_span_fail(&sp, "%s", "context.span_id is not 0x + 16 hex digits "
					                           "or a decimal integer (or is zero)");
				have_span = r == 0;
			}
		} else if (ac_json_eq(j, k, "parent_id") || ac_json_eq(j, k, "parent")) {
			int p = v;
			if (ac_json_type(j, v) == JSMN_OBJECT)
				p = ac_pj_find_key(j, v, "span_id", NULL);
			if (p < 0)
				continue;
			r = py_id(j, p, sp.parent_id, 8);
			if (r < 0)
				ac_pj_span_fail(&sp, "%s", "parent span id is not 0x + 16 hex digits "
				                           "or a decimal integer");
			sp.has_parent = r == 0 || sp.has_parent;
		} else if (ac_json_eq(j, k, "name")) {
			if (ac_json_str(j, v, &sp.name.p, &sp.name.n))
				ac_pj_span_fail(&sp, "%s", "name is not a string");
		} else if (ac_json_eq(j, k, "start_time")) {
			if (py_time(j, v, &sp.start_ns) < 0)
				ac_pj_span_fail(&sp, "%s", "start_time is not an ISO-8601 time or nanoseconds");
		} else if (ac_json_eq(j, k, "end_time")) {
			r = py_time(j, v, &sp.end_ns);
			if (r < 0)
				ac_pj_span_fail(&sp, "%s", "end_time is not an ISO-8601 time or nanoseconds");
			if (r == 1)
				return 0; /* not ended yet: its ended record is the one read */
		} else if (ac_json_eq(j, k, "status") || ac_json_eq(j, k, "status_code")) {
			int code = ac_json_type(j, v) == JSMN_OBJECT ? ac_pj_find_key(j, v, "status_code", NULL)
			                                             : v;
			if (code >= 0 && !ac_pj_is_null(j, code)) {
				sp.status = ac_pj_status_code(j, code);
				if (sp.status < 0) {
					sp.status = 0;
					ac_pj_span_fail(&sp, "%s", "status.status_code is not UNSET, OK or ERROR");
				}
			}
		} else if (ac_json_eq(j, k, "attributes")) {
			attrs = v;
		} else if (ac_json_eq(j, k, "resource")) {
			res = ac_pj_find_key(j, v, "attributes", NULL);
		}
	}
	if (res >= 0)
		ac_pj_flat_attrs(j, res, &sp, 1);
	if (attrs >= 0)
		ac_pj_flat_attrs(j, attrs, &sp, 0);
	return ac_pj_finish_and_emit(c, &sp, have_trace, have_span);
}

static int sdk_py_walk(ac_pctx *c, int root)
{
	ac_json *j = c->j;
	int list = root;
	if (ac_json_type(j, root) == JSMN_OBJECT) {
		list = ac_pj_find_key(j, root, "spans", NULL);
		if (list < 0 || is_py_span(j, root))
			return py_span(c, root);
	}
	int e = list + 1;
	for (int n = 0; n < j->tok[list].size; n++, e = ac_json_skip(j, e)) {
		int rc = py_span(c, e);
		if (rc)
			return rc;
	}
	return 0;
}

const ac_json_format ac_fmt_sdk_py = { AC_REC_SDK_PY, sdk_py_detect, sdk_py_walk };

/* JS SDK ----------------------------------------------------------------- */

static int sdk_js_detect(ac_json *j, int root)
{
	if (ac_json_type(j, root) != JSMN_ARRAY || j->tok[root].size == 0)
		return 0;
	int first = root + 1;
	if (ac_json_type(j, first) != JSMN_OBJECT)
		return 0;
	if (ac_pj_find_key(j, first, "spanContext", "_spanContext") >= 0)
		return 1;
	int st = ac_pj_find_key(j, first, "startTime", NULL);
	return st >= 0 && ac_json_type(j, st) == JSMN_ARRAY && ac_pj_find_key(j, first, "name", NULL) >= 0;
}

/* HrTime [seconds, nanoseconds]: 0, or -1. */
static int hrtime(ac_json *j, int t, int64_t *out)
{
	int64_t sec, ns;
	if (ac_json_type(j, t) != JSMN_ARRAY || j->tok[t].size != 2)
		return -1;
	if (ac_json_i64(j, t + 1, &sec) || ac_json_i64(j, t + 2, &ns))
		return -1;
	if (sec < 0 || sec > 9000000000LL || ns < 0 || ns >= 1000000000LL)
		return -1;
	*out = sec * 1000000000LL + ns;
	return 0;
}

/* js_span(): a spanContext (or _spanContext) object at v. */
static void js_span_context(ac_json *j, int v, ac_span *sp, int *have_trace, int *have_span)
{
	int r;
	int ti = ac_pj_find_key(j, v, "traceId", NULL);
	int si = ac_pj_find_key(j, v, "spanId", NULL);
	if (ac_json_type(j, v) != JSMN_OBJECT)
		ac_pj_span_fail(sp, "%s", "spanContext is not an object");
	if (ti >= 0) {
		r = ac_pj_parse_id(j, ti, sp->trace_id, 16);
		if (r < 0)
			ac_pj_span_fail(sp, "%s", "spanContext.traceId is not 32 hex digits "
			                           "(or is all zeros)");
		*have_trace = r == 0;
	}
	if (si >= 0) {
		r = ac_pj_parse_id(j, si, sp->span_id, 8);
		if (r < 0)
			ac_pj_span_fail(sp, "%s", "spanContext.spanId is not 16 hex digits "
			                           "(or is all zeros)");
		*have_span = r == 0;
	}
}

/* js_span(): the ids derived from the document when it has none (see the top of the file). */
static void js_derive_ids(ac_span *sp, uint64_t dochash, int index, int *have_trace, int *have_span)
{
	if (!*have_trace && !sp->err[0]) {
		uint64_t a = dochash, b = ac_hash64(&dochash, sizeof(dochash), 0x6a73747261636531ULL);
		for (int i = 0; i < 8; i++) {
			sp->trace_id[i] = (uint8_t)(a >> (56 - 8 * i));
			sp->trace_id[8 + i] = (uint8_t)(b >> (56 - 8 * i));
		}
		*have_trace = 1;
	}
	if (!*have_span && !sp->err[0]) {
		uint64_t pos = (uint64_t)index;
		uint64_t h = ac_hash64(&pos, sizeof(pos), dochash);
		for (int i = 0; i < 8; i++)
			sp->span_id[i] = (uint8_t)(h >> (56 - 8 * i));
		*have_span = 1;
	}
}

static int js_span(ac_pctx *c, int t, uint64_t dochash, int index)
{
	ac_json *j = c->j;
	ac_span sp;
	int rc;
	if (ac_pj_span_begin(c, t, NULL, &sp, &rc))
		return rc;
	int have_trace = 0, have_span = 0, attrs = -1, res = -1, raw_res = -1, r;
	int64_t dur = -1;
	int k = t + 1;
	for (int n = 0; n < j->tok[t].size; n++, k = ac_json_skip(j, k + 1)) {
		int v = k + 1;
		if (ac_json_eq2(j, k, "spanContext", "_spanContext")) {
			js_span_context(j, v, &sp, &have_trace, &have_span);
		} else if (ac_json_eq2(j, k, "parentSpanId", "parentSpanContext")) {
			int p = v;
			if (ac_json_type(j, v) == JSMN_OBJECT)
				p = ac_pj_find_key(j, v, "spanId", NULL);
			if (p < 0 || ac_pj_is_null(j, p))
				continue;
			r = ac_pj_parse_id(j, p, sp.parent_id, 8);
			if (r < 0 && !ac_pj_is_zero_id(j, p, 8))
				ac_pj_span_fail(&sp, "%s", "parent span id is not 16 hex digits");
			sp.has_parent = r == 0 || sp.has_parent;
		} else if (ac_json_eq(j, k, "name")) {
			if (ac_json_str(j, v, &sp.name.p, &sp.name.n))
				ac_pj_span_fail(&sp, "%s", "name is not a string");
		} else if (ac_json_eq(j, k, "startTime")) {
			if (hrtime(j, v, &sp.start_ns))
				ac_pj_span_fail(&sp, "%s", "startTime is not [seconds, nanoseconds]");
		} else if (ac_json_eq(j, k, "endTime")) {
			if (hrtime(j, v, &sp.end_ns))
				ac_pj_span_fail(&sp, "%s", "endTime is not [seconds, nanoseconds]");
		} else if (ac_json_eq(j, k, "duration")) {
			if (hrtime(j, v, &dur))
				ac_pj_span_fail(&sp, "%s", "duration is not [seconds, nanoseconds]");
		} else if (ac_json_eq(j, k, "status")) {
			int code = ac_json_type(j, v) == JSMN_OBJECT ? ac_pj_find_key(j, v, "code", NULL) : -1;
			if (code >= 0) {
				sp.status = ac_pj_status_code(j, code);
				if (sp.status < 0) {
					sp.status = 0;
					ac_pj_span_fail(&sp, "%s", "status.code is not 0, 1 or 2");
				}
			}
		} else if (ac_json_eq(j, k, "attributes")) {
			attrs = v;
		} else if (ac_json_eq(j, k, "resource")) {
			res = ac_pj_find_key(j, v, "attributes", "_attributes");
			if (res < 0) /* 2.x ResourceImpl serialised */
				res = ac_pj_find_key(j, v, "_memoizedAttributes", NULL);
			if (res < 0)
				raw_res = ac_pj_find_key(j, v, "_rawAttributes", NULL);
		}
	}
	if (sp.end_ns == 0 && dur >= 0 && sp.start_ns > 0 && dur <= INT64_MAX - sp.start_ns)
		sp.end_ns = sp.start_ns + dur;
	js_derive_ids(&sp, dochash, index, &have_trace, &have_span);
	if (res >= 0)
		ac_pj_flat_attrs(j, res, &sp, 1);
	if (raw_res >= 0 && ac_json_type(j, raw_res) == JSMN_ARRAY) {
		/* [["service.name", "x"], ...] */
		int e = raw_res + 1;
		for (int n = 0; n < j->tok[raw_res].size; n++, e = ac_json_skip(j, e))
			if (ac_json_type(j, e) == JSMN_ARRAY && j->tok[e].size == 2 &&
			    ac_json_type(j, e + 1) == JSMN_STRING)
				ac_pj_apply_attr(j, &sp, e + 1, ac_json_skip(j, e + 1), 0, 1);
	}
	if (attrs >= 0)
		ac_pj_flat_attrs(j, attrs, &sp, 0);
	return ac_pj_finish_and_emit(c, &sp, have_trace, have_span);
}

static int sdk_js_walk(ac_pctx *c, int root)
{
	ac_json *j = c->j;
	uint64_t dochash = 0;
	int e = root + 1;
	for (int n = 0; n < j->tok[root].size; n++, e = ac_json_skip(j, e)) {
		/* hash the document only when a span needs a derived id */
		if (!dochash && ac_json_type(j, e) == JSMN_OBJECT) {
			int ctx = ac_pj_find_key(j, e, "spanContext", "_spanContext");
			if (ctx < 0 || ac_pj_find_key(j, ctx, "traceId", NULL) < 0 ||
			    ac_pj_find_key(j, ctx, "spanId", NULL) < 0)
				dochash = ac_hash64(j->js + j->tok[root].start,
				                    (size_t)(j->tok[root].end - j->tok[root].start),
				                    0x6a737370616e7331ULL) | 1;
		}
		int rc = js_span(c, e, dochash, n);
		if (rc)
			return rc;
	}
	return 0;
}

const ac_json_format ac_fmt_sdk_js = { AC_REC_SDK_JS, sdk_js_detect, sdk_js_walk };
