/*
 * OTLP protobuf decoder (contract in otlp_pb.h): the binary encoding of
 * ExportTraceServiceRequest / TracesData, read straight from the wire format
 * without generated code or descriptors.
 *
 * Wire format (protobuf encoding guide): a message is a sequence of fields,
 * each a varint key (field number << 3 | wire type) and a value: 0 VARINT,
 * 1 I64 (8 bytes little-endian), 2 LEN (varint length + bytes), 3/4 start /
 * end of a group (deprecated, skipped with their content), 5 I32. Unknown
 * fields of every wire type are skipped; the last occurrence of a non-repeated
 * field wins; repeated fields may be spread over the message.
 *
 * Ids: trace_id / span_id / parent_span_id are the raw 16 / 8 / 8 bytes of
 * the source (no derivation): an empty or all-zero trace_id or span_id
 * rejects the span, an empty or all-zero parent_span_id is a root. Times are
 * the fixed64 nanoseconds as written. The checks every format shares (ids
 * present, times in 2000..2100, end >= start) are ac_pj_finish_and_emit's.
 *
 * Two passes over a message: the first checks the structure down to the
 * spans (so a broken message is one error and emits nothing), the second
 * decodes; a problem inside a span rejects that span alone.
 */
#include "otlp_pb.h"

#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/hex.h"
#include "attrmap.h"
#include "pjson.h"

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_SGROUP = 3, WT_EGROUP = 4, WT_I32 = 5 };

/* Deepest nesting of groups (skipped) and of AnyValue arrays / kvlists (rendered). */
#define MAX_DEPTH 32

/* Number texts of int / double attribute values (ac_value.s), per record. */
#define NUM_SLOTS 96
#define NUM_LEN 32

/* One field as read from the wire. */
typedef struct pbf {
	uint32_t num;
	int wt;
	uint64_t v;        /* VARINT, I64, I32 */
	const uint8_t *p;  /* LEN: the bytes */
	size_t n;
	const uint8_t *at; /* start of the key */
} pbf;

/* A read position in one message, and the first problem met. */
typedef struct cur {
	const uint8_t *p, *end;
	const uint8_t *errat;
	char why[160];
} cur;

static void cur_init(cur *c, const uint8_t *p, size_t n)
{
	c->p = p;
	c->end = p + n;
	c->errat = NULL;
	c->why[0] = '\0';
}

static int bad(cur *c, const uint8_t *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bad(cur *c, const uint8_t *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	c->errat = at;
	return -1;
}

/* A varint at *pp (before end): 0, -1 truncated, -2 longer than 10 bytes or over 64 bits. */
static int get_varint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	const uint8_t *p = *pp;
	uint64_t v = 0;
	for (int i = 0; i < 10; i++) {
		if (p >= end)
			return -1;
		uint8_t b = *p++;
		if (i == 9 && b > 1)
			return -2;
		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*pp = p;
			*out = v;
			return 0;
		}
	}
	return -2;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int next_field(cur *c, pbf *f, int depth);

/* Skip a group's content up to its end-group key (the start key is read). */
static int skip_group(cur *c, const pbf *start, int depth)
{
	pbf g;
	if (depth >= MAX_DEPTH)
		return bad(c, start->at, "groups nested deeper than %d", MAX_DEPTH);
	for (;;) {
		int r = next_field(c, &g, depth + 1);
		if (r < 0)
			return r;
		if (r == 0)
			return bad(c, start->at, "group (field %u) is not closed", start->num);
		if (g.wt == WT_EGROUP) {
			if (g.num != start->num)
				return bad(c, g.at, "end of group %u inside group %u", g.num, start->num);
			return 0;
		}
	}
}

/*
 * Read the next field of the message at c. Returns 1 (in *f), 0 at the end
 * of the message, -1 on malformed data (c->why, c->errat). An end-group key
 * is returned as a field of wire type 4 for the caller to judge; groups are
 * skipped whole.
 */
static int next_field(cur *c, pbf *f, int depth)
{
	uint64_t key;
	int r;

	if (c->p >= c->end)
		return 0;
	f->at = c->p;
	r = get_varint(&c->p, c->end, &key);
	if (r)
		return bad(c, f->at, r == -1 ? "truncated field key" : "field key longer than 10 bytes");
	if (key >> 3 == 0 || key >> 3 > 0x1FFFFFFF)
		return bad(c, f->at, "bad field number %llu", (unsigned long long)(key >> 3));
	f->num = (uint32_t)(key >> 3);
	f->wt = (int)(key & 7);
	f->p = NULL;
	f->n = 0;
	f->v = 0;
	switch (f->wt) {
	case WT_VARINT:
		r = get_varint(&c->p, c->end, &f->v);
		if (r)
			return bad(c, f->at, r == -1 ? "truncated varint (field %u)"
			                             : "varint longer than 10 bytes (field %u)", f->num);
		return 1;
	case WT_I64:
		if (c->end - c->p < 8)
			return bad(c, f->at, "truncated fixed64 (field %u)", f->num);
		f->v = le64(c->p);
		c->p += 8;
		return 1;
	case WT_I32:
		if (c->end - c->p < 4)
			return bad(c, f->at, "truncated fixed32 (field %u)", f->num);
		f->v = (uint64_t)c->p[0] | (uint64_t)c->p[1] << 8 | (uint64_t)c->p[2] << 16 |
		       (uint64_t)c->p[3] << 24;
		c->p += 4;
		return 1;
	case WT_LEN: {
		uint64_t len;
		r = get_varint(&c->p, c->end, &len);
		if (r)
			return bad(c, f->at, r == -1 ? "truncated length (field %u)"
			                             : "length varint longer than 10 bytes (field %u)", f->num);
		if (len > (uint64_t)(c->end - c->p))
			return bad(c, f->at, "length %llu of field %u runs past the end (%zu bytes left)",
			           (unsigned long long)len, f->num, (size_t)(c->end - c->p));
		f->p = c->p;
		f->n = (size_t)len;
		c->p += len;
		return 1;
	}
	case WT_SGROUP:
		r = skip_group(c, f, depth);
		return r < 0 ? r : 1;
	case WT_EGROUP:
		return 1;
	default:
		return bad(c, f->at, "invalid wire type %d (field %u)", f->wt, f->num);
	}
}

/* Next field of a message body: an end-group here has no start. */
static int next(cur *c, pbf *f)
{
	int r = next_field(c, f, 0);
	if (r > 0 && f->wt == WT_EGROUP)
		return bad(c, f->at, "end of group %u without a start", f->num);
	return r;
}

/* Check a whole message's fields (their content is not looked into). */
static int check_fields(cur *c)
{
	pbf f;
	int r;
	while ((r = next(c, &f)) > 0)
		;
	return r;
}

/* A nested message's problem, carried into the outer cursor. */
static int inner_bad(cur *outer, const cur *in)
{
	outer->errat = in->errat;
	memcpy(outer->why, in->why, sizeof(outer->why));
	return -1;
}

static const char *wt_name(int wt)
{
	static const char *const n[] = { "varint", "fixed64", "length-delimited", "start-group",
		                         "end-group", "fixed32", "6", "7" };
	return n[wt & 7];
}

/* ---- pass 1: structure down to the spans --------------------------------- */

static int check_scope_spans(cur *c)
{
	pbf f;
	int r;
	while ((r = next(c, &f)) > 0) {
		if ((f.num == 1 || f.num == 2) && f.wt != WT_LEN)
			return bad(c, f.at, "%s (field %u of ScopeSpans) is %s, not a message",
			           f.num == 1 ? "scope" : "spans", f.num, wt_name(f.wt));
		if (f.num == 1) {
			cur in;
			cur_init(&in, f.p, f.n);
			if (check_fields(&in))
				return inner_bad(c, &in);
		}
	}
	return r;
}

static int check_resource_spans(cur *c)
{
	pbf f;
	int r;
	while ((r = next(c, &f)) > 0) {
		if (f.num != 1 && f.num != 2 && f.num != 1000)
			continue;
		if (f.wt != WT_LEN)
			return bad(c, f.at, "field %u of ResourceSpans (%s) is %s, not a message", f.num,
			           f.num == 1 ? "resource" : "scope_spans", wt_name(f.wt));
		cur in;
		cur_init(&in, f.p, f.n);
		if (f.num == 1 ? check_fields(&in) : check_scope_spans(&in))
			return inner_bad(c, &in);
	}
	return r;
}

static int check_request(cur *c)
{
	pbf f;
	int r;
	while ((r = next(c, &f)) > 0) {
		if (f.num != 1)
			continue;
		if (f.wt != WT_LEN)
			return bad(c, f.at, "resource_spans (field 1) is %s, not a message: not OTLP traces",
			           wt_name(f.wt));
		cur in;
		cur_init(&in, f.p, f.n);
		if (check_resource_spans(&in))
			return inner_bad(c, &in);
	}
	return r;
}

/* ---- pass 2: decode ------------------------------------------------------ */

/* Returned up from the first span when the message is not traces. */
enum { NOT_TRACES_LOGS = 1, NOT_TRACES_METRICS = 2 };

typedef struct pbctx {
	const uint8_t *base; /* the message */
	long long data_off;  /* offset of base[0] in the input, -1 when unknown */
	ac_pctx pc;          /* line, callback (no JSON: pc.j is NULL) */
	int nspans;          /* span messages met so far */
	int nnum;            /* number slots in use */
	int nnum_res;        /* ... of which the resource's */
	char num[NUM_SLOTS][NUM_LEN];
} pbctx;

/* Input position of a pointer into the message. */
static long long pos_of(const pbctx *x, const uint8_t *at)
{
	long long rel = (long long)(at - x->base);
	return x->data_off >= 0 ? x->data_off + rel : rel;
}

static void sfail(ac_span *sp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sfail(ac_span *sp, const char *fmt, ...)
{
	va_list ap;
	if (sp->err[0])
		return; /* the first problem is kept */
	va_start(ap, fmt);
	vsnprintf(sp->err, sizeof(sp->err), fmt, ap);
	va_end(ap);
}

/* "byte N" or "byte N of the message" for a message decompressed from a frame. */
static const char *where(const pbctx *x)
{
	return x->data_off >= 0 ? "" : " of the message";
}

/* The shortest of %.15g, %.16g, %.17g that reads back as d (0.0159, not 0.015900000000000001). */
static void fmt_double(char *dst, size_t cap, double d)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(dst, cap, "%.*g", prec, d);
		if (strtod(dst, NULL) == d)
			return;
	}
}

static ac_str num_text(pbctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static ac_str num_text(pbctx *x, const char *fmt, ...)
{
	ac_str s = { "", 0 };
	va_list ap;
	if (x->nnum >= NUM_SLOTS)
		return s; /* out of slots: the value has no text (only messages and string fields use it) */
	char *d = x->num[x->nnum++];
	va_start(ap, fmt);
	int k = vsnprintf(d, NUM_LEN, fmt, ap);
	va_end(ap);
	s.p = d;
	s.n = k < 0 ? 0 : (size_t)k < NUM_LEN ? (size_t)k : NUM_LEN - 1;
	return s;
}

/* AnyValue -> ac_value. 0, or -1 (c->why). The oneof's last member wins. */
static int any_value(pbctx *x, const uint8_t *p, size_t n, ac_value *v, cur *c)
{
	pbf f;
	int r;
	memset(v, 0, sizeof(*v));
	v->kind = AC_V_OTHER;
	cur_init(c, p, n);
	while ((r = next(c, &f)) > 0) {
		static const int want[] = { -1, WT_LEN, WT_VARINT, WT_VARINT, WT_I64, WT_LEN, WT_LEN, WT_LEN };
		if (f.num >= 1 && f.num <= 7 && f.wt != want[f.num])
			return bad(c, f.at, "AnyValue field %u is %s", f.num, wt_name(f.wt));
		switch (f.num) {
		case 1: /* string_value */
			memset(v, 0, sizeof(*v));
			v->kind = AC_V_STR;
			v->s.p = (const char *)f.p;
			v->s.n = f.n;
			break;
		case 2: /* bool_value */
			memset(v, 0, sizeof(*v));
			v->kind = AC_V_BOOL;
			v->i = f.v != 0;
			v->s.p = f.v ? "true" : "false";
			v->s.n = strlen(v->s.p);
			break;
		case 3: /* int_value: int64, two's complement in the varint */
			memset(v, 0, sizeof(*v));
			v->kind = AC_V_INT;
			v->int_ok = 1;
			v->i = (int64_t)f.v;
			v->d = (double)v->i;
			v->s = num_text(x, "%lld", (long long)v->i);
			break;
		case 4: /* double_value */
			memset(v, 0, sizeof(*v));
			v->kind = AC_V_DBL;
			memcpy(&v->d, &f.v, sizeof(v->d));
			char dt[NUM_LEN];
			fmt_double(dt, sizeof(dt), v->d);
			v->s = num_text(x, "%s", dt);
			break;
		case 5: /* array_value, kvlist_value, bytes_value: no mapped field uses them */
		case 6:
		case 7:
			memset(v, 0, sizeof(*v));
			v->kind = AC_V_OTHER;
			break;
		default:
			break;
		}
	}
	return r;
}

/* One KeyValue applied to sp when the attribute table maps its key. 0 or -1 (c->why). */
static int key_value(pbctx *x, const uint8_t *p, size_t n, ac_span *sp, int resource, cur *c)
{
	const uint8_t *key = NULL, *val = NULL;
	size_t kn = 0, vn = 0;
	pbf f;
	int r, prio;
	cur_init(c, p, n);
	while ((r = next(c, &f)) > 0) {
		if ((f.num == 1 || f.num == 2) && f.wt != WT_LEN)
			return bad(c, f.at, "KeyValue %s (field %u) is %s", f.num == 1 ? "key" : "value",
			           f.num, wt_name(f.wt));
		if (f.num == 1) {
			key = f.p;
			kn = f.n;
		} else if (f.num == 2) {
			val = f.p;
			vn = f.n;
		}
	}
	if (r < 0)
		return r;
	if (!key || ac_attr_lookup((const char *)key, kn, &prio) == AC_F_NONE)
		return 0;
	ac_value v;
	if (val) {
		if (any_value(x, val, vn, &v, c))
			return -1;
	} else {
		memset(&v, 0, sizeof(v));
		v.kind = AC_V_OTHER;
	}
	ac_attr_apply(sp, (const char *)key, kn, &v, resource);
	return 0;
}

/* Copy an id field: 1 present, 0 empty, -1 wrong length, -2 all zeros. */
static int take_id(const pbf *f, uint8_t *out, size_t n)
{
	unsigned any = 0;
	if (f->n == 0)
		return 0;
	if (f->n != n)
		return -1;
	for (size_t i = 0; i < n; i++)
		any |= f->p[i];
	if (!any)
		return -2; /* invalid in W3C trace context */
	memcpy(out, f->p, n);
	return 1;
}

/* decode_span(): whether the first record is an OTLP log or metric, not a span: 0 or NOT_TRACES_*. */
static int sniff_not_traces(const uint8_t *p, size_t n)
{
	cur c;
	pbf f;

	/* OTLP logs and metrics share the outer shape (resource = 1, scope_* = 2,
	 * records = 2); their records tell: LogRecord.time_unix_nano = 1 is
	 * fixed64 where Span.trace_id is bytes; Metric.sum = 7 is a message
	 * where Span.start_time_unix_nano is fixed64 */
	cur_init(&c, p, n);
	while (next(&c, &f) > 0) {
		if (f.num == 1 && f.wt == WT_I64)
			return NOT_TRACES_LOGS;
		if (f.num == 7 && f.wt == WT_LEN)
			return NOT_TRACES_METRICS;
	}
	return 0;
}

/* decode_span(): the Status message f (its code). */
static void decode_status(pbctx *x, const pbf *f, ac_span *sp)
{
	cur in;
	pbf g;
	int rs;
	cur_init(&in, f->p, f->n);
	while ((rs = next(&in, &g)) > 0) {
		if (g.num != 3)
			continue;
		if (g.wt != WT_VARINT) {
			sfail(sp, "status.code is %s (byte %lld%s)", wt_name(g.wt), pos_of(x, g.at),
			      where(x));
		} else if (g.v > 2) {
			sfail(sp, "status.code is %llu, not 0, 1 or 2", (unsigned long long)g.v);
		} else {
			sp->status = (int)g.v;
		}
	}
	if (rs < 0)
		sfail(sp, "status: %s (byte %lld%s)", in.why, pos_of(x, in.errat), where(x));
}

static int decode_span(pbctx *x, const uint8_t *p, size_t n, const ac_span *base)
{
	static const int want[16] = { -1, WT_LEN, WT_LEN, WT_LEN, WT_LEN, WT_LEN, WT_VARINT, WT_I64,
		                      WT_I64, WT_LEN, WT_VARINT, WT_LEN, WT_VARINT, WT_LEN, WT_VARINT,
		                      WT_LEN };
	static const char *const names[16] = { "", "trace_id", "span_id", "trace_state",
		                               "parent_span_id", "name", "kind",
		                               "start_time_unix_nano", "end_time_unix_nano",
		                               "attributes", "dropped_attributes_count", "events",
		                               "dropped_events_count", "links", "dropped_links_count",
		                               "status" };
	ac_span sp = *base;
	int have_trace = 0, have_span = 0, r;
	cur c, in;
	pbf f;

	sp.raw.p = (const char *)p;
	sp.raw.n = n;
	x->nnum = x->nnum_res;
	if (x->nspans++ == 0 && (r = sniff_not_traces(p, n)) != 0)
		return r;
	cur_init(&c, p, n);
	while ((r = next(&c, &f)) > 0) {
		if (f.num < 16 && f.wt != want[f.num]) {
			if (f.num == 1 && f.wt == WT_I64)
				sfail(&sp, "field 1 is fixed64, not the bytes of a trace_id: an OTLP log "
				      "record, not a span? (byte %lld%s)", pos_of(x, f.at), where(x));
			else
				sfail(&sp, "%s (field %u) is %s (byte %lld%s)", names[f.num], f.num,
				      wt_name(f.wt), pos_of(x, f.at), where(x));
			continue;
		}
		switch (f.num) {
		case 1:
			have_trace = take_id(&f, sp.trace_id, 16);
			if (have_trace == -1)
				sfail(&sp, "trace_id is %zu bytes, not 16", f.n);
			else if (have_trace == -2)
				sfail(&sp, "%s", "trace_id is all zeros");
			have_trace = have_trace > 0;
			break;
		case 2:
			have_span = take_id(&f, sp.span_id, 8);
			if (have_span == -1)
				sfail(&sp, "span_id is %zu bytes, not 8", f.n);
			else if (have_span == -2)
				sfail(&sp, "%s", "span_id is all zeros");
			have_span = have_span > 0;
			break;
		case 4: {
			int k = take_id(&f, sp.parent_id, 8);
			if (k == -1)
				sfail(&sp, "parent_span_id is %zu bytes, not 8", f.n);
			sp.has_parent = k > 0; /* empty or all zeros: a root */
			break;
		}
		case 5:
			sp.name.p = (const char *)f.p;
			sp.name.n = f.n;
			break;
		case 7:
		case 8:
			if (f.v > (uint64_t)INT64_MAX) {
				sfail(&sp, "%s is out of range: %llu", names[f.num], (unsigned long long)f.v);
				break;
			}
			if (f.num == 7)
				sp.start_ns = (int64_t)f.v;
			else
				sp.end_ns = (int64_t)f.v;
			break;
		case 9:
			if (key_value(x, f.p, f.n, &sp, 0, &in))
				sfail(&sp, "attribute: %s (byte %lld%s)", in.why, pos_of(x, in.errat), where(x));
			break;
		case 15:
			decode_status(x, &f, &sp);
			break;
		default:
			break; /* kind, trace_state, events, links, counts, flags, unknown: not used */
		}
	}
	if (r < 0)
		sfail(&sp, "malformed span: %s (byte %lld%s)", c.why, pos_of(x, c.errat), where(x));
	return ac_pj_finish_and_emit(&x->pc, &sp, have_trace, have_span);
}

static int decode_scope_spans(pbctx *x, const uint8_t *p, size_t n, const ac_span *base)
{
	cur c, in;
	pbf f, g;
	int r;
	/* the scope's name (InstrumentationScope.name = 1), wherever it is */
	ac_span scoped = *base;
	cur_init(&c, p, n);
	while (next(&c, &f) > 0) {
		if (f.num != 1 || f.wt != WT_LEN)
			continue;
		cur_init(&in, f.p, f.n);
		while (next(&in, &g) > 0)
			if (g.num == 1 && g.wt == WT_LEN && g.n > 0) {
				scoped.str[AC_F_SCOPE].p = (const char *)g.p;
				scoped.str[AC_F_SCOPE].n = g.n;
				scoped.prio[AC_F_SCOPE] = 1;
			}
	}
	cur_init(&c, p, n);
	while ((r = next(&c, &f)) > 0) {
		if (f.num != 2)
			continue;
		r = decode_span(x, f.p, f.n, &scoped);
		if (r)
			return r;
	}
	return 0; /* the structure was checked in pass 1 */
}

static int decode_resource_spans(pbctx *x, const uint8_t *p, size_t n)
{
	ac_span base;
	cur c, in, kv;
	pbf f, g;
	int r, has_scope_spans = 0;

	ac_span_reset(&base);
	x->nnum = 0;
	/* the resource first, wherever it is: its attributes are the spans' defaults */
	cur_init(&c, p, n);
	while ((r = next(&c, &f)) > 0) {
		has_scope_spans |= f.num == 2;
		if (f.num != 1)
			continue;
		cur_init(&in, f.p, f.n);
		while (next(&in, &g) > 0) {
			if (g.num != 1)
				continue;
			if (g.wt != WT_LEN)
				sfail(&base, "resource attribute is %s (byte %lld%s)", wt_name(g.wt),
				      pos_of(x, g.at), where(x));
			else if (key_value(x, g.p, g.n, &base, 1, &kv))
				sfail(&base, "resource attribute: %s (byte %lld%s)", kv.why, pos_of(x, kv.errat),
				      where(x));
		}
	}
	x->nnum_res = x->nnum;
	/* scope_spans; the old instrumentation_library_spans (1000, same shape)
	 * only when there are none, as its deprecation note said */
	uint32_t want = has_scope_spans ? 2 : 1000;
	cur_init(&c, p, n);
	while ((r = next(&c, &f)) > 0) {
		if (f.num != want)
			continue;
		r = decode_scope_spans(x, f.p, f.n, &base);
		if (r)
			return r;
	}
	return 0;
}

int ac_pb_parse_record(const uint8_t *p, size_t n, long long line, long long data_off, int *kind,
                       ac_span_fn emit, void *payload, ac_err *err)
{
	pbctx local;
	pbctx *x = &local;
	cur c;
	pbf f;
	int r;

	*kind = AC_REC_PROTO;
	cur_init(&c, p, n);
	if (check_request(&c)) {
		long long at = (long long)(c.errat - p);
		if (data_off >= 0)
			return ac_err_setpos(err, AC_EPARSE, line, 0, "byte %lld: %s", data_off + at, c.why);
		return ac_err_setpos(err, AC_EPARSE, line, 0, "byte %lld of the message: %s", at, c.why);
	}
	memset(x, 0, offsetof(pbctx, num));
	x->base = p;
	x->data_off = data_off;
	x->pc.j = NULL;
	x->pc.line = line;
	x->pc.emit = emit;
	x->pc.payload = payload;
	cur_init(&c, p, n);
	while ((r = next(&c, &f)) > 0) {
		if (f.num != 1)
			continue;
		r = decode_resource_spans(x, f.p, f.n);
		if (r == NOT_TRACES_LOGS)
			return ac_err_setpos(err, AC_EFORMAT, line, 0,
			                     "OTLP logs (protobuf ExportLogsServiceRequest), not traces: "
			                     "agentcost reads traces only");
		if (r == NOT_TRACES_METRICS)
			return ac_err_setpos(err, AC_EFORMAT, line, 0,
			                     "OTLP metrics (protobuf ExportMetricsServiceRequest), not traces: "
			                     "agentcost reads traces only");
		if (r)
			return r;
	}
	return 0;
}

/* ---- rendering a span as OTLP JSON (agentcost show) ----------------------- */

enum { T_HEX, T_STR, T_UINT, T_FIX64S, T_FIX32, T_INT64S, T_DBL, T_BOOL, T_B64, T_MSG };

typedef struct mdesc mdesc;
typedef struct fdesc {
	uint32_t num;
	const char *name;
	unsigned char type, rep;
	const mdesc *msg;
} fdesc;
struct mdesc {
	const fdesc *f;
	unsigned n;
};

static const mdesc M_ANY, M_KV, M_ARRAY, M_KVLIST, M_STATUS, M_EVENT, M_LINK, M_SPAN;

#define N(a) (unsigned)(sizeof(a) / sizeof(a[0]))
static const fdesc F_ANY[] = {
	{ 1, "stringValue", T_STR, 0, NULL },   { 2, "boolValue", T_BOOL, 0, NULL },
	{ 3, "intValue", T_INT64S, 0, NULL },   { 4, "doubleValue", T_DBL, 0, NULL },
	{ 5, "arrayValue", T_MSG, 0, &M_ARRAY }, { 6, "kvlistValue", T_MSG, 0, &M_KVLIST },
	{ 7, "bytesValue", T_B64, 0, NULL },
};
static const fdesc F_KV[] = { { 1, "key", T_STR, 0, NULL }, { 2, "value", T_MSG, 0, &M_ANY } };
static const fdesc F_ARRAY[] = { { 1, "values", T_MSG, 1, &M_ANY } };
static const fdesc F_KVLIST[] = { { 1, "values", T_MSG, 1, &M_KV } };
static const fdesc F_STATUS[] = { { 2, "message", T_STR, 0, NULL }, { 3, "code", T_UINT, 0, NULL } };
static const fdesc F_EVENT[] = {
	{ 1, "timeUnixNano", T_FIX64S, 0, NULL }, { 2, "name", T_STR, 0, NULL },
	{ 3, "attributes", T_MSG, 1, &M_KV },    { 4, "droppedAttributesCount", T_UINT, 0, NULL },
};
static const fdesc F_LINK[] = {
	{ 1, "traceId", T_HEX, 0, NULL },     { 2, "spanId", T_HEX, 0, NULL },
	{ 3, "traceState", T_STR, 0, NULL },  { 4, "attributes", T_MSG, 1, &M_KV },
	{ 5, "droppedAttributesCount", T_UINT, 0, NULL }, { 6, "flags", T_FIX32, 0, NULL },
};
static const fdesc F_SPAN[] = {
	{ 1, "traceId", T_HEX, 0, NULL },
	{ 2, "spanId", T_HEX, 0, NULL },
	{ 3, "traceState", T_STR, 0, NULL },
	{ 4, "parentSpanId", T_HEX, 0, NULL },
	{ 16, "flags", T_FIX32, 0, NULL },
	{ 5, "name", T_STR, 0, NULL },
	{ 6, "kind", T_UINT, 0, NULL },
	{ 7, "startTimeUnixNano", T_FIX64S, 0, NULL },
	{ 8, "endTimeUnixNano", T_FIX64S, 0, NULL },
	{ 9, "attributes", T_MSG, 1, &M_KV },
	{ 10, "droppedAttributesCount", T_UINT, 0, NULL },
	{ 11, "events", T_MSG, 1, &M_EVENT },
	{ 12, "droppedEventsCount", T_UINT, 0, NULL },
	{ 13, "links", T_MSG, 1, &M_LINK },
	{ 14, "droppedLinksCount", T_UINT, 0, NULL },
	{ 15, "status", T_MSG, 0, &M_STATUS },
};
static const mdesc M_ANY = { F_ANY, N(F_ANY) };
static const mdesc M_KV = { F_KV, N(F_KV) };
static const mdesc M_ARRAY = { F_ARRAY, N(F_ARRAY) };
static const mdesc M_KVLIST = { F_KVLIST, N(F_KVLIST) };
static const mdesc M_STATUS = { F_STATUS, N(F_STATUS) };
static const mdesc M_EVENT = { F_EVENT, N(F_EVENT) };
static const mdesc M_LINK = { F_LINK, N(F_LINK) };
static const mdesc M_SPAN = { F_SPAN, N(F_SPAN) };

static int wire_of(int type)
{
	switch (type) {
	case T_UINT:
	case T_INT64S:
	case T_BOOL:
		return WT_VARINT;
	case T_FIX64S:
	case T_DBL:
		return WT_I64;
	case T_FIX32:
		return WT_I32;
	default:
		return WT_LEN;
	}
}

static void json_string(ac_buf *o, const uint8_t *p, size_t n)
{
	ac_buf_addc(o, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = p[i];
		if (ch == '"' || ch == '\\') {
			ac_buf_addc(o, '\\');
			ac_buf_addc(o, (char)ch);
		} else if (ch == '\n') {
			ac_buf_adds(o, "\\n");
		} else if (ch == '\t') {
			ac_buf_adds(o, "\\t");
		} else if (ch == '\r') {
			ac_buf_adds(o, "\\r");
		} else if (ch < 0x20 || ch == 0x7f) {
			ac_buf_printf(o, "\\u%04x", ch);
		} else {
			ac_buf_addc(o, (char)ch);
		}
	}
	ac_buf_addc(o, '"');
}

static void base64(ac_buf *o, const uint8_t *p, size_t n)
{
	static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	ac_buf_addc(o, '"');
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
		             (i + 2 < n ? p[i + 2] : 0);
		ac_buf_addc(o, A[v >> 18 & 63]);
		ac_buf_addc(o, A[v >> 12 & 63]);
		ac_buf_addc(o, i + 1 < n ? A[v >> 6 & 63] : '=');
		ac_buf_addc(o, i + 2 < n ? A[v & 63] : '=');
	}
	ac_buf_addc(o, '"');
}

static int render_msg(ac_buf *o, const mdesc *m, const uint8_t *p, size_t n, int depth);

static int render_value(ac_buf *o, const fdesc *d, const pbf *f, int depth)
{
	char hex[2 * 64 + 1];
	double dv;
	switch (d->type) {
	case T_HEX:
		if (f->n > 64)
			return -1;
		ac_hex(f->p, f->n, hex);
		ac_buf_printf(o, "\"%s\"", hex);
		return 0;
	case T_STR:
		json_string(o, f->p, f->n);
		return 0;
	case T_UINT:
		ac_buf_printf(o, "%llu", (unsigned long long)f->v);
		return 0;
	case T_FIX64S:
		ac_buf_printf(o, "\"%llu\"", (unsigned long long)f->v);
		return 0;
	case T_FIX32:
		ac_buf_printf(o, "%lu", (unsigned long)f->v);
		return 0;
	case T_INT64S:
		ac_buf_printf(o, "\"%lld\"", (long long)(int64_t)f->v);
		return 0;
	case T_DBL:
		memcpy(&dv, &f->v, sizeof(dv));
		if (isnan(dv))
			ac_buf_adds(o, "\"NaN\"");
		else if (isinf(dv))
			ac_buf_adds(o, dv > 0 ? "\"Infinity\"" : "\"-Infinity\"");
		else {
			char dt[40];
			fmt_double(dt, sizeof(dt), dv);
			ac_buf_adds(o, dt);
		}
		return 0;
	case T_BOOL:
		ac_buf_adds(o, f->v ? "true" : "false");
		return 0;
	case T_B64:
		base64(o, f->p, f->n);
		return 0;
	default:
		return render_msg(o, d->msg, f->p, f->n, depth + 1);
	}
}

/* One message as a JSON object, fields in the descriptor's order, then the unknown ones. */
static int render_msg(ac_buf *o, const mdesc *m, const uint8_t *p, size_t n, int depth)
{
	cur c;
	pbf f;
	int r, first = 1;

	if (depth > MAX_DEPTH)
		return -1;
	/* well-formed, and every known field of its declared wire type */
	cur_init(&c, p, n);
	while ((r = next(&c, &f)) > 0)
		for (unsigned k = 0; k < m->n; k++)
			if (m->f[k].num == f.num && wire_of(m->f[k].type) != f.wt)
				return -1;
	if (r < 0)
		return -1;
	ac_buf_addc(o, '{');
	for (unsigned k = 0; k < m->n; k++) {
		const fdesc *d = &m->f[k];
		pbf last;
		int count = 0;
		memset(&last, 0, sizeof(last));
		cur_init(&c, p, n);
		while (next(&c, &f) > 0) {
			if (f.num != d->num)
				continue;
			if (d->rep) {
				if (!count)
					ac_buf_printf(o, "%s\"%s\":[", first ? "" : ",", d->name);
				else
					ac_buf_addc(o, ',');
				if (render_value(o, d, &f, depth))
					return -1;
			}
			last = f;
			count++;
		}
		if (!count)
			continue;
		if (d->rep) {
			ac_buf_addc(o, ']');
		} else {
			ac_buf_printf(o, "%s\"%s\":", first ? "" : ",", d->name);
			if (render_value(o, d, &last, depth))
				return -1;
		}
		first = 0;
	}
	/* unknown fields, so that nothing is hidden: numbers as such, bytes in base64 */
	cur_init(&c, p, n);
	while (next(&c, &f) > 0) {
		unsigned k;
		for (k = 0; k < m->n && m->f[k].num != f.num; k++)
			;
		if (k < m->n || f.wt == WT_SGROUP)
			continue;
		ac_buf_printf(o, "%s\"field%u\":", first ? "" : ",", f.num);
		if (f.wt == WT_LEN)
			base64(o, f.p, f.n);
		else
			ac_buf_printf(o, "%llu", (unsigned long long)f.v);
		first = 0;
	}
	ac_buf_addc(o, '}');
	return 0;
}

int ac_pb_span_json(ac_buf *out, const uint8_t *p, size_t n)
{
	cur c;
	pbf f;
	int r, trace = 0, span = 0;

	cur_init(&c, p, n);
	while ((r = next(&c, &f)) > 0) {
		if (f.num == 1)
			trace = f.wt == WT_LEN && f.n == 16;
		else if (f.num == 2)
			span = f.wt == WT_LEN && f.n == 8;
	}
	if (r < 0 || !trace || !span)
		return -1;
	return render_msg(out, &M_SPAN, p, n, 0);
}
