/*
 * Unit tests of the OTLP protobuf decoder (src/ingest/otlp_pb.h) and of the
 * reader's protobuf layouts (src/ingest/reader.h). Every message is built
 * byte by byte here with a tiny encoder written from the protobuf encoding
 * guide (key = field << 3 | wire type; varints little-endian base 128; LEN =
 * varint length + bytes; I64 / I32 little-endian), with the OTLP field
 * numbers of trace.proto / common.proto: ExportTraceServiceRequest
 * .resource_spans = 1; ResourceSpans .resource = 1, .scope_spans = 2, old
 * .instrumentation_library_spans = 1000; Resource .attributes = 1;
 * ScopeSpans .spans = 2; Span .trace_id = 1, .span_id = 2, .parent_span_id = 4,
 * .name = 5, .start_time_unix_nano = 7 (fixed64), .end_time_unix_nano = 8,
 * .attributes = 9, .status = 15 { .message = 2, .code = 3 }; KeyValue .key = 1,
 * .value = 2; AnyValue .string_value = 1, .bool_value = 2, .int_value = 3,
 * .double_value = 4, .array_value = 5, .kvlist_value = 6, .bytes_value = 7.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ingest/attrmap.h"
#include "ingest/otlp_pb.h"
#include "ingest/reader.h"
#include "pricing/pricing.h"

/* ---- a tiny protobuf encoder -------------------------------------------- */

typedef struct pb {
	uint8_t d[4096];
	size_t n;
} pb;

static void raw(pb *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->d));
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

static void byte(pb *b, uint8_t c)
{
	raw(b, &c, 1);
}

static void varint(pb *b, uint64_t v)
{
	do {
		uint8_t c = v & 0x7f;
		v >>= 7;
		byte(b, (uint8_t)(c | (v ? 0x80 : 0)));
	} while (v);
}

static void key(pb *b, uint32_t field, int wt)
{
	varint(b, (uint64_t)field << 3 | (uint64_t)wt);
}

static void f_len(pb *b, uint32_t field, const void *p, size_t n)
{
	key(b, field, 2);
	varint(b, n);
	raw(b, p, n);
}

static void f_msg(pb *b, uint32_t field, const pb *m)
{
	f_len(b, field, m->d, m->n);
}

static void f_str(pb *b, uint32_t field, const char *s)
{
	f_len(b, field, s, strlen(s));
}

static void f_varint(pb *b, uint32_t field, uint64_t v)
{
	key(b, field, 0);
	varint(b, v);
}

static void f_fixed64(pb *b, uint32_t field, uint64_t v)
{
	key(b, field, 1);
	for (int i = 0; i < 8; i++)
		byte(b, (uint8_t)(v >> (8 * i)));
}

static void f_double(pb *b, uint32_t field, double d)
{
	uint64_t v;
	memcpy(&v, &d, sizeof(v));
	f_fixed64(b, field, v);
}

/* KeyValue with a string / int / double AnyValue */
static void attr_str(pb *b, uint32_t field, const char *k, const char *v)
{
	pb kv = { .n = 0 }, av = { .n = 0 };
	f_str(&av, 1, v);
	f_str(&kv, 1, k);
	f_msg(&kv, 2, &av);
	f_msg(b, field, &kv);
}

static void attr_int(pb *b, uint32_t field, const char *k, uint64_t v)
{
	pb kv = { .n = 0 }, av = { .n = 0 };
	f_varint(&av, 3, v);
	f_str(&kv, 1, k);
	f_msg(&kv, 2, &av);
	f_msg(b, field, &kv);
}

static void attr_double(pb *b, uint32_t field, const char *k, double v)
{
	pb kv = { .n = 0 }, av = { .n = 0 };
	f_double(&av, 4, v);
	f_str(&kv, 1, k);
	f_msg(&kv, 2, &av);
	f_msg(b, field, &kv);
}

static const uint8_t TID[16] = { 0x5b, 0x8e, 0xff, 0xf7, 0x98, 0x03, 0x81, 0x03,
	                         0xd2, 0x69, 0xb6, 0x33, 0x81, 0x3f, 0xc6, 0x0c };
static const uint8_t SID[8] = { 0xee, 0xe1, 0x9b, 0x7e, 0xc3, 0xc1, 0xb1, 0x74 };
static const uint8_t PID[8] = { 0xaa, 0xaa, 0xbb, 0xbb, 0xcc, 0xcc, 0xdd, 0xdd };

/* 2025-06-01T12:00:00Z = 1748779200 s (see test_otlp.c); end 1.5 s later */
#define T0 1748779200000000000ULL
#define T1 1748779201500000000ULL

/* A valid LLM span: ids (span id's last byte = sid_last), times, model, tokens 1000/200. */
static void span_ok(pb *s, uint8_t sid_last)
{
	uint8_t sid[8];
	memcpy(sid, SID, 8);
	sid[7] = sid_last;
	f_len(s, 1, TID, 16);
	f_len(s, 2, sid, 8);
	f_len(s, 4, PID, 8);
	f_str(s, 5, "chat gpt-4o-mini");
	f_varint(s, 6, 3);
	f_fixed64(s, 7, T0);
	f_fixed64(s, 8, T1);
	attr_str(s, 9, "gen_ai.operation.name", "chat");
	attr_str(s, 9, "gen_ai.request.model", "gpt-4o-mini");
	attr_int(s, 9, "gen_ai.usage.input_tokens", 1000);
	attr_int(s, 9, "gen_ai.usage.output_tokens", 200);
}

/* Request { ResourceSpans { resource{service.name}, ScopeSpans{spans...} } } */
static void wrap(pb *req, const pb *spans, size_t nspans, uint32_t ss_field)
{
	pb res = { .n = 0 }, ss = { .n = 0 }, rs = { .n = 0 };
	attr_str(&res, 1, "service.name", "svc");
	{
		pb scope = { .n = 0 };
		f_str(&scope, 1, "test-scope");
		f_msg(&ss, 1, &scope);
	}
	for (size_t i = 0; i < nspans; i++)
		f_msg(&ss, 2, &spans[i]);
	f_msg(&rs, 1, &res);
	f_msg(&rs, ss_field, &ss);
	f_msg(req, 1, &rs);
}

/* ---- collecting spans --------------------------------------------------- */

#define MAXSPANS 8

typedef struct got {
	int n;
	ac_span sp[MAXSPANS];
	char name[MAXSPANS][64];
	char model[MAXSPANS][64];
	char service[MAXSPANS][64];
} got;

static void copy_str(char *dst, ac_str s)
{
	size_t n = s.n < 63 ? s.n : 63;
	memcpy(dst, s.p ? s.p : "", n);
	dst[n] = '\0';
}

static int collect(ac_span *sp, void *payload)
{
	got *g = payload;
	if (g->n < MAXSPANS) {
		g->sp[g->n] = *sp;
		copy_str(g->name[g->n], sp->name);
		copy_str(g->model[g->n], sp->str[AC_F_MODEL]);
		copy_str(g->service[g->n], sp->str[AC_F_SERVICE]);
	}
	g->n++;
	return 0;
}

static int parse(const pb *req, got *g, ac_err *err)
{
	int kind = 0;
	memset(g, 0, sizeof(*g));
	ac_err_clear(err);
	int rc = ac_pb_parse_record(req->d, req->n, 7, 100, &kind, collect, g, err);
	assert_int_equal(kind, AC_REC_PROTO);
	return rc;
}

/* ---- tests -------------------------------------------------------------- */

static void test_basic_span(void **state)
{
	(void)state;
	pb s = { .n = 0 }, req = { .n = 0 };
	got g;
	ac_err err = AC_ERR_INIT;
	span_ok(&s, 0x74);
	{
		pb st = { .n = 0 };
		f_str(&st, 2, "boom");
		f_varint(&st, 3, 2);
		f_msg(&s, 15, &st);
	}
	wrap(&req, &s, 1, 2);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_int_equal(g.n, 1);
	ac_span *sp = &g.sp[0];
	assert_string_equal(sp->err, "");
	assert_memory_equal(sp->trace_id, TID, 16);
	assert_memory_equal(sp->span_id, SID, 8);
	assert_memory_equal(sp->parent_id, PID, 8);
	assert_int_equal(sp->has_parent, 1);
	assert_true(sp->start_ns == (int64_t)T0);
	assert_true(sp->end_ns == (int64_t)T1);
	assert_int_equal(sp->status, 2);
	assert_int_equal(sp->step, AC_STEP_LLM);
	assert_string_equal(g.name[0], "chat gpt-4o-mini");
	assert_string_equal(g.model[0], "gpt-4o-mini");
	assert_string_equal(g.service[0], "svc");
	assert_int_equal(sp->tok[AC_TOK_IN], 1000);
	assert_int_equal(sp->tok[AC_TOK_OUT], 200);
	assert_int_equal(sp->line, 7);
	/* sp.raw is the Span message itself */
	assert_int_equal(sp->raw.n, s.n);
	assert_memory_equal(sp->raw.p, s.d, s.n);
}

/* Unknown fields of every wire type, at every level, are skipped. */
static void unknown_fields(pb *b)
{
	f_varint(b, 20, 300);                 /* VARINT */
	f_fixed64(b, 21, 0x0102030405060708); /* I64 */
	f_str(b, 22, "skip me");              /* LEN */
	key(b, 23, 3);                        /* SGROUP ... */
	f_varint(b, 1, 5);                    /*   a field inside the group */
	key(b, 24, 3);                        /*   a nested group */
	f_str(b, 2, "inner");
	key(b, 24, 4);
	key(b, 23, 4);                        /* ... EGROUP */
	key(b, 25, 5);                        /* I32 */
	raw(b, "\x01\x02\x03\x04", 4);
	f_varint(b, 1000000, 1);              /* a large field number */
}

static void test_skip_every_wire_type(void **state)
{
	(void)state;
	pb s = { .n = 0 }, req = { .n = 0 }, ss = { .n = 0 }, rs = { .n = 0 }, res = { .n = 0 };
	got g;
	ac_err err = AC_ERR_INIT;
	unknown_fields(&s);
	span_ok(&s, 0x74);
	unknown_fields(&s);
	/* a KeyValue and an AnyValue with unknown fields too */
	{
		pb kv = { .n = 0 }, av = { .n = 0 };
		unknown_fields(&av);
		f_varint(&av, 3, 77);
		unknown_fields(&av);
		unknown_fields(&kv);
		f_str(&kv, 1, "gen_ai.usage.reasoning.output_tokens");
		f_msg(&kv, 2, &av);
		unknown_fields(&kv);
		f_msg(&s, 9, &kv);
	}
	unknown_fields(&res);
	attr_str(&res, 1, "service.name", "svc");
	unknown_fields(&ss);
	f_msg(&ss, 2, &s);
	unknown_fields(&ss);
	unknown_fields(&rs);
	f_msg(&rs, 2, &ss);
	f_msg(&rs, 1, &res); /* the resource after the spans: still their default */
	unknown_fields(&rs);
	unknown_fields(&req);
	f_msg(&req, 1, &rs);
	unknown_fields(&req);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.sp[0].err, "");
	assert_int_equal(g.sp[0].tok[AC_TOK_IN], 1000);
	assert_int_equal(g.sp[0].tok[AC_TOK_REASONING], 77);
	assert_string_equal(g.service[0], "svc");
	assert_string_equal(g.model[0], "gpt-4o-mini");
}

/* A truncated varint at the request level: one error, nothing emitted. */
static void test_truncated_varint(void **state)
{
	(void)state;
	pb s = { .n = 0 }, req = { .n = 0 };
	got g;
	ac_err err = AC_ERR_INIT;
	span_ok(&s, 0x74);
	wrap(&req, &s, 1, 2);
	size_t good = req.n;
	f_varint(&req, 20, 1);
	req.d[req.n - 1] = 0x80; /* the value's varint goes on past the end */
	assert_int_equal(parse(&req, &g, &err), AC_EPARSE);
	assert_int_equal(g.n, 0);
	/* the key of field 20 is at message byte `good`, data_off 100 */
	char want[64];
	snprintf(want, sizeof(want), "byte %zu: truncated varint (field 20)", good + 100);
	assert_string_equal(err.msg, want);
	assert_int_equal(err.line, 7);

	/* a varint of 11 bytes */
	req.n = good;
	key(&req, 20, 0);
	raw(&req, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11);
	assert_int_equal(parse(&req, &g, &err), AC_EPARSE);
	assert_non_null(strstr(err.msg, "varint longer than 10 bytes"));

	/* inside one span: that span alone is rejected */
	pb spans[2] = { { .n = 0 }, { .n = 0 } };
	span_ok(&spans[0], 1);
	span_ok(&spans[1], 2);
	key(&spans[0], 20, 0);
	byte(&spans[0], 0x80);
	req.n = 0;
	wrap(&req, spans, 2, 2);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_int_equal(g.n, 2);
	assert_non_null(strstr(g.sp[0].err, "malformed span: truncated varint (field 20)"));
	assert_string_equal(g.sp[1].err, "");
}

static void test_length_past_end(void **state)
{
	(void)state;
	pb s = { .n = 0 }, req = { .n = 0 };
	got g;
	ac_err err = AC_ERR_INIT;
	span_ok(&s, 0x74);
	wrap(&req, &s, 1, 2);
	/* field 1 of the request says 5 bytes, 2 follow */
	size_t at = req.n;
	raw(&req, "\x0a\x05\x01\x02", 4);
	assert_int_equal(parse(&req, &g, &err), AC_EPARSE);
	assert_int_equal(g.n, 0);
	char want[96];
	snprintf(want, sizeof(want), "byte %zu: length 5 of field 1 runs past the end (2 bytes left)",
	         at + 100);
	assert_string_equal(err.msg, want);

	/* a span's length past the end of its ScopeSpans: the message is broken */
	pb ss = { .n = 0 }, rs = { .n = 0 };
	f_msg(&ss, 2, &s);
	raw(&ss, "\x12\x7f", 2);
	f_msg(&rs, 2, &ss);
	req.n = 0;
	f_msg(&req, 1, &rs);
	assert_int_equal(parse(&req, &g, &err), AC_EPARSE);
	assert_int_equal(g.n, 0);
	assert_non_null(strstr(err.msg, "length 127 of field 2 runs past the end"));

	/* an attribute's length past the end of its span: the span alone */
	pb spans[2] = { { .n = 0 }, { .n = 0 } };
	span_ok(&spans[0], 1);
	span_ok(&spans[1], 2);
	raw(&spans[1], "\x4a\x10\x0a", 3); /* attributes (9, LEN) of 16 bytes, 1 there */
	req.n = 0;
	wrap(&req, spans, 2, 2);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.sp[0].err, "");
	assert_non_null(strstr(g.sp[1].err, "length 16 of field 9 runs past the end"));

	/* invalid wire types 6 and 7 */
	req.n = 0;
	wrap(&req, &s, 1, 2);
	key(&req, 3, 6);
	assert_int_equal(parse(&req, &g, &err), AC_EPARSE);
	assert_non_null(strstr(err.msg, "invalid wire type 6"));
	/* an end-group without its start, an unclosed group */
	req.n = 0;
	key(&req, 9, 4);
	assert_int_equal(parse(&req, &g, &err), AC_EPARSE);
	assert_non_null(strstr(err.msg, "end of group 9 without a start"));
	req.n = 0;
	key(&req, 9, 3);
	f_varint(&req, 1, 1);
	assert_int_equal(parse(&req, &g, &err), AC_EPARSE);
	assert_non_null(strstr(err.msg, "group (field 9) is not closed"));
}

/* kvlist / array values (nested) are skipped; a mapped key whose value is an
 * array is not taken as a string; token counts after them still count. */
static void test_nested_anyvalue(void **state)
{
	(void)state;
	pb s = { .n = 0 }, req = { .n = 0 };
	got g;
	ac_err err = AC_ERR_INIT;
	f_len(&s, 1, TID, 16);
	f_len(&s, 2, SID, 8);
	f_fixed64(&s, 7, T0);
	/* {"key":"gen_ai.request.model","value":{"arrayValue":{"values":[{"stringValue":"x"},
	 *   {"kvlistValue":{"values":[{"key":"k","value":{"arrayValue":{}}}]}}]}}} */
	{
		pb kv = { .n = 0 }, av = { .n = 0 }, arr = { .n = 0 }, v1 = { .n = 0 }, v2 = { .n = 0 },
		   kvl = { .n = 0 }, inner = { .n = 0 }, iav = { .n = 0 }, empty = { .n = 0 };
		f_str(&v1, 1, "x");
		f_msg(&iav, 5, &empty);
		f_str(&inner, 1, "k");
		f_msg(&inner, 2, &iav);
		f_msg(&kvl, 1, &inner);
		f_msg(&v2, 6, &kvl);
		f_msg(&arr, 1, &v1);
		f_msg(&arr, 1, &v2);
		f_msg(&av, 5, &arr);
		f_str(&kv, 1, "gen_ai.request.model");
		f_msg(&kv, 2, &av);
		f_msg(&s, 9, &kv);
	}
	attr_str(&s, 9, "llm.model_name", "fallback-model");
	attr_int(&s, 9, "gen_ai.usage.input_tokens", 5);
	attr_int(&s, 9, "gen_ai.usage.output_tokens", 6);
	attr_double(&s, 9, "llm.cost.total", 0.25);
	wrap(&req, &s, 1, 2);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.sp[0].err, "");
	assert_string_equal(g.model[0], "fallback-model");
	assert_int_equal(g.sp[0].tok[AC_TOK_IN], 5);
	assert_int_equal(g.sp[0].tok[AC_TOK_OUT], 6);
	assert_true(g.sp[0].pcost_total == 0.25);
	assert_int_equal(g.sp[0].step, AC_STEP_LLM); /* model + tokens */
	assert_true(g.sp[0].end_ns == (int64_t)T0); /* no end: zero duration */
}

/* ResourceSpans field 1000 (instrumentation_library_spans, same shape) is
 * read when there is no scope_spans; ignored beside scope_spans. */
static void test_old_field_1000(void **state)
{
	(void)state;
	pb s1 = { .n = 0 }, s2 = { .n = 0 }, req = { .n = 0 };
	got g;
	ac_err err = AC_ERR_INIT;
	span_ok(&s1, 1);
	span_ok(&s2, 2);
	wrap(&req, &s1, 1, 1000);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.sp[0].span_id[7], 1);
	assert_string_equal(g.service[0], "svc");

	/* both: scope_spans wins */
	pb ss1 = { .n = 0 }, ss2 = { .n = 0 }, rs = { .n = 0 };
	f_msg(&ss1, 2, &s1);
	f_msg(&ss2, 2, &s2);
	f_msg(&rs, 1000, &ss1);
	f_msg(&rs, 2, &ss2);
	req.n = 0;
	f_msg(&req, 1, &rs);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.sp[0].span_id[7], 2);
}

/* Bad spans among good ones: each rejected alone, with its reason. */
static void test_bad_span_among_good(void **state)
{
	(void)state;
	pb sp[6] = { { .n = 0 }, { .n = 0 }, { .n = 0 }, { .n = 0 }, { .n = 0 }, { .n = 0 } };
	pb req = { .n = 0 };
	got g;
	ac_err err = AC_ERR_INIT;
	span_ok(&sp[0], 1);
	f_len(&sp[1], 1, TID, 15); /* trace_id of 15 bytes */
	f_len(&sp[1], 2, SID, 8);
	f_fixed64(&sp[1], 7, T0);
	span_ok(&sp[2], 3);
	f_varint(&sp[2], 1, 5); /* trace_id as a varint: wrong wire type */
	span_ok(&sp[3], 4);
	{
		pb st = { .n = 0 };
		f_varint(&st, 3, 7);
		f_msg(&sp[3], 15, &st);
	}
	span_ok(&sp[4], 5);
	f_fixed64(&sp[4], 8, T0 - 1); /* end before start (last occurrence wins) */
	span_ok(&sp[5], 6);
	wrap(&req, sp, 6, 2);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_int_equal(g.n, 6);
	assert_string_equal(g.sp[0].err, "");
	assert_string_equal(g.sp[1].err, "trace_id is 15 bytes, not 16");
	assert_non_null(strstr(g.sp[2].err, "trace_id (field 1) is varint"));
	assert_string_equal(g.sp[3].err, "status.code is 7, not 0, 1 or 2");
	assert_string_equal(g.sp[4].err, "end time before start time");
	assert_string_equal(g.sp[5].err, "");

	/* OTLP logs: ExportLogsServiceRequest has the same outer shape; its
	 * LogRecord.time_unix_nano = 1 is fixed64: the message is refused */
	pb lr = { .n = 0 };
	f_fixed64(&lr, 1, T0);
	f_str(&lr, 5, "body"); /* (a string body would be AnyValue; any field will do) */
	req.n = 0;
	wrap(&req, &lr, 1, 2);
	assert_int_equal(parse(&req, &g, &err), AC_EFORMAT);
	assert_int_equal(g.n, 0);
	assert_string_equal(err.msg, "OTLP logs (protobuf ExportLogsServiceRequest), not traces: "
	                             "agentcost reads traces only");
	/* ... after a span, such a record is a bad span, named */
	pb two[2] = { { .n = 0 }, { .n = 0 } };
	span_ok(&two[0], 1);
	f_fixed64(&two[1], 1, T0);
	req.n = 0;
	wrap(&req, two, 2, 2);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_int_equal(g.n, 2);
	assert_non_null(strstr(g.sp[1].err, "an OTLP log record, not a span?"));
	/* OTLP metrics: Metric { name = 1; sum = 7 (a message) } */
	pb met = { .n = 0 }, sum = { .n = 0 };
	f_str(&met, 1, "gen_ai.client.token.usage");
	f_varint(&sum, 3, 1);
	f_msg(&met, 7, &sum);
	req.n = 0;
	wrap(&req, &met, 1, 2);
	assert_int_equal(parse(&req, &g, &err), AC_EFORMAT);
	assert_non_null(strstr(err.msg, "OTLP metrics (protobuf"));

	/* missing ids, all-zero ids */
	pb z = { .n = 0 };
	static const uint8_t zero[16];
	f_len(&z, 1, zero, 16);
	f_len(&z, 2, SID, 8);
	f_fixed64(&z, 7, T0);
	req.n = 0;
	wrap(&req, &z, 1, 2);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_string_equal(g.sp[0].err, "trace_id is all zeros");
	z.n = 0;
	f_len(&z, 1, TID, 16);
	f_fixed64(&z, 7, T0);
	req.n = 0;
	wrap(&req, &z, 1, 2);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_string_equal(g.sp[0].err, "missing span id");
	/* an all-zero parent is a root */
	z.n = 0;
	span_ok(&z, 9);
	f_len(&z, 4, zero, 8);
	req.n = 0;
	wrap(&req, &z, 1, 2);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_string_equal(g.sp[0].err, "");
	assert_int_equal(g.sp[0].has_parent, 0);
	/* a start time over INT64_MAX */
	z.n = 0;
	span_ok(&z, 9);
	f_fixed64(&z, 7, 0x8000000000000000ULL);
	req.n = 0;
	wrap(&req, &z, 1, 2);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_string_equal(g.sp[0].err, "start_time_unix_nano is out of range: 9223372036854775808");
}

/* int_value is an int64 varint: 2^63 is INT64_MIN, negative, and rejected;
 * 2^63 - 1 is absurd. A bad resource attribute rejects every span under it. */
static void test_token_2p63(void **state)
{
	(void)state;
	pb s = { .n = 0 }, req = { .n = 0 };
	got g;
	ac_err err = AC_ERR_INIT;
	span_ok(&s, 1);
	attr_int(&s, 9, "gen_ai.usage.cache_read.input_tokens", 0x8000000000000000ULL);
	wrap(&req, &s, 1, 2);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.sp[0].err, "gen_ai.usage.cache_read.input_tokens: token count is "
	                                 "negative: -9223372036854775808");
	s.n = 0;
	span_ok(&s, 1);
	attr_int(&s, 9, "gen_ai.usage.cache_read.input_tokens", 0x7fffffffffffffffULL);
	req.n = 0;
	wrap(&req, &s, 1, 2);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_string_equal(g.sp[0].err, "gen_ai.usage.cache_read.input_tokens: token count is "
	                                 "absurd (over 100000000): 9223372036854775807");

	/* on the resource: both spans rejected */
	pb sp2[2] = { { .n = 0 }, { .n = 0 } }, res = { .n = 0 }, ss = { .n = 0 }, rs = { .n = 0 };
	span_ok(&sp2[0], 1);
	span_ok(&sp2[1], 2);
	attr_int(&res, 1, "gen_ai.usage.input_tokens", 0x8000000000000000ULL);
	f_msg(&ss, 2, &sp2[0]);
	f_msg(&ss, 2, &sp2[1]);
	f_msg(&rs, 1, &res);
	f_msg(&rs, 2, &ss);
	req.n = 0;
	f_msg(&req, 1, &rs);
	assert_int_equal(parse(&req, &g, &err), 0);
	assert_int_equal(g.n, 2);
	assert_non_null(strstr(g.sp[0].err, "token count is negative"));
	assert_non_null(strstr(g.sp[1].err, "token count is negative"));
}

static void test_render_json(void **state)
{
	(void)state;
	pb s = { .n = 0 };
	ac_buf o = AC_BUF_INIT;
	f_len(&s, 1, TID, 16);
	f_len(&s, 2, SID, 8);
	f_str(&s, 5, "a \"quoted\"\n name");
	f_fixed64(&s, 7, T0);
	attr_double(&s, 9, "d", 0.0159);
	{
		pb kv = { .n = 0 }, av = { .n = 0 }, arr = { .n = 0 }, v = { .n = 0 };
		f_varint(&v, 2, 1);
		f_msg(&arr, 1, &v);
		f_len(&v, 7, "\x00\xff\x10", 3); /* bool then bytes: both shown as written */
		f_msg(&arr, 1, &v);
		f_msg(&av, 5, &arr);
		f_str(&kv, 1, "arr");
		f_msg(&kv, 2, &av);
		f_msg(&s, 9, &kv);
	}
	attr_int(&s, 9, "neg", (uint64_t)-5);
	f_varint(&s, 99, 42); /* unknown */
	{
		pb st = { .n = 0 };
		f_varint(&st, 3, 1);
		f_msg(&s, 15, &st);
	}
	assert_int_equal(ac_pb_span_json(&o, s.d, s.n), 0);
	/* bytes 00 ff 10 in base64: 000000 001111 111100 010000 = A P 8 Q */
	assert_string_equal(ac_buf_cstr(&o),
	                    "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
	                    "\"name\":\"a \\\"quoted\\\"\\n name\",\"startTimeUnixNano\":\"1748779200000000000\","
	                    "\"attributes\":[{\"key\":\"d\",\"value\":{\"doubleValue\":0.0159}},"
	                    "{\"key\":\"arr\",\"value\":{\"arrayValue\":{\"values\":[{\"boolValue\":true},"
	                    "{\"boolValue\":true,\"bytesValue\":\"AP8Q\"}]}}},"
	                    "{\"key\":\"neg\",\"value\":{\"intValue\":\"-5\"}}],"
	                    "\"status\":{\"code\":1},\"field99\":42}");
	ac_buf_release(&o);
	/* not a span: no span_id, or malformed */
	pb t = { .n = 0 };
	f_len(&t, 1, TID, 16);
	assert_int_equal(ac_pb_span_json(&o, t.d, t.n), -1);
	ac_buf_release(&o);
	assert_int_equal(ac_pb_span_json(&o, (const uint8_t *)"{\"a\":1}", 7), -1);
	ac_buf_release(&o);
}

/* ---- the reader's protobuf layouts ---------------------------------------- */

static char tmp_path[64];

static void write_file(const void *p, size_t n)
{
	snprintf(tmp_path, sizeof(tmp_path), "/tmp/test_otlp_pb.XXXXXX");
	int fd = mkstemp(tmp_path);
	assert_true(fd >= 0);
	assert_true(write(fd, p, n) == (ssize_t)n);
	close(fd);
}

static void be32(pb *b, uint32_t v)
{
	byte(b, (uint8_t)(v >> 24));
	byte(b, (uint8_t)(v >> 16));
	byte(b, (uint8_t)(v >> 8));
	byte(b, (uint8_t)v);
}

static void test_reader_layouts(void **state)
{
	(void)state;
	pb m1 = { .n = 0 }, m2 = { .n = 0 }, s = { .n = 0 }, file = { .n = 0 };
	ac_reader *r;
	ac_record rec;
	ac_err err = AC_ERR_INIT;
	span_ok(&s, 1);
	wrap(&m1, &s, 1, 2);
	s.n = 0;
	span_ok(&s, 2);
	wrap(&m2, &s, 1, 2);

	/* repeat { u32be length; message }, then a truncated third message */
	be32(&file, (uint32_t)m1.n);
	raw(&file, m1.d, m1.n);
	be32(&file, (uint32_t)m2.n);
	raw(&file, m2.d, m2.n);
	size_t third = file.n;
	be32(&file, (uint32_t)m2.n);
	raw(&file, m2.d, 10);
	write_file(file.d, file.n);
	assert_int_equal(ac_reader_open(&r, tmp_path, NULL, &err), 0);
	assert_int_equal(ac_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.proto, 1);
	assert_int_equal(rec.len, m1.n);
	assert_int_equal(rec.line, 1);
	assert_int_equal(rec.data_off, 4);
	assert_memory_equal(rec.data, m1.d, m1.n);
	assert_int_equal(ac_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 2);
	assert_memory_equal(rec.data, m2.d, m2.n);
	assert_int_equal(ac_reader_next(r, &rec, &err), AC_EZSTD);
	char want[128];
	snprintf(want, sizeof(want),
	         "truncated message at byte %zu: length prefix says %zu bytes, only 10 remain", third,
	         m2.n);
	assert_string_equal(err.msg, want);
	assert_int_equal(ac_reader_next(r, &rec, &err), 0);
	ac_reader_free(r);
	unlink(tmp_path);

	/* a raw message (m1 followed by m2 is one request with two resource_spans) */
	file.n = 0;
	raw(&file, m1.d, m1.n);
	raw(&file, m2.d, m2.n);
	write_file(file.d, file.n);
	assert_int_equal(ac_reader_open(&r, tmp_path, NULL, &err), 0);
	assert_int_equal(ac_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.proto, 1);
	assert_int_equal(rec.len, file.n);
	assert_int_equal(rec.data_off, 0);
	assert_int_equal(ac_reader_next(r, &rec, &err), 0);
	ac_reader_free(r);
	/* ... over the record limit: skipped, reported */
	ac_reader_opts o = AC_READER_OPTS_INIT;
	o.max_record = 64;
	assert_int_equal(ac_reader_open(&r, tmp_path, &o, &err), 0);
	assert_int_equal(ac_reader_next(r, &rec, &err), AC_ELIMIT);
	assert_non_null(strstr(err.msg, "protobuf message longer than 64 bytes"));
	assert_int_equal(ac_reader_next(r, &rec, &err), 0);
	ac_reader_free(r);
	unlink(tmp_path);

	/* JSON lines after a blank line are still JSON, not a message */
	const char *js = "\n{\"resourceSpans\":[]}\n";
	write_file(js, strlen(js));
	assert_int_equal(ac_reader_open(&r, tmp_path, NULL, &err), 0);
	assert_int_equal(ac_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.proto, 0);
	assert_int_equal(rec.len, 20);
	ac_reader_free(r);
	unlink(tmp_path);

	/* a length-prefixed JSON payload is JSON; an over-limit message is skipped */
	file.n = 0;
	be32(&file, 7);
	raw(&file, "{\"a\":1}", 7);
	be32(&file, (uint32_t)m1.n + 50);
	for (size_t i = 0; i < m1.n + 50; i++)
		byte(&file, 0x0a);
	be32(&file, (uint32_t)m1.n);
	raw(&file, m1.d, m1.n);
	write_file(file.d, file.n);
	o.max_record = m1.n + 1;
	assert_int_equal(ac_reader_open(&r, tmp_path, &o, &err), 0);
	assert_int_equal(ac_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.proto, 0);
	assert_int_equal(ac_reader_next(r, &rec, &err), AC_ELIMIT);
	assert_int_equal(err.line, 2);
	assert_int_equal(ac_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.proto, 1);
	assert_int_equal(rec.line, 3);
	assert_int_equal(ac_reader_next(r, &rec, &err), 0);
	ac_reader_free(r);
	unlink(tmp_path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_span),
		cmocka_unit_test(test_skip_every_wire_type),
		cmocka_unit_test(test_truncated_varint),
		cmocka_unit_test(test_length_past_end),
		cmocka_unit_test(test_nested_anyvalue),
		cmocka_unit_test(test_old_field_1000),
		cmocka_unit_test(test_bad_span_among_good),
		cmocka_unit_test(test_token_2p63),
		cmocka_unit_test(test_render_json),
		cmocka_unit_test(test_reader_layouts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
