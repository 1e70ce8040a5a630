/*
 * Unit tests of the JSON trace formats read besides OTLP and flat spans
 * (src/ingest/fmt_sdk.c, fmt_jaeger.c, fmt_tempo.c, fmt_clickhouse.c):
 * OpenTelemetry Python SDK dumps, JS SDK span arrays, Jaeger JSON, Tempo
 * batches (and base64 ids in OTLP JSON), ClickHouse otel_traces rows. For
 * each: ids, times, parent, status, service, tokens, and the rejections (bad
 * id, bad time, wrong types, one bad span among good ones); the detectors
 * must not claim each other's records, OTLP, flat spans or Langfuse exports.
 *
 * Every expected value is written out by hand next to its input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/attrmap.h"
#include "ingest/parse.h"
#include "ingest/pjson.h"

extern const ac_json_format ac_fmt_sdk_py, ac_fmt_sdk_js, ac_fmt_jaeger, ac_fmt_tempo,
	ac_fmt_clickhouse;

#define MAXSPANS 16

typedef struct got {
	int n;
	ac_span sp[MAXSPANS];
} got;

static int collect(ac_span *sp, void *payload)
{
	got *g = payload;
	if (g->n < MAXSPANS)
		g->sp[g->n] = *sp;
	g->n++;
	return 0;
}

static ac_json J = AC_JSON_INIT;
static got G;
static ac_err ERR;
static int KIND;

static int parse(const char *text)
{
	memset(&G, 0, sizeof(G));
	ac_err_clear(&ERR);
	KIND = 0;
	return ac_parse_record(&J, text, strlen(text), 5, &KIND, collect, &G, &ERR);
}

static void assert_hex(const uint8_t *id, size_t n, const char *want)
{
	char out[33];
	ac_hex(id, n, out);
	assert_string_equal(out, want);
}

static void assert_str(ac_str s, const char *want)
{
	assert_int_equal(s.n, strlen(want));
	assert_memory_equal(s.p, want, s.n);
}

/* sp is accepted (no error) */
#define OK(i) assert_string_equal(G.sp[i].err, "")
/* sp is rejected with a reason containing w */
#define BAD(i, w)                                                                \
	do {                                                                     \
		if (!strstr(G.sp[i].err, (w)))                                   \
			fail_msg("span %d: reason \"%s\", wanted \"%s\"", (i), G.sp[i].err, (w)); \
	} while (0)

/* 2025-06-01T12:00:00Z = 1748779200 s (see basic.costs.md). */
#define T0 1748779200000000000LL

/* Python SDK -------------------------------------------------------------- */

static void test_py_hex_iso(void **state)
{
	(void)state;
	int rc = parse("{\"name\": \"chat gpt-4o\", \"context\": {\"trace_id\": "
	               "\"0x0af7651916cd43dd8448eb211c80319c\", \"span_id\": \"0x00f067aa0ba902b7\", "
	               "\"trace_state\": \"[]\"}, \"kind\": \"SpanKind.CLIENT\", \"parent_id\": "
	               "\"0xb7ad6b7169203331\", \"start_time\": \"2025-06-01T12:00:01.500000Z\", "
	               "\"end_time\": \"2025-06-01T12:00:03.000000Z\", \"status\": {\"status_code\": "
	               "\"error\", \"description\": \"boom\"}, \"attributes\": {\"gen_ai.operation.name\": "
	               "\"chat\", \"gen_ai.request.model\": \"gpt-4o\", \"gen_ai.usage.input_tokens\": 120, "
	               "\"gen_ai.usage.output_tokens\": 30}, \"events\": [], \"links\": [], \"resource\": "
	               "{\"attributes\": {\"service.name\": \"py-svc\"}, \"schema_url\": \"\"}}");
	assert_int_equal(rc, 0);
	assert_int_equal(KIND, AC_REC_SDK_PY);
	assert_string_equal(ac_rec_kind_name(KIND), "otel-sdk-python");
	assert_int_equal(G.n, 1);
	OK(0);
	assert_hex(G.sp[0].trace_id, 16, "0af7651916cd43dd8448eb211c80319c");
	assert_hex(G.sp[0].span_id, 8, "00f067aa0ba902b7");
	assert_true(G.sp[0].has_parent);
	assert_hex(G.sp[0].parent_id, 8, "b7ad6b7169203331");
	assert_true(G.sp[0].start_ns == T0 + 1500000000LL);
	assert_true(G.sp[0].end_ns == T0 + 3000000000LL);
	assert_int_equal(G.sp[0].status, 2);
	assert_str(G.sp[0].name, "chat gpt-4o");
	assert_str(G.sp[0].str[AC_F_SERVICE], "py-svc");
	assert_str(G.sp[0].str[AC_F_MODEL], "gpt-4o");
	assert_true(G.sp[0].tok[AC_TOK_IN] == 120 && G.sp[0].tok[AC_TOK_OUT] == 30);
	assert_true(G.sp[0].line == 5);
	/* the raw text is the span object */
	assert_true(G.sp[0].raw.n > 0 && G.sp[0].raw.p[0] == '{');
}

static void test_py_decimal_wrapped(void **state)
{
	(void)state;
	/* any-agent: {"spans":[...]}, decimal ids, integer ns, "parent" object or null.
	 * 2^128-1 = 340282366920938463463374607431768211455 is sixteen ff bytes;
	 * 2^64-1 = 18446744073709551615 is eight; 4096 = 0x1000. */
	int rc = parse("{\"spans\":[{\"name\":\"root\",\"kind\":\"internal\",\"parent\":null,"
	               "\"start_time\":1748779200000000000,\"end_time\":1748779201000000000,"
	               "\"status\":{\"status_code\":\"unset\",\"description\":null},"
	               "\"context\":{\"trace_id\":340282366920938463463374607431768211455,"
	               "\"span_id\":18446744073709551615}},"
	               "{\"name\":\"child\",\"kind\":\"internal\",\"parent\":{\"trace_id\":"
	               "340282366920938463463374607431768211455,\"span_id\":18446744073709551615},"
	               "\"start_time\":1748779200500000000,\"end_time\":1748779200600000000,"
	               "\"status\":{\"status_code\":\"ok\"},\"context\":{\"trace_id\":"
	               "340282366920938463463374607431768211455,\"span_id\":4096},"
	               "\"attributes\":{\"gen_ai.usage.input_tokens\":7}}]}");
	assert_int_equal(rc, 0);
	assert_int_equal(KIND, AC_REC_SDK_PY);
	assert_int_equal(G.n, 2);
	OK(0);
	OK(1);
	assert_hex(G.sp[0].trace_id, 16, "ffffffffffffffffffffffffffffffff");
	assert_hex(G.sp[0].span_id, 8, "ffffffffffffffff");
	assert_false(G.sp[0].has_parent);
	assert_int_equal(G.sp[0].status, 0);
	assert_hex(G.sp[1].span_id, 8, "0000000000001000");
	assert_true(G.sp[1].has_parent);
	assert_hex(G.sp[1].parent_id, 8, "ffffffffffffffff");
	assert_int_equal(G.sp[1].status, 1);
	assert_true(G.sp[1].start_ns == T0 + 500000000LL && G.sp[1].end_ns == T0 + 600000000LL);
	assert_true(G.sp[1].tok[AC_TOK_IN] == 7);

	/* 2^128 and 2^64: one too many; zero is no id */
	rc = parse("{\"spans\":["
	           "{\"name\":\"a\",\"start_time\":1748779200000000000,\"end_time\":1748779200000000000,"
	           "\"context\":{\"trace_id\":340282366920938463463374607431768211456,\"span_id\":1}},"
	           "{\"name\":\"b\",\"start_time\":1748779200000000000,\"end_time\":1748779200000000000,"
	           "\"context\":{\"trace_id\":1,\"span_id\":18446744073709551616}},"
	           "{\"name\":\"c\",\"start_time\":1748779200000000000,\"end_time\":1748779200000000000,"
	           "\"context\":{\"trace_id\":0,\"span_id\":2}},"
	           "{\"name\":\"d\",\"start_time\":1748779200000000000,\"end_time\":1748779200000000000,"
	           "\"context\":{\"trace_id\":1,\"span_id\":3}}]}");
	assert_int_equal(rc, 0);
	assert_int_equal(G.n, 4);
	BAD(0, "context.trace_id");
	BAD(1, "context.span_id");
	BAD(2, "context.trace_id");
	OK(3);
	assert_hex(G.sp[3].trace_id, 16, "00000000000000000000000000000001");
}

static void test_py_unended(void **state)
{
	(void)state;
	/* printed at start (end_time null): skipped without a message */
	const char *start = "{\"name\":\"r\",\"context\":{\"trace_id\":\"0x0af7651916cd43dd8448eb211c80319c\","
	                    "\"span_id\":\"0xb7ad6b7169203331\"},\"parent_id\":null,"
	                    "\"start_time\":\"2025-06-01T12:00:00Z\",\"end_time\":null,"
	                    "\"status\":{\"status_code\":\"UNSET\"},\"attributes\":{}}";
	assert_int_equal(parse(start), 0);
	assert_int_equal(KIND, AC_REC_SDK_PY);
	assert_int_equal(G.n, 0);
	/* the same span ended: read */
	assert_int_equal(parse("{\"name\":\"r\",\"context\":{\"trace_id\":\"0x0af7651916cd43dd8448eb211c80319c\","
	                       "\"span_id\":\"0xb7ad6b7169203331\"},\"parent_id\":null,"
	                       "\"start_time\":\"2025-06-01T12:00:00Z\",\"end_time\":\"2025-06-01T12:01:00Z\","
	                       "\"status\":{\"status_code\":\"UNSET\"},\"attributes\":{}}"),
	                 0);
	assert_int_equal(G.n, 1);
	OK(0);
	assert_true(G.sp[0].end_ns == T0 + 60000000000LL);
}

static void test_py_errors(void **state)
{
	(void)state;
#define PYS(ctx, extra)                                                                     \
	"{\"name\":\"s\",\"context\":{" ctx "},\"start_time\":\"2025-06-01T12:00:00Z\","    \
	"\"end_time\":\"2025-06-01T12:00:01Z\"" extra "}"
#define GOODCTX "\"trace_id\":\"0x0af7651916cd43dd8448eb211c80319c\",\"span_id\":\"0x00f067aa0ba902b7\""
	int rc = parse("{\"spans\":["
	               PYS(GOODCTX, "") ","
	               PYS("\"trace_id\":\"0xzzf7651916cd43dd8448eb211c80319c\",\"span_id\":\"0x1\"", "") ","
	               PYS(GOODCTX, ",\"start_time\":\"yesterday\"") ","
	               PYS(GOODCTX, ",\"name\":5") ","
	               PYS(GOODCTX, ",\"status\":{\"status_code\":\"MAYBE\"}") ","
	               PYS(GOODCTX, ",\"parent_id\":\"0x1234567890abcdef12\"") ","
	               PYS(GOODCTX, ",\"attributes\":{\"gen_ai.usage.input_tokens\":\"many\"}") ","
	               "{\"name\":\"s\",\"context\":{" GOODCTX "},\"end_time\":\"2025-06-01T12:00:01Z\"},"
	               "[1,2],"
	               PYS(GOODCTX, ",\"status\":\"OK\"")
	               "]}");
	assert_int_equal(rc, 0);
	assert_int_equal(G.n, 10);
	OK(0);
	BAD(1, "context.trace_id");
	BAD(2, "start_time is not an ISO-8601 time");
	BAD(3, "name is not a string");
	BAD(4, "status.status_code");
	BAD(5, "parent span id");
	BAD(6, "gen_ai.usage.input_tokens");
	BAD(7, "missing start time");
	BAD(8, "not a JSON object");
	OK(9);
	assert_int_equal(G.sp[9].status, 1);
	/* a context that is no object */
	rc = parse("[{\"name\":\"s\",\"context\":{\"span_id\":\"0x1\"}},{\"name\":\"s\",\"context\":\"x\"}]");
	assert_int_equal(rc, 0);
	assert_int_equal(KIND, AC_REC_SDK_PY);
	assert_int_equal(G.n, 2);
	BAD(0, "missing trace id");
	BAD(1, "context is not an object");
#undef PYS
#undef GOODCTX
}

/* JS SDK ------------------------------------------------------------------ */

static void test_js(void **state)
{
	(void)state;
	int rc = parse("[{\"name\":\"chat\",\"kind\":2,\"spanContext\":{\"traceId\":"
	               "\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"00f067aa0ba902b7\",\"traceFlags\":1},"
	               "\"parentSpanId\":\"b7ad6b7169203331\",\"startTime\":[1748779200,250000000],"
	               "\"endTime\":[1748779201,0],\"status\":{\"code\":2,\"message\":\"x\"},"
	               "\"attributes\":{\"gen_ai.request.model\":\"gpt-4o-mini\",\"gen_ai.usage.input_tokens\":10,"
	               "\"gen_ai.usage.output_tokens\":4,\"gen_ai.response.finish_reasons\":[\"stop\"]},"
	               "\"resource\":{\"_attributes\":{\"service.name\":\"js-svc\"}}},"
	               "{\"name\":\"v2\",\"_spanContext\":{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
	               "\"spanId\":\"00f067aa0ba902b8\"},\"parentSpanContext\":{\"traceId\":"
	               "\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"00f067aa0ba902b7\"},"
	               "\"startTime\":[1748779200,0],\"duration\":[2,500],\"status\":{\"code\":1},"
	               "\"resource\":{\"attributes\":{\"service.name\":\"js2\"}}}]");
	assert_int_equal(rc, 0);
	assert_int_equal(KIND, AC_REC_SDK_JS);
	assert_string_equal(ac_rec_kind_name(KIND), "otel-sdk-js");
	assert_int_equal(G.n, 2);
	OK(0);
	OK(1);
	assert_hex(G.sp[0].trace_id, 16, "0af7651916cd43dd8448eb211c80319c");
	assert_hex(G.sp[0].span_id, 8, "00f067aa0ba902b7");
	assert_hex(G.sp[0].parent_id, 8, "b7ad6b7169203331");
	assert_true(G.sp[0].start_ns == T0 + 250000000LL && G.sp[0].end_ns == T0 + 1000000000LL);
	assert_int_equal(G.sp[0].status, 2);
	assert_str(G.sp[0].str[AC_F_SERVICE], "js-svc");
	assert_true(G.sp[0].tok[AC_TOK_IN] == 10 && G.sp[0].tok[AC_TOK_OUT] == 4);
	assert_hex(G.sp[1].span_id, 8, "00f067aa0ba902b8");
	assert_true(G.sp[1].has_parent);
	assert_hex(G.sp[1].parent_id, 8, "00f067aa0ba902b7");
	assert_true(G.sp[1].end_ns == T0 + 2000000500LL); /* start + [2 s, 500 ns] */
	assert_int_equal(G.sp[1].status, 1);
	assert_str(G.sp[1].str[AC_F_SERVICE], "js2");
	/* the latest start and the longest duration an HrTime holds here: no overflow */
	rc = parse("[{\"name\":\"x\",\"spanContext\":{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
	           "\"spanId\":\"00f067aa0ba902b7\"},\"startTime\":[9000000000,999999999],"
	           "\"duration\":[9000000000,0]}]");
	assert_int_equal(rc, 0);
	assert_int_equal(G.n, 1);
	BAD(0, "start time out of range");
}

static void test_js_derived_ids(void **state)
{
	(void)state;
	const char *doc = "[{\"name\":\"a\",\"startTime\":[1748779200,0],\"endTime\":[1748779201,0]},"
	                  "{\"name\":\"b\",\"startTime\":[1748779200,0],\"endTime\":[1748779201,0]}]";
	assert_int_equal(parse(doc), 0);
	assert_int_equal(KIND, AC_REC_SDK_JS);
	assert_int_equal(G.n, 2);
	OK(0);
	OK(1);
	uint8_t t0[16], s0[8], s1[8];
	memcpy(t0, G.sp[0].trace_id, 16);
	memcpy(s0, G.sp[0].span_id, 8);
	memcpy(s1, G.sp[1].span_id, 8);
	assert_memory_equal(G.sp[1].trace_id, t0, 16); /* one derived trace per array */
	assert_memory_not_equal(s0, s1, 8);           /* position decides */
	/* the same text again: the same ids */
	assert_int_equal(parse(doc), 0);
	assert_memory_equal(G.sp[0].trace_id, t0, 16);
	assert_memory_equal(G.sp[0].span_id, s0, 8);
	assert_memory_equal(G.sp[1].span_id, s1, 8);
	/* another array: another trace */
	assert_int_equal(parse("[{\"name\":\"a\",\"startTime\":[1748779200,0],\"endTime\":[1748779202,0]}]"), 0);
	assert_int_equal(G.n, 1);
	assert_memory_not_equal(G.sp[0].trace_id, t0, 16);
}

static void test_js_errors(void **state)
{
	(void)state;
#define JSS(extra) "{\"name\":\"s\",\"spanContext\":{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\"," \
	"\"spanId\":\"00f067aa0ba902b7\"},\"startTime\":[1748779200,0],\"endTime\":[1748779201,0]" extra "}"
	int rc = parse("[" JSS("") "," JSS(",\"startTime\":\"x\"") "," JSS(",\"endTime\":[1,2,3]") ","
	               JSS(",\"startTime\":[1748779200,1000000000]") ","
	               JSS(",\"spanContext\":{\"traceId\":\"0af7\",\"spanId\":\"00f067aa0ba902b7\"}") ","
	               JSS(",\"parentSpanId\":\"xyz\"") "," JSS(",\"status\":{\"code\":7}") ","
	               JSS(",\"name\":[]") "," JSS(",\"endTime\":[1748779199,0]") "," JSS("") "]");
	assert_int_equal(rc, 0);
	assert_int_equal(G.n, 10);
	OK(0);
	BAD(1, "startTime is not [seconds, nanoseconds]");
	BAD(2, "endTime is not [seconds, nanoseconds]");
	BAD(3, "startTime is not [seconds, nanoseconds]");
	BAD(4, "spanContext.traceId");
	BAD(5, "parent span id");
	BAD(6, "status.code");
	BAD(7, "name is not a string");
	BAD(8, "end time before start time");
	OK(9);
#undef JSS
}

/* Jaeger ------------------------------------------------------------------ */

static void test_jaeger(void **state)
{
	(void)state;
	int rc = parse(
		"{\"data\":[{\"traceID\":\"5e6f708192a3b4c5\",\"spans\":["
		"{\"traceID\":\"5e6f708192a3b4c5\",\"spanID\":\"a1\",\"operationName\":\"root\",\"references\":[],"
		"\"startTime\":1748779200000000,\"duration\":2500000,\"processID\":\"p2\","
		"\"tags\":[{\"key\":\"otel.status_code\",\"type\":\"string\",\"value\":\"OK\"}]},"
		"{\"traceID\":\"5e6f708192a3b4c5\",\"spanID\":\"00000000000000a2\",\"operationName\":\"chat\","
		"\"references\":[{\"refType\":\"FOLLOWS_FROM\",\"traceID\":\"5e6f708192a3b4c5\",\"spanID\":\"b1\"},"
		"{\"refType\":\"CHILD_OF\",\"traceID\":\"5e6f708192a3b4c5\",\"spanID\":\"a1\"}],"
		"\"startTime\":1748779200100000,\"duration\":1000,\"processID\":\"p1\","
		"\"tags\":[{\"key\":\"gen_ai.request.model\",\"type\":\"string\",\"value\":\"gpt-4o\"},"
		"{\"key\":\"gen_ai.usage.input_tokens\",\"type\":\"int64\",\"value\":100},"
		"{\"key\":\"gen_ai.usage.output_tokens\",\"type\":\"int64\",\"value\":\"20\"},"
		"{\"key\":\"error\",\"type\":\"bool\",\"value\":true}]},"
		"{\"traceID\":\"0af7651916cd43dd8448eb211c80319c\",\"spanID\":\"00000000000000a3\","
		"\"operationName\":\"x\",\"references\":[{\"refType\":\"FOLLOWS_FROM\",\"spanID\":\"a2\"}],"
		"\"startTime\":1748779200000000,\"duration\":0,\"process\":{\"serviceName\":\"inline\"},"
		"\"tags\":[{\"key\":\"error\",\"type\":\"bool\",\"value\":false}]}],"
		"\"processes\":{\"p1\":{\"serviceName\":\"svc-1\",\"tags\":[{\"key\":\"deployment.environment.name\","
		"\"type\":\"string\",\"value\":\"prod\"}]},\"p2\":{\"serviceName\":\"svc-2\",\"tags\":[]}}}],"
		"\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}");
	assert_int_equal(rc, 0);
	assert_int_equal(KIND, AC_REC_JAEGER);
	assert_string_equal(ac_rec_kind_name(KIND), "jaeger");
	assert_int_equal(G.n, 3);
	OK(0);
	OK(1);
	OK(2);
	/* 64-bit trace id and short span id, left-padded */
	assert_hex(G.sp[0].trace_id, 16, "00000000000000005e6f708192a3b4c5");
	assert_hex(G.sp[0].span_id, 8, "00000000000000a1");
	assert_false(G.sp[0].has_parent);
	assert_true(G.sp[0].start_ns == T0 && G.sp[0].end_ns == T0 + 2500000000LL);
	assert_int_equal(G.sp[0].status, 1);
	assert_str(G.sp[0].str[AC_F_SERVICE], "svc-2");
	/* CHILD_OF wins over an earlier FOLLOWS_FROM */
	assert_hex(G.sp[1].parent_id, 8, "00000000000000a1");
	assert_true(G.sp[1].start_ns == T0 + 100000000LL && G.sp[1].end_ns == T0 + 101000000LL);
	assert_int_equal(G.sp[1].status, 2);
	assert_str(G.sp[1].str[AC_F_SERVICE], "svc-1");
	assert_str(G.sp[1].str[AC_F_ENV], "prod");
	assert_str(G.sp[1].str[AC_F_MODEL], "gpt-4o");
	assert_true(G.sp[1].tok[AC_TOK_IN] == 100 && G.sp[1].tok[AC_TOK_OUT] == 20);
	/* FOLLOWS_FROM alone is the parent; error=false is no error; inline process */
	assert_true(G.sp[2].has_parent);
	assert_hex(G.sp[2].parent_id, 8, "00000000000000a2");
	assert_int_equal(G.sp[2].status, 0);
	assert_str(G.sp[2].str[AC_F_SERVICE], "inline");
}

static void test_jaeger_errors(void **state)
{
	(void)state;
#define JGS(id, extra) "{\"traceID\":\"5e6f708192a3b4c5\",\"spanID\":\"" id "\",\"operationName\":\"s\"," \
	"\"startTime\":1748779200000000,\"duration\":1" extra "}"
	int rc = parse("{\"data\":[{\"traceID\":\"5e6f708192a3b4c5\",\"spans\":["
	               JGS("a1", "") "," JGS("00000000000000a1f", "") ","
	               JGS("a3", ",\"traceID\":\"5e6f708192a3b4cz\"") ","
	               JGS("a4", ",\"startTime\":\"soon\"") "," JGS("a5", ",\"duration\":-3") ","
	               JGS("a6", ",\"references\":{}") ","
	               JGS("a7", ",\"references\":[{\"refType\":\"CHILD_OF\",\"spanID\":\"xx\"}]") ","
	               JGS("a8", ",\"operationName\":false") ","
	               JGS("a9", ",\"tags\":[{\"key\":\"gen_ai.usage.input_tokens\",\"type\":\"int64\","
	                         "\"value\":-5}]") ","
	               "7," JGS("aa", "") "]},{\"traceID\":\"x\",\"spans\":{}}]}");
	assert_int_equal(rc, 0);
	assert_int_equal(KIND, AC_REC_JAEGER);
	assert_int_equal(G.n, 12);
	OK(0);
	BAD(1, "spanID is not 1..16 hex digits");
	BAD(2, "traceID is not 1..32 hex digits");
	BAD(3, "startTime is not microseconds");
	BAD(4, "duration is not a count of microseconds");
	BAD(5, "references is not an array");
	BAD(6, "references[].spanID");
	BAD(7, "operationName is not a string");
	BAD(8, "gen_ai.usage.input_tokens");
	BAD(9, "not a JSON object");
	OK(10);
	BAD(11, "no \"spans\" array");
	assert_true(G.sp[11].structural);
	/* a start past what nanoseconds hold (found by fuzz_parse: the product overflowed) */
	rc = parse("{\"data\":[{\"spans\":[" JGS("a1", ",\"startTime\":9751547608000000") ","
	           JGS("a2", ",\"duration\":9223372036854775807") "],\"processes\":{}}]}");
	assert_int_equal(rc, 0);
	assert_int_equal(G.n, 2);
	BAD(0, "startTime is not microseconds");
	BAD(1, "duration is not a count of microseconds");
#undef JGS
}

/* Tempo and base64 ids ---------------------------------------------------- */

static void test_base64_ids(void **state)
{
	(void)state;
	uint8_t id[16];
	/* 0af7651916cd43dd8448eb211c80319c in base64 (6-bit groups by hand) */
	assert_int_equal(ac_pj_b64_id("CvdlGRbNQ92ESOshHIAxnA==", 24, id, 16), 0);
	assert_hex(id, 16, "0af7651916cd43dd8448eb211c80319c");
	/* 8 bytes b7ad6b7169203331 */
	assert_int_equal(ac_pj_b64_id("t61rcWkgMzE=", 12, id, 8), 0);
	assert_hex(id, 8, "b7ad6b7169203331");
	/* URL-safe alphabet: "S/kv..." written "S_kv..." */
	assert_int_equal(ac_pj_b64_id("S_kvNXezTaajzpKdDg5HNg==", 24, id, 16), 0);
	assert_hex(id, 16, "4bf92f3577b34da6a3ce929d0e0e4736");
	/* bad padding, length, alphabet */
	assert_int_equal(ac_pj_b64_id("CvdlGRbNQ92ESOshHIAxnA=A", 24, id, 16), -1);
	assert_int_equal(ac_pj_b64_id("CvdlGRbNQ92ESOshHIAxnAA=", 24, id, 16), -1);
	assert_int_equal(ac_pj_b64_id("CvdlGRbNQ92ESOshHIAxnA=", 23, id, 16), -1);
	assert_int_equal(ac_pj_b64_id("CvdlGRbNQ92ESOshHIAx*A==", 24, id, 16), -1);
	assert_int_equal(ac_pj_b64_id("t61rcWkgMz==", 12, id, 8), -1); /* 7 bytes, not 8 */
	assert_int_equal(ac_pj_b64_id("t61rcWkgMzE", 11, id, 8), -1);
	assert_int_equal(ac_pj_b64_id("t61rcWkgMzEA", 12, id, 8), -1); /* no padding */
}

static void test_tempo(void **state)
{
	(void)state;
#define TS(tid, sid, pid, extra) "{\"traceId\":\"" tid "\",\"spanId\":\"" sid "\",\"parentSpanId\":\"" pid \
	"\",\"name\":\"s\",\"kind\":\"SPAN_KIND_CLIENT\",\"startTimeUnixNano\":\"1748779200000000000\"," \
	"\"endTimeUnixNano\":\"1748779201000000000\"" extra "}"
	int rc = parse("{\"batches\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
	               "{\"stringValue\":\"tempo-svc\"}}]},\"instrumentationLibrarySpans\":[{\"spans\":["
	               TS("CvdlGRbNQ92ESOshHIAxnA==", "APBnqgupArc=", "t61rcWkgMzE=",
	                  ",\"status\":{\"code\":\"STATUS_CODE_ERROR\"},\"attributes\":[{\"key\":"
	                  "\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"42\"}}]") ","
	               TS("0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b8", "AAAAAAAAAAA=", "") ","
	               TS("CvdlGRbNQ92ESOshHIAxnA=A", "APBnqgupArc=", "", "") ","
	               TS("CvdlGRbNQ92ESOshHIAxnA==", "ABCDEFGHIJKLMNOP", "", "") ","
	               TS("AAAAAAAAAAAAAAAAAAAAAA==", "APBnqgupArc=", "", "") ","
	               TS("CvdlGRbNQ92ESOshHIAxnA==", "APBnqgupArc=", "t61rcWkgMz==", "") ","
	               TS("CvdlGRbNQ92ESOshHIAxnA==", "APBnqgupArc=", "", ",\"startTimeUnixNano\":\"x\"")
	               "]}]},{\"resource\":{},\"scopeSpans\":\"no\"}]}");
	assert_int_equal(rc, 0);
	assert_int_equal(KIND, AC_REC_TEMPO);
	assert_string_equal(ac_rec_kind_name(KIND), "tempo");
	assert_int_equal(G.n, 8);
	OK(0);
	assert_hex(G.sp[0].trace_id, 16, "0af7651916cd43dd8448eb211c80319c");
	assert_hex(G.sp[0].span_id, 8, "00f067aa0ba902b7");
	assert_hex(G.sp[0].parent_id, 8, "b7ad6b7169203331");
	assert_int_equal(G.sp[0].status, 2);
	assert_true(G.sp[0].start_ns == T0 && G.sp[0].end_ns == T0 + 1000000000LL);
	assert_str(G.sp[0].str[AC_F_SERVICE], "tempo-svc");
	assert_true(G.sp[0].tok[AC_TOK_IN] == 42);
	/* hex ids in the same file; an all-zero base64 parent is a root */
	OK(1);
	assert_hex(G.sp[1].span_id, 8, "00f067aa0ba902b8");
	assert_false(G.sp[1].has_parent);
	BAD(2, "traceId is not 32 hex digits or 24 base64");
	/* 16 characters are hex by length, never base64 of 12 bytes */
	BAD(3, "spanId is not 16 hex digits or 12 base64");
	BAD(4, "traceId"); /* all zeros */
	BAD(5, "parentSpanId");
	BAD(6, "startTimeUnixNano");
	BAD(7, "\"scopeSpans\" is not an array");
	assert_true(G.sp[7].structural);

	/* Tempo's v2 API: {"trace":{"resourceSpans":[...]}}; "batches" not an array */
	rc = parse("{\"trace\":{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
	           TS("CvdlGRbNQ92ESOshHIAxnA==", "APBnqgupArc=", "", "") "]}]}]}}");
	assert_int_equal(rc, 0);
	assert_int_equal(KIND, AC_REC_TEMPO);
	assert_int_equal(G.n, 1);
	OK(0);
	/* base64 ids in plain OTLP JSON too */
	rc = parse("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
	           TS("CvdlGRbNQ92ESOshHIAxnA==", "APBnqgupArc=", "t61rcWkgMzE=", "") "]}]}]}");
	assert_int_equal(rc, 0);
	assert_int_equal(KIND, AC_REC_OTLP);
	OK(0);
	assert_hex(G.sp[0].parent_id, 8, "b7ad6b7169203331");
#undef TS
}

/* ClickHouse -------------------------------------------------------------- */

static void test_clickhouse(void **state)
{
	(void)state;
	int rc = parse("{\"Timestamp\":\"2025-06-01 12:00:00.123456789\",\"TraceId\":"
	               "\"0af7651916cd43dd8448eb211c80319c\",\"SpanId\":\"00f067aa0ba902b7\",\"ParentSpanId\":"
	               "\"b7ad6b7169203331\",\"TraceState\":\"\",\"SpanName\":\"chat\",\"SpanKind\":\"Client\","
	               "\"ServiceName\":\"ch-svc\",\"ResourceAttributes\":{\"deployment.environment.name\":\"dev\"},"
	               "\"SpanAttributes\":{\"gen_ai.request.model\":\"gpt-4o\",\"gen_ai.usage.input_tokens\":"
	               "\"123\",\"gen_ai.usage.output_tokens\":\"45\"},\"Duration\":\"1000000000\","
	               "\"StatusCode\":\"Error\",\"StatusMessage\":\"x\",\"Events.Timestamp\":[],"
	               "\"Links.TraceId\":[]}");
	assert_int_equal(rc, 0);
	assert_int_equal(KIND, AC_REC_CLICKHOUSE);
	assert_string_equal(ac_rec_kind_name(KIND), "clickhouse");
	assert_int_equal(G.n, 1);
	OK(0);
	assert_hex(G.sp[0].trace_id, 16, "0af7651916cd43dd8448eb211c80319c");
	assert_hex(G.sp[0].span_id, 8, "00f067aa0ba902b7");
	assert_hex(G.sp[0].parent_id, 8, "b7ad6b7169203331");
	assert_true(G.sp[0].start_ns == T0 + 123456789LL);
	assert_true(G.sp[0].end_ns == T0 + 1123456789LL);
	assert_int_equal(G.sp[0].status, 2);
	assert_str(G.sp[0].str[AC_F_SERVICE], "ch-svc");
	assert_str(G.sp[0].str[AC_F_ENV], "dev");
	assert_true(G.sp[0].tok[AC_TOK_IN] == 123 && G.sp[0].tok[AC_TOK_OUT] == 45);

	/* 'T', Duration as a number, empty parent, the other status spellings */
	static const struct {
		const char *status;
		int want;
	} st[] = { { "Ok", 1 }, { "Unset", 0 }, { "STATUS_CODE_ERROR", 2 }, { "STATUS_CODE_OK", 1 }, { "", 0 } };
	for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		char buf[512];
		snprintf(buf, sizeof(buf),
		         "{\"Timestamp\":\"2025-06-01T12:00:00.5\",\"TraceId\":\"0af7651916cd43dd8448eb211c80319c\","
		         "\"SpanId\":\"00f067aa0ba902b7\",\"ParentSpanId\":\"\",\"SpanName\":\"s\","
		         "\"Duration\":250,\"StatusCode\":\"%s\"}",
		         st[i].status);
		assert_int_equal(parse(buf), 0);
		assert_int_equal(G.n, 1);
		OK(0);
		assert_int_equal(G.sp[0].status, st[i].want);
		assert_false(G.sp[0].has_parent);
		assert_true(G.sp[0].start_ns == T0 + 500000000LL && G.sp[0].end_ns == T0 + 500000250LL);
	}
}

static void test_clickhouse_errors(void **state)
{
	(void)state;
	static const struct {
		const char *edit; /* replaces one field */
		const char *why;
	} cases[] = {
		{ "\"TraceId\":\"0af7651916cd43dd8448eb211c80319\"", "TraceId is not 32 hex digits" },
		{ "\"SpanId\":\"00f067aa0ba902zz\"", "SpanId is not 16 hex digits" },
		{ "\"ParentSpanId\":\"b7ad\"", "ParentSpanId is not 16 hex digits" },
		{ "\"Timestamp\":\"yesterday\"", "Timestamp is not a DateTime64" },
		{ "\"Timestamp\":[]", "Timestamp is not a DateTime64" },
		{ "\"Duration\":\"-5\"", "Duration is not an unsigned integer" },
		{ "\"StatusCode\":\"Maybe\"", "StatusCode is not Ok" },
		{ "\"SpanAttributes\":\"x\"", "SpanAttributes is not an object" },
		{ "\"SpanName\":3", "SpanName is not a string" },
		{ "\"SpanAttributes\":{\"gen_ai.usage.input_tokens\":\"999999999999\"}", "gen_ai.usage.input_tokens" },
		{ "\"Timestamp\":\"1999-12-31 23:59:59\"", "start time out of range" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[1024];
		/* the edited field comes last: JSON objects here keep the last duplicate */
		snprintf(buf, sizeof(buf),
		         "{\"Timestamp\":\"2025-06-01 12:00:00\",\"TraceId\":\"0af7651916cd43dd8448eb211c80319c\","
		         "\"SpanId\":\"00f067aa0ba902b7\",\"SpanName\":\"s\",\"Duration\":\"1\",%s}",
		         cases[i].edit);
		assert_int_equal(parse(buf), 0);
		assert_int_equal(KIND, AC_REC_CLICKHOUSE);
		assert_int_equal(G.n, 1);
		if (!strstr(G.sp[0].err, cases[i].why))
			fail_msg("%s: reason \"%s\", wanted \"%s\"", cases[i].edit, G.sp[0].err, cases[i].why);
		assert_true(G.sp[0].line == 5);
	}
}

/* The variants: ClickHouse FORMAT JSON, Jaeger's v3 API, JS 2.x resources,
 * Phoenix-style status_code beside the Python span's keys. */
static void test_variants(void **state)
{
	(void)state;
	int rc = parse("{\"meta\":[{\"name\":\"Timestamp\",\"type\":\"DateTime64(9)\"}],\"data\":["
	               "{\"Timestamp\":\"2025-06-01 12:00:00.000000000\",\"TraceId\":"
	               "\"0af7651916cd43dd8448eb211c80319c\",\"SpanId\":\"00f067aa0ba902b7\",\"SpanName\":\"a\","
	               "\"Duration\":\"5\",\"StatusCode\":\"Ok\"},"
	               "{\"Timestamp\":\"bad\",\"TraceId\":\"0af7651916cd43dd8448eb211c80319c\","
	               "\"SpanId\":\"00f067aa0ba902b8\"},\"x\","
	               "{\"Timestamp\":\"2025-06-01 12:00:01\",\"TraceId\":\"0af7651916cd43dd8448eb211c80319c\","
	               "\"SpanId\":\"00f067aa0ba902b9\",\"ParentSpanId\":\"00f067aa0ba902b7\"}],"
	               "\"rows\":4,\"statistics\":{\"elapsed\":0.001}}");
	assert_int_equal(rc, 0);
	assert_int_equal(KIND, AC_REC_CLICKHOUSE);
	assert_int_equal(G.n, 4);
	OK(0);
	assert_true(G.sp[0].end_ns == T0 + 5);
	assert_int_equal(G.sp[0].status, 1);
	BAD(1, "Timestamp");
	BAD(2, "row is not a JSON object");
	OK(3);
	assert_hex(G.sp[3].parent_id, 8, "00f067aa0ba902b7");

	rc = parse("{\"result\":{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
	           "\"value\":{\"stringValue\":\"v3\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":"
	           "\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"00f067aa0ba902b7\",\"name\":\"s\","
	           "\"startTimeUnixNano\":\"1748779200000000000\","
	           "\"endTimeUnixNano\":\"1748779200000000001\"}]}]}]}}");
	assert_int_equal(rc, 0);
	assert_int_equal(KIND, AC_REC_JAEGER);
	assert_int_equal(G.n, 1);
	OK(0);
	assert_str(G.sp[0].str[AC_F_SERVICE], "v3");

	rc = parse("[{\"name\":\"a\",\"spanContext\":{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
	           "\"spanId\":\"00f067aa0ba902b7\"},\"startTime\":[1748779200,0],\"endTime\":[1748779200,1],"
	           "\"resource\":{\"_rawAttributes\":[[\"service.name\",\"raw\"],[\"x\"],7],"
	           "\"_asyncAttributesPending\":false}},"
	           "{\"name\":\"b\",\"spanContext\":{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
	           "\"spanId\":\"00f067aa0ba902b8\"},\"startTime\":[1748779200,0],\"endTime\":[1748779200,1],"
	           "\"resource\":{\"_memoizedAttributes\":{\"service.name\":\"memo\"}}}]");
	assert_int_equal(rc, 0);
	assert_int_equal(G.n, 2);
	OK(0);
	OK(1);
	assert_str(G.sp[0].str[AC_F_SERVICE], "raw");
	assert_str(G.sp[1].str[AC_F_SERVICE], "memo");

	rc = parse("{\"name\":\"p\",\"context\":{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\","
	           "\"span_id\":\"00f067aa0ba902b7\"},\"span_kind\":\"LLM\",\"parent_id\":null,"
	           "\"start_time\":\"2025-06-01T12:00:00+00:00\",\"end_time\":\"2025-06-01T12:00:01+00:00\","
	           "\"status_code\":\"ERROR\"}");
	assert_int_equal(rc, 0);
	assert_int_equal(KIND, AC_REC_SDK_PY);
	OK(0);
	assert_int_equal(G.sp[0].status, 2);
	assert_hex(G.sp[0].span_id, 8, "00f067aa0ba902b7");
}

/* Detection --------------------------------------------------------------- */

static const ac_json_format *const MINE[] = { &ac_fmt_sdk_py, &ac_fmt_sdk_js, &ac_fmt_jaeger, &ac_fmt_tempo,
	                                      &ac_fmt_clickhouse };
#define NMINE (sizeof(MINE) / sizeof(MINE[0]))

/* Which of the five detectors claim text: a bit per format. */
static unsigned claims(const char *text)
{
	ac_err err;
	ac_err_clear(&err);
	assert_int_equal(ac_json_parse(&J, text, strlen(text), &err), 0);
	unsigned m = 0;
	for (unsigned f = 0; f < NMINE; f++)
		if (MINE[f]->detect(&J, 0))
			m |= 1u << f;
	return m;
}

static void test_detect(void **state)
{
	(void)state;
	static const char *const others[] = {
		/* OTLP, flat spans (both spellings) */
		"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[]}]}]}",
		"{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",\"span_id\":\"00f067aa0ba902b7\",\"name\":\"x\"}",
		"{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"00f067aa0ba902b7\",\"name\":\"x\"}",
		/* Langfuse API export and blob-export rows */
		"{\"trace\":{\"id\":\"t1\",\"name\":\"x\"},\"observations\":[{\"id\":\"o1\",\"traceId\":\"t1\","
		"\"type\":\"GENERATION\",\"startTime\":\"2025-06-01T12:00:00Z\"}]}",
		"{\"trace_id\":\"t1\",\"id\":\"o1\",\"type\":\"GENERATION\",\"start_time\":\"2025-06-01 12:00:00\"}",
		"[{\"id\":\"o1\",\"traceId\":\"t1\",\"type\":\"SPAN\",\"startTime\":\"2025-06-01T12:00:00Z\"}]",
		/* near misses */
		"{\"data\":[1,2]}", "{\"data\":[{\"id\":1}]}", "{\"data\":[]}", "{\"batches\":\"x\"}",
		"{\"spans\":[{\"name\":\"x\"}]}", "{\"spans\":{}}", "[]", "[1,2]", "[{\"name\":\"x\"}]",
		"{\"context\":{\"id\":\"x\"}}", "{\"context\":\"x\",\"name\":\"y\"}", "{\"TraceId\":\"x\"}",
		"{\"traceID\":\"x\",\"spanID\":\"y\"}",
		"{\"trace\":{\"id\":\"t\"}}", "\"spans\"", "{\"meta\":[],\"data\":[]}",
		"{\"meta\":[],\"data\":[{\"traceID\":\"x\"}]}", "{\"result\":{}}", "{\"result\":[]}",
	};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (claims(others[i]))
			fail_msg("claimed (mask %u): %s", claims(others[i]), others[i]);
	/* each format's record: claimed by its detector only */
	static const struct {
		const char *text;
		unsigned mask;
	} own[] = {
		{ "{\"name\":\"x\",\"context\":{\"trace_id\":\"0x1\",\"span_id\":\"0x2\"}}", 1u << 0 },
		{ "{\"spans\":[{\"context\":{\"trace_id\":1,\"span_id\":2}}]}", 1u << 0 },
		{ "{\"spans\":[]}", 1u << 0 },
		{ "[{\"context\":{\"trace_id\":1,\"span_id\":2}}]", 1u << 0 },
		{ "[{\"name\":\"x\",\"spanContext\":{}}]", 1u << 1 },
		{ "[{\"name\":\"x\",\"startTime\":[1,2]}]", 1u << 1 },
		{ "{\"data\":[{\"traceID\":\"1\",\"spans\":[]}]}", 1u << 2 },
		{ "{\"data\":[{\"spans\":[],\"processes\":{}}]}", 1u << 2 },
		{ "{\"batches\":[]}", 1u << 3 },
		{ "{\"trace\":{\"batches\":[]}}", 1u << 3 },
		{ "{\"TraceId\":\"x\",\"SpanId\":\"y\",\"Timestamp\":\"z\"}", 1u << 4 },
		{ "{\"meta\":[],\"data\":[{\"TraceId\":\"x\",\"SpanId\":\"y\",\"SpanName\":\"z\"}]}", 1u << 4 },
		{ "{\"result\":{\"resourceSpans\":[]}}", 1u << 2 },
	};
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		unsigned m = claims(own[i].text);
		if (m != own[i].mask)
			fail_msg("mask %u, wanted %u: %s", m, own[i].mask, own[i].text);
	}
	/* a record of none of them is still refused with a reason */
	assert_int_equal(parse("{\"spans\":[{\"name\":\"x\"}]}"), AC_EFORMAT);
	assert_int_equal(G.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_py_hex_iso),    cmocka_unit_test(test_py_decimal_wrapped),
		cmocka_unit_test(test_py_unended),    cmocka_unit_test(test_py_errors),
		cmocka_unit_test(test_js),            cmocka_unit_test(test_js_derived_ids),
		cmocka_unit_test(test_js_errors),     cmocka_unit_test(test_jaeger),
		cmocka_unit_test(test_jaeger_errors), cmocka_unit_test(test_base64_ids),
		cmocka_unit_test(test_tempo),         cmocka_unit_test(test_clickhouse),
		cmocka_unit_test(test_clickhouse_errors), cmocka_unit_test(test_variants),
		cmocka_unit_test(test_detect),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	ac_json_release(&J);
	return rc;
}
