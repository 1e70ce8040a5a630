/*
 * ClickHouse otel_traces rows (the Collector's clickhouseexporter table),
 * exported with FORMAT JSONEachRow: one object per line,
 *
 *   {"Timestamp":"2025-06-01 12:00:00.123456789","TraceId":"<32 hex>",
 *    "SpanId":"<16 hex>","ParentSpanId":""|"<16 hex>","SpanName":"..",
 *    "SpanKind":"Client","ServiceName":"..","ResourceAttributes":{..},
 *    "SpanAttributes":{..},"Duration":"1000000000","StatusCode":"Ok", ...}
 *
 * Timestamp is DateTime64(9) UTC text ('T' or ' ' between date and time;
 * an integer, as with output_format_json_quote_64bit_integers, is taken as
 * nanoseconds). Duration is UInt64 nanoseconds, a number or a quoted string
 * (ClickHouse quotes 64-bit integers by default). The attribute maps hold
 * strings only; the attribute table reads numeric strings where numbers are
 * expected. ServiceName is service.name (the ResourceAttributes entry, when
 * present, says the same). StatusCode: Ok/Error/Unset or STATUS_CODE_*.
 * Events.*, Links.*, TraceState, Scope* are ignored.
 *
 * FORMAT JSON (one document {"meta":[..],"data":[row, ...],"rows":N}) is
 * read too: each element of "data" is a row as above.
 */
#include <string.h>

#include "../util/timeutil.h"
#include "pjson.h"

static int is_row(ac_json *j, int t)
{
	return ac_json_type(j, t) == JSMN_OBJECT && ac_pj_find_key(j, t, "TraceId", NULL) >= 0 &&
	       ac_pj_find_key(j, t, "SpanId", NULL) >= 0 &&
	       (ac_pj_find_key(j, t, "Timestamp", NULL) >= 0 || ac_pj_find_key(j, t, "SpanName", NULL) >= 0);
}

/* FORMAT JSON: the rows under "data", next to "meta"; -1 if not that shape. */
static int json_rows(ac_json *j, int root)
{
	if (ac_json_type(j, root) != JSMN_OBJECT || ac_pj_find_key(j, root, "meta", NULL) < 0)
		return -1;
	int data = ac_pj_find_key(j, root, "data", NULL);
	if (data < 0 || ac_json_type(j, data) != JSMN_ARRAY || j->tok[data].size == 0 || !is_row(j, data + 1))
		return -1;
	return data;
}

static int clickhouse_detect(ac_json *j, int root)
{
	return is_row(j, root) || json_rows(j, root) >= 0;
}

static int row(ac_pctx *c, int root)
{
	ac_json *j = c->j;
	ac_span sp;
	ac_span_reset(&sp);
	sp.raw.p = j->js + j->tok[root].start;
	sp.raw.n = (size_t)(j->tok[root].end - j->tok[root].start);
	if (ac_json_type(j, root) != JSMN_OBJECT) {
		ac_pj_span_fail(&sp, "%s", "row is not a JSON object");
		sp.line = c->line;
		return c->emit(&sp, c->payload);
	}
	int have_trace = 0, have_span = 0, attrs = -1, res = -1, svc = -1, r;
	int64_t dur = -1;
	int k = root + 1;
	for (int n = 0; n < j->tok[root].size; n++, k = ac_json_skip(j, k + 1)) {
		int v = k + 1;
		if (ac_json_eq(j, k, "TraceId")) {
			r = ac_pj_parse_id(j, v, sp.trace_id, 16);
			if (r < 0)
				ac_pj_span_fail(&sp, "%s", "TraceId is not 32 hex digits (or is all zeros)");
			have_trace = r == 0;
		} else if (ac_json_eq(j, k, "SpanId")) {
			r = ac_pj_parse_id(j, v, sp.span_id, 8);
			if (r < 0)
				ac_pj_span_fail(&sp, "%s", "SpanId is not 16 hex digits (or is all zeros)");
			have_span = r == 0;
		} else if (ac_json_eq(j, k, "ParentSpanId")) {
			r = ac_pj_parse_id(j, v, sp.parent_id, 8);
			if (r < 0 && !ac_pj_is_zero_id(j, v, 8))
				ac_pj_span_fail(&sp, "%s", "ParentSpanId is not 16 hex digits or empty");
			sp.has_parent = r == 0;
		} else if (ac_json_eq(j, k, "SpanName")) {
			if (ac_json_str(j, v, &sp.name.p, &sp.name.n))
				ac_pj_span_fail(&sp, "%s", "SpanName is not a string");
		} else if (ac_json_eq(j, k, "Timestamp")) {
			const char *s;
			size_t sn;
			if (ac_json_type(j, v) == JSMN_STRING && ac_json_str(j, v, &s, &sn) == 0 &&
			    ac_time_parse_iso(s, sn, &sp.start_ns) == 0)
				continue;
			if (ac_json_type(j, v) != JSMN_PRIMITIVE || ac_pj_parse_ns(j, v, &sp.start_ns))
				ac_pj_span_fail(&sp, "%s", "Timestamp is not a DateTime64 text "
				                           "(YYYY-MM-DD hh:mm:ss.fffffffff)");
		} else if (ac_json_eq(j, k, "Duration")) {
			if (ac_pj_parse_ns(j, v, &dur))
				ac_pj_span_fail(&sp, "%s", "Duration is not an unsigned integer (nanoseconds)");
		} else if (ac_json_eq(j, k, "StatusCode")) {
			sp.status = ac_pj_status_code(j, v);
			if (sp.status < 0) {
				sp.status = 0;
				ac_pj_span_fail(&sp, "%s", "StatusCode is not Ok, Error or Unset");
			}
		} else if (ac_json_eq(j, k, "ServiceName")) {
			svc = v;
		} else if (ac_json_eq(j, k, "SpanAttributes")) {
			attrs = v;
		} else if (ac_json_eq(j, k, "ResourceAttributes")) {
			res = v;
		}
	}
	if (attrs >= 0 && ac_json_type(j, attrs) != JSMN_OBJECT)
		ac_pj_span_fail(&sp, "%s", "SpanAttributes is not an object");
	if (res >= 0 && ac_json_type(j, res) != JSMN_OBJECT)
		ac_pj_span_fail(&sp, "%s", "ResourceAttributes is not an object");
	if (svc >= 0 && ac_json_type(j, svc) == JSMN_STRING && j->tok[svc].end > j->tok[svc].start)
		ac_pj_apply_named(j, &sp, "service.name", svc, 1);
	if (res >= 0)
		ac_pj_flat_attrs(j, res, &sp, 1);
	if (attrs >= 0)
		ac_pj_flat_attrs(j, attrs, &sp, 0);
	if (sp.start_ns > 0 && dur >= 0) {
		if (dur > INT64_MAX - sp.start_ns)
			ac_pj_span_fail(&sp, "%s", "Duration is out of range");
		else
			sp.end_ns = sp.start_ns + dur;
	}
	return ac_pj_finish_and_emit(c, &sp, have_trace, have_span);
}

static int clickhouse_walk(ac_pctx *c, int root)
{
	ac_json *j = c->j;
	int data = json_rows(j, root);
	if (data < 0)
		return row(c, root);
	int e = data + 1;
	for (int n = 0; n < j->tok[data].size; n++, e = ac_json_skip(j, e)) {
		int rc = row(c, e);
		if (rc)
			return rc;
	}
	return 0;
}

const ac_json_format ac_fmt_clickhouse = { AC_REC_CLICKHOUSE, clickhouse_detect, clickhouse_walk };
