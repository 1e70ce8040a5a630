/*
 * Record parsers (see parse.h): OTLP JSON and flat JSONL spans.
 *
 * OTLP JSON rules applied (opentelemetry-proto docs/specification.md, "JSON
 * Protobuf Encoding", and the Collector's pdata reader): trace and span ids
 * are hex in either case, or base64 as protobuf's generic JSON mapping and
 * Tempo write them (the length decides, see ac_pj_parse_id_any); int64 and
 * fixed64 values may be decimal strings or numbers (and {low,high} objects
 * from some JS encoders); enums are integers
 * (names accepted too); lowerCamelCase and snake_case keys are both read;
 * unknown fields are ignored. Structure problems below the root never abort
 * the record: they reject the span concerned, so valid spans around it are kept.
 */
#include "parse.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../util/timeutil.h"
#include "attrmap.h"
#include "pjson.h"

#define MIN_NS AC_PJ_MIN_NS
#define MAX_NS AC_PJ_MAX_NS



void ac_pj_span_fail(ac_span *sp, const char *fmt, const char *what)
{
	if (!sp->err[0])
		snprintf(sp->err, sizeof(sp->err), fmt, what);
}

/* Report a part of the record of the wrong type: an error item of its own,
 * so the spans around it are kept. */
int ac_pj_structure_error(ac_pctx *c, const char *what)
{
	ac_span sp;
	ac_span_reset(&sp);
	sp.structural = 1;
	sp.line = c->line;
	snprintf(sp.err, sizeof(sp.err), "%s", what);
	return c->emit(&sp, c->payload);
}

int ac_pj_span_begin(ac_pctx *c, int t, const ac_span *base, ac_span *sp, int *rc)
{
	ac_json *j = c->j;
	if (base)
		*sp = *base;
	else
		ac_span_reset(sp);
	sp->raw.p = j->js + j->tok[t].start;
	sp->raw.n = (size_t)(j->tok[t].end - j->tok[t].start);
	if (ac_json_type(j, t) == JSMN_OBJECT)
		return 0;
	ac_pj_span_fail(sp, "%s", "span is not a JSON object");
	sp->line = c->line;
	*rc = c->emit(sp, c->payload);
	return 1;
}

/* Number of keys `a` or `b` in object obj. */
int ac_pj_count_key(const ac_json *j, int obj, const char *a, const char *b)
{
	int n = 0;
	if (obj < 0 || ac_json_type(j, obj) != JSMN_OBJECT)
		return 0;
	int k = obj + 1;
	for (int i = 0; i < j->tok[obj].size; i++, k = ac_json_skip(j, k + 1))
		n += ac_json_eq(j, k, a) || (b && ac_json_eq(j, k, b));
	return n;
}

/* Value token of key `a` or `b` in object `obj`, or -1. */
int ac_pj_find_key(const ac_json *j, int obj, const char *a, const char *b)
{
	if (obj < 0 || ac_json_type(j, obj) != JSMN_OBJECT)
		return -1;
	int k = obj + 1;
	for (int n = 0; n < j->tok[obj].size; n++) {
		if (ac_json_eq(j, k, a) || (b && ac_json_eq(j, k, b)))
			return k + 1;
		k = ac_json_skip(j, k + 1);
	}
	return -1;
}

/* Decode a hex id of exactly n bytes. 0 ok, 1 empty, -1 bad. */
int ac_pj_parse_id(ac_json *j, int t, uint8_t *out, size_t n)
{
	size_t len;
	if (ac_json_type(j, t) != JSMN_STRING)
		return -1;
	const char *s = ac_json_raw(j, t, &len);
	if (len == 0)
		return 1;
	if (len != 2 * n)
		return -1;
	if (ac_unhex(s, len, out, n))
		return -1;
	unsigned any = 0;
	for (size_t i = 0; i < n; i++)
		any |= out[i];
	return any ? 0 : -1; /* all-zero ids are invalid (W3C trace context) */
}

/*
 * An id of exactly n bytes (16 or 8) written as hex or as base64, decided per
 * id by its length and alphabet: 2n hex digits are hex (32 / 16); otherwise
 * 4*ceil(n/3) characters (24 / 12) of the base64 alphabet (standard or URL
 * safe) ending in exactly the padding n needs ("==" for 16 bytes, "=" for 8)
 * are base64 (protobuf JSON's bytes encoding, as Tempo and Grafana write ids).
 * The length alone decides, so no string is read both ways: a 16-character
 * string is a 16-hex-digit span id and never the base64 of 12 bytes.
 * 0 ok, 1 empty, -1 anything else (or all zeros).
 */
static int b64_val(char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+' || ch == '-')
		return 62;
	if (ch == '/' || ch == '_')
		return 63;
	return -1;
}

int ac_pj_b64_id(const char *s, size_t len, uint8_t *out, size_t n)
{
	size_t chars = 4 * ((n + 2) / 3), pad = (3 - n % 3) % 3;
	if (len != chars || n > 16)
		return -1;
	for (size_t i = 0; i < pad; i++)
		if (s[len - 1 - i] != '=')
			return -1;
	uint8_t buf[18];
	size_t o = 0;
	for (size_t i = 0; i < len - pad; i += 4) {
		uint32_t acc = 0;
		int have = 0;
		for (size_t q = 0; q < 4; q++) {
			acc <<= 6;
			if (i + q < len - pad) {
				int v = b64_val(s[i + q]);
				if (v < 0)
					return -1;
				acc |= (uint32_t)v;
				have++;
			}
		}
		buf[o++] = (uint8_t)(acc >> 16);
		if (have > 2)
			buf[o++] = (uint8_t)(acc >> 8);
		if (have > 3)
			buf[o++] = (uint8_t)acc;
	}
	if (o != n)
		return -1;
	memcpy(out, buf, n);
	return 0;
}

int ac_pj_parse_id_any(ac_json *j, int t, uint8_t *out, size_t n)
{
	size_t len;
	if (ac_json_type(j, t) != JSMN_STRING)
		return -1;
	const char *s = ac_json_raw(j, t, &len);
	if (len == 2 * n)
		return ac_pj_parse_id(j, t, out, n);
	if (len == 0)
		return 1;
	if (ac_pj_b64_id(s, len, out, n))
		return -1;
	unsigned any = 0;
	for (size_t i = 0; i < n; i++)
		any |= out[i];
	return any ? 0 : -1;
}

/* 1 when token t is exactly 2n zeros (an unset id written out). */
int ac_pj_is_zero_id(const ac_json *j, int t, size_t n)
{
	size_t len;
	if (ac_json_type(j, t) != JSMN_STRING)
		return 0;
	const char *s = ac_json_raw(j, t, &len);
	if (len != 2 * n)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] != '0')
			return 0;
	return 1;
}

/* fixed64 nanoseconds: number, decimal string, or {"low":..,"high":..}. */
int ac_pj_parse_ns(ac_json *j, int t, int64_t *out)
{
	uint64_t v;
	if (ac_json_type(j, t) == JSMN_OBJECT) {
		int lo = ac_pj_find_key(j, t, "low", NULL), hi = ac_pj_find_key(j, t, "high", NULL);
		int64_t l, h;
		if (lo < 0 || hi < 0 || ac_json_i64(j, lo, &l) || ac_json_i64(j, hi, &h))
			return -1;
		v = ((uint64_t)(uint32_t)h << 32) | (uint32_t)l;
	} else if (ac_json_u64(j, t, &v)) {
		return -1;
	}
	if (v > (uint64_t)INT64_MAX)
		return -1;
	*out = (int64_t)v;
	return 0;
}

int ac_pj_status_code(ac_json *j, int t)
{
	int64_t c;
	if (ac_json_type(j, t) == JSMN_STRING) {
		const char *s;
		size_t n;
		if (ac_json_str(j, t, &s, &n))
			return -1;
		ac_str v = { s, n };
		if (ac_str_ieq(v, "STATUS_CODE_UNSET") || ac_str_ieq(v, "UNSET") || n == 0)
			return 0;
		if (ac_str_ieq(v, "STATUS_CODE_OK") || ac_str_ieq(v, "OK"))
			return 1;
		if (ac_str_ieq(v, "STATUS_CODE_ERROR") || ac_str_ieq(v, "ERROR"))
			return 2;
	}
	if (ac_json_i64(j, t, &c) == 0 && c >= 0 && c <= 2)
		return (int)c;
	return -1;
}

/* A plain JSON scalar as an attribute value (flat JSONL). */
void ac_pj_plain_value(ac_json *j, int t, ac_value *v)
{
	memset(v, 0, sizeof(*v));
	v->kind = AC_V_OTHER;
	int type = ac_json_type(j, t);
	if (type == JSMN_STRING) {
		if (ac_json_str(j, t, &v->s.p, &v->s.n) == 0)
			v->kind = AC_V_STR;
		return;
	}
	if (type != JSMN_PRIMITIVE)
		return;
	v->s.p = ac_json_raw(j, t, &v->s.n);
	char c = v->s.p[0];
	if (c == 't' || c == 'f') {
		v->kind = AC_V_BOOL;
		v->i = c == 't';
		return;
	}
	if (c == 'n')
		return;
	if (ac_json_i64(j, t, &v->i) == 0 && !memchr(v->s.p, '.', v->s.n) &&
	    !memchr(v->s.p, 'e', v->s.n) && !memchr(v->s.p, 'E', v->s.n)) {
		v->kind = AC_V_INT;
		v->int_ok = 1;
		v->d = (double)v->i;
		return;
	}
	if (ac_json_f64(j, t, &v->d) == 0) {
		v->kind = AC_V_DBL;
		return;
	}
	/* an integer literal outside int64 (2^63): keep it as a bad int */
	v->kind = AC_V_INT;
	v->int_ok = 0;
}

/* OTLP AnyValue object as an attribute value. */
void ac_pj_any_value(ac_json *j, int t, ac_value *v)
{
	memset(v, 0, sizeof(*v));
	v->kind = AC_V_OTHER;
	if (ac_json_type(j, t) != JSMN_OBJECT || j->tok[t].size == 0)
		return;
	int k = t + 1;
	for (int n = 0; n < j->tok[t].size; n++, k = ac_json_skip(j, k + 1)) {
		int val = k + 1;
		if (ac_json_eq2(j, k, "stringValue", "string_value")) {
			if (ac_json_str(j, val, &v->s.p, &v->s.n) == 0)
				v->kind = AC_V_STR;
			return;
		}
		if (ac_json_eq2(j, k, "intValue", "int_value")) {
			v->kind = AC_V_INT;
			if (ac_json_type(j, val) == JSMN_STRING)
				ac_json_str(j, val, &v->s.p, &v->s.n);
			else
				v->s.p = ac_json_raw(j, val, &v->s.n);
			v->int_ok = ac_json_i64(j, val, &v->i) == 0;
			v->d = (double)v->i;
			return;
		}
		if (ac_json_eq2(j, k, "doubleValue", "double_value")) {
			if (ac_json_type(j, val) == JSMN_STRING)
				ac_json_str(j, val, &v->s.p, &v->s.n);
			else
				v->s.p = ac_json_raw(j, val, &v->s.n);
			if (ac_json_f64(j, val, &v->d) == 0)
				v->kind = AC_V_DBL;
			else
				v->kind = AC_V_STR; /* reported as "not a number" where it matters */
			return;
		}
		if (ac_json_eq2(j, k, "boolValue", "bool_value")) {
			v->kind = AC_V_BOOL;
			v->s.p = ac_json_raw(j, val, &v->s.n);
			v->i = v->s.n && v->s.p[0] == 't';
			return;
		}
		/* arrayValue, kvlistValue, bytesValue: not used by any mapped field */
	}
}

/* Apply one key to sp when the table maps it (value decoded only then). */
void ac_pj_apply_attr(ac_json *j, ac_span *sp, int keytok, int valtok, int otlp, int resource)
{
	const char *key;
	size_t kn;
	int prio;
	if (ac_json_str(j, keytok, &key, &kn))
		return;
	if (ac_attr_lookup(key, kn, &prio) == AC_F_NONE)
		return;
	ac_value v;
	if (otlp)
		ac_pj_any_value(j, valtok, &v);
	else
		ac_pj_plain_value(j, valtok, &v);
	ac_attr_apply(sp, key, kn, &v, resource);
}

/* OTLP attributes: [{"key":..,"value":{..}}, ...] */
void ac_pj_otlp_attrs(ac_json *j, int arr, ac_span *sp, int resource)
{
	if (arr < 0 || ac_json_type(j, arr) != JSMN_ARRAY)
		return;
	int e = arr + 1;
	for (int n = 0; n < j->tok[arr].size; n++, e = ac_json_skip(j, e)) {
		int kt = ac_pj_find_key(j, e, "key", NULL);
		int vt = ac_pj_find_key(j, e, "value", NULL);
		if (kt < 0 || vt < 0 || ac_json_type(j, kt) != JSMN_STRING)
			continue;
		ac_pj_apply_attr(j, sp, kt, vt, 1, resource);
	}
}

/* Flat attributes: {"key": scalar, ...} */
void ac_pj_flat_attrs(ac_json *j, int obj, ac_span *sp, int resource)
{
	if (obj < 0 || ac_json_type(j, obj) != JSMN_OBJECT)
		return;
	int k = obj + 1;
	for (int n = 0; n < j->tok[obj].size; n++, k = ac_json_skip(j, k + 1))
		ac_pj_apply_attr(j, sp, k, k + 1, 0, resource);
}

int ac_pj_is_null(const ac_json *j, int t)
{
	return ac_json_type(j, t) == JSMN_PRIMITIVE && j->js[j->tok[t].start] == 'n';
}

/* Apply the plain JSON value at valtok under a fixed attribute name. */
void ac_pj_apply_named(ac_json *j, ac_span *sp, const char *key, int valtok, int resource)
{
	int prio;
	size_t kn = strlen(key);
	if (ac_attr_lookup(key, kn, &prio) == AC_F_NONE)
		return;
	ac_value v;
	ac_pj_plain_value(j, valtok, &v);
	ac_attr_apply(sp, key, kn, &v, resource);
}

/* Checks common to both shapes, then finish and emit. */
int ac_pj_finish_and_emit(ac_pctx *c, ac_span *sp, int have_trace, int have_span)
{
	if (!have_trace)
		ac_pj_span_fail(sp, "%s", "missing trace id");
	if (!have_span)
		ac_pj_span_fail(sp, "%s", "missing span id");
	if (sp->has_parent && memcmp(sp->parent_id, sp->span_id, 8) == 0)
		ac_pj_span_fail(sp, "%s", "span is its own parent");
	if (!sp->err[0]) {
		char when[40];
		if (sp->start_ns == 0) {
			ac_pj_span_fail(sp, "%s", "missing start time");
		} else if (sp->start_ns < MIN_NS || sp->start_ns >= MAX_NS) {
			ac_format_iso_ms(sp->start_ns, when);
			ac_pj_span_fail(sp, "start time out of range (2000..2100): %s", when);
		} else if (sp->end_ns == 0) {
			sp->end_ns = sp->start_ns; /* no end recorded: zero duration */
		} else if (sp->end_ns < sp->start_ns) {
			ac_pj_span_fail(sp, "%s", "end time before start time");
		} else if (sp->end_ns >= MAX_NS) {
			ac_format_iso_ms(sp->end_ns, when);
			ac_pj_span_fail(sp, "end time out of range (2000..2100): %s", when);
		}
	}
	ac_span_finish(sp);
	sp->line = c->line;
	return c->emit(sp, c->payload);
}

/* "AAAAAAAAAAA=": an unset 8-byte id in base64 */
static int is_zero_b64(const ac_json *j, int t)
{
	size_t len;
	if (ac_json_type(j, t) != JSMN_STRING)
		return 0;
	const char *s = ac_json_raw(j, t, &len);
	return len == 12 && memcmp(s, "AAAAAAAAAAA=", 12) == 0;
}

static int otlp_span(ac_pctx *c, int t, const ac_span *base)
{
	ac_json *j = c->j;
	ac_span sp;
	int have_trace = 0, have_span = 0, rc;
	if (ac_pj_span_begin(c, t, base, &sp, &rc))
		return rc;
	int attrs = -1;
	int k = t + 1;
	unsigned seen = 0;
	static const char *const FIELDS[][2] = {
		{ "traceId", "trace_id" }, { "spanId", "span_id" }, { "parentSpanId", "parent_span_id" },
		{ "name", NULL }, { "startTimeUnixNano", "start_time_unix_nano" },
		{ "endTimeUnixNano", "end_time_unix_nano" }, { "attributes", NULL }, { "status", NULL },
	};
	for (int n = 0; n < j->tok[t].size; n++, k = ac_json_skip(j, k + 1)) {
		int v = k + 1;
		int r;
		/* which field the key names (either spelling), compared once */
		int f = -1;
		for (unsigned i = 0; i < sizeof(FIELDS) / sizeof(FIELDS[0]) && f < 0; i++)
			if (ac_json_eq(j, k, FIELDS[i][0]) || (FIELDS[i][1] && ac_json_eq(j, k, FIELDS[i][1])))
				f = (int)i;
		if (f < 0)
			continue; /* another key: ignored */
		if (seen & (1u << f))
			ac_pj_span_fail(&sp, "duplicate key \"%s\"", FIELDS[f][0]);
		seen |= 1u << f;
		switch (f) {
		case 0:
			r = ac_pj_parse_id_any(j, v, sp.trace_id, 16);
			if (r < 0)
				ac_pj_span_fail(&sp, "%s", "traceId is not 32 hex digits or 24 base64 characters "
				                           "(or is all zeros)");
			have_trace = r == 0;
			break;
		case 1:
			r = ac_pj_parse_id_any(j, v, sp.span_id, 8);
			if (r < 0)
				ac_pj_span_fail(&sp, "%s", "spanId is not 16 hex digits or 12 base64 characters "
				                           "(or is all zeros)");
			have_span = r == 0;
			break;
		case 2:
			r = ac_pj_parse_id_any(j, v, sp.parent_id, 8);
			if (r < 0 && !ac_pj_is_zero_id(j, v, 8) && !is_zero_b64(j, v))
				ac_pj_span_fail(&sp, "%s", "parentSpanId is not 16 hex digits or 12 base64 "
				                           "characters");
			sp.has_parent = r == 0; /* empty or all zeros: a root */
			break;
		case 3:
			if (ac_json_str(j, v, &sp.name.p, &sp.name.n))
				ac_pj_span_fail(&sp, "%s", "name is not a string");
			break;
		case 4:
			if (ac_pj_parse_ns(j, v, &sp.start_ns))
				ac_pj_span_fail(&sp, "%s", "startTimeUnixNano is not an unsigned integer");
			break;
		case 5:
			if (ac_pj_parse_ns(j, v, &sp.end_ns))
				ac_pj_span_fail(&sp, "%s", "endTimeUnixNano is not an unsigned integer");
			break;
		case 6:
			attrs = v;
			break;
		case 7: {
			int code = ac_pj_find_key(j, v, "code", NULL);
			if (code >= 0) {
				sp.status = ac_pj_status_code(j, code);
				if (sp.status < 0) {
					sp.status = 0;
					ac_pj_span_fail(&sp, "%s", "status.code is not 0, 1 or 2");
				}
			}
			break;
		}
		}
	}
	if (attrs >= 0)
		ac_pj_otlp_attrs(j, attrs, &sp, 0);
	return ac_pj_finish_and_emit(c, &sp, have_trace, have_span);
}

static int otlp_scope_list(ac_pctx *c, int arr, const ac_span *base)
{
	ac_json *j = c->j;
	if (ac_json_type(j, arr) != JSMN_ARRAY)
		return ac_pj_structure_error(c, "\"scopeSpans\" is not an array; its content is skipped");
	int e = arr + 1;
	for (int n = 0; n < j->tok[arr].size; n++, e = ac_json_skip(j, e)) {
		int spans = ac_pj_find_key(j, e, "spans", NULL);
		if (spans < 0)
			continue;
		if (ac_json_type(j, spans) != JSMN_ARRAY) {
			int rc = ac_pj_structure_error(c, "\"spans\" is not an array; its content is skipped");
			if (rc)
				return rc;
			continue;
		}
		/* the scope's name (instrumentationLibrary before OTLP 0.15) */
		ac_span scoped = *base;
		int sc = ac_pj_find_key(j, e, "scope", "instrumentationLibrary");
		int nm = sc >= 0 && ac_json_type(j, sc) == JSMN_OBJECT ?
		                 ac_pj_find_key(j, sc, "name", NULL) : -1;
		if (nm >= 0 && ac_json_type(j, nm) == JSMN_STRING &&
		    ac_json_str(j, nm, &scoped.str[AC_F_SCOPE].p, &scoped.str[AC_F_SCOPE].n) == 0 &&
		    scoped.str[AC_F_SCOPE].n > 0)
			scoped.prio[AC_F_SCOPE] = 1;
		else
			scoped.str[AC_F_SCOPE] = base->str[AC_F_SCOPE];
		int s = spans + 1;
		for (int m = 0; m < j->tok[spans].size; m++, s = ac_json_skip(j, s)) {
			int rc = otlp_span(c, s, &scoped);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int ac_pj_walk_resource_spans(ac_pctx *c, int list, const char *key)
{
	ac_json *j = c->j;
	if (ac_json_type(j, list) != JSMN_ARRAY) {
		char what[96];
		snprintf(what, sizeof(what), "\"%s\" is not an array; its content is skipped", key);
		return ac_pj_structure_error(c, what);
	}
	int e = list + 1;
	for (int n = 0; n < j->tok[list].size; n++, e = ac_json_skip(j, e)) {
		ac_span base;
		ac_span_reset(&base);
		int res = ac_pj_find_key(j, e, "resource", NULL);
		if (res >= 0) {
			ac_pj_otlp_attrs(j, ac_pj_find_key(j, res, "attributes", NULL), &base, 1);
			/* kept whole: any resource attribute can be read later
			 * (attr:KEY, src/analysis/dims.c) */
			base.str[AC_F_RESOURCE].p = ac_json_raw(j, res, &base.str[AC_F_RESOURCE].n);
		}
		/* resource-level problems (a bad token count on the resource) reject
		 * every span under it: they are carried in base.err */
		int rc;
		int ss = ac_pj_find_key(j, e, "scopeSpans", "scope_spans");
		if (ss < 0)
			ss = ac_pj_find_key(j, e, "instrumentationLibrarySpans", "instrumentation_library_spans");
		if (ss < 0)
			ss = ac_pj_find_key(j, e, "deprecatedScopeSpans", NULL);
		if (ss >= 0 && (rc = otlp_scope_list(c, ss, &base)))
			return rc;
	}
	return 0;
}

static int walk_flat(ac_pctx *c, int root)
{
	ac_json *j = c->j;
	ac_span sp;
	ac_span_reset(&sp);
	int have_trace = 0, have_span = 0, attrs = -1, res = -1;
	sp.raw.p = j->js + j->tok[root].start;
	sp.raw.n = (size_t)(j->tok[root].end - j->tok[root].start);
	int k = root + 1;
	unsigned seen = 0;
	static const char *const FIELDS[][2] = {
		{ "trace_id", "traceId" }, { "span_id", "spanId" }, { "parent_span_id", "parentSpanId" },
		{ "name", NULL }, { "start_time_unix_nano", "startTimeUnixNano" },
		{ "end_time_unix_nano", "endTimeUnixNano" }, { "attributes", NULL }, { "status", NULL },
		{ "resource", NULL }, { "start_time", "startTime" }, { "end_time", "endTime" },
	};
	for (int n = 0; n < j->tok[root].size; n++, k = ac_json_skip(j, k + 1)) {
		int v = k + 1, r;
		for (unsigned f = 0; f < sizeof(FIELDS) / sizeof(FIELDS[0]); f++) {
			if (ac_json_eq(j, k, FIELDS[f][0]) || (FIELDS[f][1] && ac_json_eq(j, k, FIELDS[f][1]))) {
				if (seen & (1u << f))
					ac_pj_span_fail(&sp, "duplicate key \"%s\"", FIELDS[f][0]);
				seen |= 1u << f;
			}
		}
		if (ac_json_eq2(j, k, "trace_id", "traceId")) {
			r = ac_pj_parse_id(j, v, sp.trace_id, 16);
			if (r < 0)
				ac_pj_span_fail(&sp, "%s", "trace_id is not 32 hex digits (or is all zeros)");
			have_trace = r == 0;
		} else if (ac_json_eq2(j, k, "span_id", "spanId")) {
			r = ac_pj_parse_id(j, v, sp.span_id, 8);
			if (r < 0)
				ac_pj_span_fail(&sp, "%s", "span_id is not 16 hex digits (or is all zeros)");
			have_span = r == 0;
		} else if (ac_json_eq2(j, k, "parent_span_id", "parentSpanId")) {
			if (ac_json_type(j, v) == JSMN_PRIMITIVE && ac_json_raw(j, v, &(size_t){ 0 })[0] == 'n')
				continue; /* null: a root */
			r = ac_pj_parse_id(j, v, sp.parent_id, 8);
			if (r < 0 && !ac_pj_is_zero_id(j, v, 8))
				ac_pj_span_fail(&sp, "%s", "parent_span_id is not 16 hex digits");
			sp.has_parent = r == 0;
		} else if (ac_json_eq(j, k, "name")) {
			if (ac_json_str(j, v, &sp.name.p, &sp.name.n))
				ac_pj_span_fail(&sp, "%s", "name is not a string");
		} else if (ac_json_eq2(j, k, "start_time_unix_nano", "startTimeUnixNano")) {
			if (ac_pj_parse_ns(j, v, &sp.start_ns))
				ac_pj_span_fail(&sp, "%s", "start_time_unix_nano is not an unsigned integer");
		} else if (ac_json_eq2(j, k, "end_time_unix_nano", "endTimeUnixNano")) {
			if (ac_pj_parse_ns(j, v, &sp.end_ns))
				ac_pj_span_fail(&sp, "%s", "end_time_unix_nano is not an unsigned integer");
		} else if (ac_json_eq2(j, k, "start_time", "startTime") ||
		           ac_json_eq2(j, k, "end_time", "endTime")) {
			int is_start = ac_json_eq2(j, k, "start_time", "startTime");
			const char *s;
			size_t sn;
			int64_t ns;
			if (ac_json_str(j, v, &s, &sn) || ac_time_parse_iso(s, sn, &ns)) {
				ac_pj_span_fail(&sp, "%s", is_start ? "start_time is not an ISO-8601 time"
				                                : "end_time is not an ISO-8601 time");
				continue;
			}
			if (is_start && !sp.start_ns)
				sp.start_ns = ns;
			else if (!is_start && !sp.end_ns)
				sp.end_ns = ns;
		} else if (ac_json_eq(j, k, "status")) {
			int code = ac_json_type(j, v) == JSMN_OBJECT ? ac_pj_find_key(j, v, "code", NULL) : v;
			if (code >= 0) {
				sp.status = ac_pj_status_code(j, code);
				if (sp.status < 0) {
					sp.status = 0;
					ac_pj_span_fail(&sp, "%s", "status is not OK, ERROR, UNSET or 0..2");
				}
			}
		} else if (ac_json_eq(j, k, "attributes")) {
			attrs = v;
		} else if (ac_json_eq(j, k, "resource")) {
			res = v;
		}
	}
	if (res >= 0)
		ac_pj_flat_attrs(j, res, &sp, 1);
	if (attrs >= 0)
		ac_pj_flat_attrs(j, attrs, &sp, 0);
	return ac_pj_finish_and_emit(c, &sp, have_trace, have_span);
}

/* Name the shape of a record that is not traces, for the refusal message. */
static int refuse(ac_json *j, ac_err *err)
{
	int root = 0;
	err->col = 1;
	if (ac_json_type(j, root) == JSMN_ARRAY) {
		return ac_err_setpos(err, AC_EFORMAT, err->line, 1,
		                     "a JSON array, not an OTLP traces object or a flat span");
	}
	if (ac_json_type(j, root) != JSMN_OBJECT)
		return ac_err_setpos(err, AC_EPARSE, err->line, 1,
		                     "not a JSON object: expected OTLP JSON or a flat span");
	if (ac_pj_find_key(j, root, "resourceLogs", "resource_logs") >= 0)
		return ac_err_setpos(err, AC_EFORMAT, err->line, 1,
		                     "OTLP logs (resourceLogs), not traces: agentcost reads traces only");
	if (ac_pj_find_key(j, root, "resourceMetrics", "resource_metrics") >= 0)
		return ac_err_setpos(err, AC_EFORMAT, err->line, 1,
		                     "OTLP metrics (resourceMetrics), not traces: agentcost reads traces only");
	if (ac_pj_find_key(j, root, "resourceProfiles", "resource_profiles") >= 0)
		return ac_err_setpos(err, AC_EFORMAT, err->line, 1,
		                     "OTLP profiles (resourceProfiles), not traces: agentcost reads traces only");
	/* a bare attribute map: top-level keys that are attribute names. Not
	 * read as a span: it has no time (the price in force depends on the day,
	 * and a span is placed in hours and days) and no ids (re-ingesting must
	 * not count it twice); agentcost invents neither. The message says how to
	 * make it a flat span. */
	int k = root + 1;
	for (int n = 0; n < j->tok[root].size; n++, k = ac_json_skip(j, k + 1)) {
		size_t kn;
		const char *key = ac_json_raw(j, k, &kn);
		int prio;
		if (ac_attr_lookup(key, kn, &prio) != AC_F_NONE)
			return ac_err_setpos(err, AC_EFORMAT, err->line, 1,
			                     "a bare attribute map (no trace_id, span_id or resourceSpans), "
			                     "not a span: it has no ids or times, which agentcost does not "
			                     "invent; make it one flat JSONL line {\"trace_id\": 32 hex "
			                     "digits, \"span_id\": 16 hex digits, \"start_time\" and "
			                     "\"end_time\": ISO-8601, \"attributes\": this object}");
	}
	/* price tables, a common mix-up */
	k = root + 1;
	for (int n = 0; n < j->tok[root].size && n < 4; n++, k = ac_json_skip(j, k + 1)) {
		if (ac_pj_find_key(j, k + 1, "input_cost_per_token", NULL) >= 0)
			return ac_err_setpos(err, AC_EFORMAT, err->line, 1,
			                     "a LiteLLM price table, not traces: load it with "
			                     "`agentcost prices import`");
	}
	if (ac_pj_find_key(j, root, "chat", NULL) >= 0 && ac_pj_find_key(j, root, "embeddings", NULL) >= 0)
		return ac_err_setpos(err, AC_EFORMAT, err->line, 1,
		                     "an OpenLIT price table (USD per 1K tokens), not traces");
	return ac_err_setpos(err, AC_EFORMAT, err->line, 1,
	                     "not an OTLP traces object or a flat span: no resourceSpans or trace_id");
}

int ac_parse_record(ac_json *j, const char *rec, size_t len, long long line, int *kind,
                    ac_span_fn emit, void *payload, ac_err *err)
{
	int rc = ac_json_parse(j, rec, len, err);
	if (rc) {
		/* turn the byte column into line:col for multi-line documents */
		long long l, col;
		size_t pos = err->col > 0 ? (size_t)(err->col - 1) : 0;
		if (pos > len)
			pos = len;
		ac_json_position(rec, pos, line, &l, &col);
		err->line = l;
		err->col = col;
		return rc;
	}
	ac_pctx c = { j, line, emit, payload };
	err->line = line;
	int root = 0;
	if (ac_json_type(j, root) == JSMN_OBJECT) {
		int rs = ac_pj_find_key(j, root, "resourceSpans", "resource_spans");
		if (rs >= 0) {
			*kind = AC_REC_OTLP;
			if (ac_pj_count_key(j, root, "resourceSpans", "resource_spans") > 1)
				return ac_err_setpos(err, AC_EPARSE, line, 1,
				                     "duplicate key \"resourceSpans\": the record is ambiguous");
			return ac_pj_walk_resource_spans(&c, rs, "resourceSpans");
		}
		/* a span_id at the root is a flat span (no other format has one
		 * there): the common case goes straight on, without the detectors */
		int flat_id = ac_pj_find_key(j, root, "span_id", "spanId") >= 0;
		for (unsigned f = 0; f < ac_json_nformats && !flat_id; f++) {
			if (ac_json_formats[f]->detect(j, root)) {
				*kind = ac_json_formats[f]->kind;
				return ac_json_formats[f]->walk(&c, root);
			}
		}
		if (flat_id || ac_pj_find_key(j, root, "trace_id", "traceId") >= 0) {
			*kind = AC_REC_FLAT;
			return walk_flat(&c, root);
		}
	}
	if (ac_json_type(j, root) == JSMN_ARRAY) {
		for (unsigned f = 0; f < ac_json_nformats; f++) {
			if (ac_json_formats[f]->detect(j, root)) {
				*kind = ac_json_formats[f]->kind;
				return ac_json_formats[f]->walk(&c, root);
			}
		}
	}
	return refuse(j, err);
}

const char *ac_rec_kind_name(int kind)
{
	static const char *const names[] = { "unknown", "otlp", "flat", "otel-sdk-python", "otel-sdk-js",
		                              "langfuse", "langfuse-rows", "jaeger", "tempo", "clickhouse",
		                              "otlp-proto", "langfuse-csv" };
	return kind > 0 && kind < AC_REC_NKINDS ? names[kind] : names[0];
}
