/*
 * Unit tests of the record parsers (src/ingest/parse.h) and the attribute
 * mapping (src/ingest/attrmap.h): OTLP JSON (ExportTraceServiceRequest with
 * lowerCamelCase and snake_case keys, the legacy instrumentationLibrarySpans,
 * resource attributes, hex ids in either case, fixed64 times as strings,
 * numbers or {low,high}, status codes as integers or enum names), flat JSONL
 * spans, the attribute precedence of the GenAI / OpenInference / OpenLLMetry
 * names, step kinds, span rejections (the span is still emitted, with
 * sp->err set) and refusals of records that are not traces (AC_EFORMAT).
 *
 * Every record is parsed with ac_parse_record and a callback that copies the
 * emitted spans; their string slices are checked before the next parse.
 *
 * Tests marked DEFECT assert the documented behaviour and failed against the
 * code when they were written; see the comment at each.
 */
#pragma GCC diagnostic ignored "-Wrestrict" /* fragments come from distinct pool slots */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/attrmap.h"
#include "ingest/parse.h"
#include "pricing/pricing.h"

/* Helpers ---------------------------------------------------------------- */

/* Debian 12's cmocka compares floats as float: compare doubles here. */
#define assert_close(a, b, rel, abs_) assert_close_at((a), (b), (rel), (abs_), #a, __FILE__, __LINE__)

static void assert_close_at(double a, double b, double rel, double abs_, const char *what,
                            const char *file, int line)
{
	double d = fabs(a - b);
	if (d <= abs_ || d <= rel * fmax(fabs(a), fabs(b)))
		return;
	print_error("%s = %.17g, expected %.17g\n", what, a, b);
	_fail(file, line);
}

#define EPS 1e-12

/* Ids used throughout, and their bytes written out by hand. */
#define TID "5b8efff798038103d269b633813fc60c"
#define TID_UP "5B8EFFF798038103D269B633813FC60C"
static const uint8_t TID_BYTES[16] = { 0x5b, 0x8e, 0xff, 0xf7, 0x98, 0x03, 0x81, 0x03,
	                               0xd2, 0x69, 0xb6, 0x33, 0x81, 0x3f, 0xc6, 0x0c };
#define SID "eee19b7ec3c1b174"
#define SID_UP "EEE19B7EC3C1B174"
static const uint8_t SID_BYTES[8] = { 0xee, 0xe1, 0x9b, 0x7e, 0xc3, 0xc1, 0xb1, 0x74 };
#define PID "aaaabbbbccccdddd"
static const uint8_t PID_BYTES[8] = { 0xaa, 0xaa, 0xbb, 0xbb, 0xcc, 0xcc, 0xdd, 0xdd };

/* 2025-06-01T12:00:00Z: day 20240 (see test_util.c) * 86400 + 43200 s
 * = 1748779200 s. The end is 1.5 s later. */
#define T0 1748779200000000000LL
#define T0S "1748779200000000000"
#define T1 1748779201500000000LL
#define T1S "1748779201500000000"

#define MAXSPANS 16

typedef struct got {
	int n;
	int stop_after; /* return -42 once this many spans came; 0 = never */
	ac_span sp[MAXSPANS];
} got;

static int collect(ac_span *sp, void *payload)
{
	got *g = payload;
	if (g->n < MAXSPANS)
		g->sp[g->n] = *sp;
	g->n++;
	if (g->stop_after && g->n >= g->stop_after)
		return -42;
	return 0;
}

/* The last record parsed and what came of it. */
static ac_json J = AC_JSON_INIT;
static char REC[1 << 16];
static got G;
static ac_err ERR;
static int KIND;

static int parse_text(const char *text, long long line)
{
	memset(&G, 0, sizeof(G));
	ac_err_clear(&ERR);
	KIND = 0;
	return ac_parse_record(&J, text, strlen(text), line, &KIND, collect, &G, &ERR);
}

/* Format a record into REC and parse it as line 1. */
static int rec(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int rec(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(REC, sizeof(REC), fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(REC));
	return parse_text(REC, 1);
}

/* Rotating scratch buffers for JSON fragments. */
static char *frag(void)
{
	static char pool[1024][4096];
	static unsigned k;
	return pool[k++ % 1024];
}

/* OTLP KeyValue fragments: string, int64 as a decimal string, int64 as a
 * JSON number, double. */
static const char *S(const char *key, const char *val)
{
	char *f = frag();
	snprintf(f, 4096, "{\"key\":\"%s\",\"value\":{\"stringValue\":\"%s\"}}", key, val);
	return f;
}

static const char *I(const char *key, const char *val)
{
	char *f = frag();
	snprintf(f, 4096, "{\"key\":\"%s\",\"value\":{\"intValue\":\"%s\"}}", key, val);
	return f;
}

static const char *IN(const char *key, const char *val)
{
	char *f = frag();
	snprintf(f, 4096, "{\"key\":\"%s\",\"value\":{\"intValue\":%s}}", key, val);
	return f;
}

static const char *DB(const char *key, const char *val)
{
	char *f = frag();
	snprintf(f, 4096, "{\"key\":\"%s\",\"value\":{\"doubleValue\":%s}}", key, val);
	return f;
}

/* Comma-join fragments; NULL ends the list. */
static const char *L(const char *first, ...)
{
	char *f = frag();
	size_t at = 0;
	f[0] = '\0';
	va_list ap;
	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *)) {
		int n = snprintf(f + at, 4096 - at, "%s%s", at ? "," : "", s);
		assert_true(n >= 0 && at + (size_t)n < 4096);
		at += (size_t)n;
	}
	va_end(ap);
	return f;
}

/* One OTLP span object. start/end/status are raw JSON values. */
static const char *span_full(const char *trace, const char *span, const char *parent,
                             const char *name, const char *start, const char *end,
                             const char *status, const char *attrs)
{
	char *f = frag();
	snprintf(f, 4096,
	         "{\"traceId\":\"%s\",\"spanId\":\"%s\",\"parentSpanId\":\"%s\",\"name\":\"%s\","
	         "\"kind\":3,\"startTimeUnixNano\":%s,\"endTimeUnixNano\":%s,\"attributes\":[%s],"
	         "\"status\":%s}",
	         trace, span, parent, name, start, end, attrs, status);
	return f;
}

static const char *span_a(const char *span, const char *name, const char *attrs)
{
	return span_full(TID, span, "", name, "\"" T0S "\"", "\"" T1S "\"", "{}", attrs);
}

/* A record of one resource (attributes res) holding the given spans. */
static int otlp(const char *res, const char *spans)
{
	return rec("{\"resourceSpans\":[{\"resource\":{\"attributes\":[%s]},"
	           "\"scopeSpans\":[{\"scope\":{\"name\":\"test\"},\"spans\":[%s]}]}]}",
	           res, spans);
}

/* One span with attributes attrs under a resource with attributes res. */
static int otlp1(const char *res, const char *attrs)
{
	return otlp(res, span_a(SID, "span", attrs));
}

static int str_is(ac_str s, const char *want)
{
	return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

#define assert_str(s, want) assert_str_at((s), (want), #s, __LINE__)

static void assert_str_at(ac_str s, const char *want, const char *what, int line)
{
	if (!want) {
		if (s.n != 0) {
			print_error("line %d: %s = \"%.*s\", expected none\n", line, what, (int)s.n, s.p);
			fail();
		}
		return;
	}
	if (!str_is(s, want)) {
		print_error("line %d: %s = \"%.*s\", expected \"%s\"\n", line, what, (int)s.n,
		            s.p ? s.p : "", want);
		fail();
	}
}

/* The single emitted span must be valid; returns it. */
static const ac_span *one_ok(int rc)
{
	assert_int_equal(rc, 0);
	assert_int_equal(G.n, 1);
	if (G.sp[0].err[0]) {
		print_error("span rejected: %s\n", G.sp[0].err);
		fail();
	}
	return &G.sp[0];
}

static int has_tok(const ac_span *sp, int k)
{
	return (sp->tok_mask >> k) & 1;
}

static int group_teardown(void **state)
{
	(void)state;
	ac_json_release(&J);
	return 0;
}

/* OTLP JSON shapes --------------------------------------------------------- */

static void test_otlp_camel(void **state)
{
	(void)state;
	int rc = otlp1(L(S("service.name", "checkout"), NULL),
	               L(S("gen_ai.operation.name", "chat"), S("gen_ai.request.model", "gpt-4o"),
	                 S("gen_ai.provider.name", "openai"), I("gen_ai.usage.input_tokens", "1000"),
	                 IN("gen_ai.usage.output_tokens", "200"), NULL));
	const ac_span *sp = one_ok(rc);
	assert_int_equal(KIND, AC_REC_OTLP);
	assert_memory_equal(sp->trace_id, TID_BYTES, 16);
	assert_memory_equal(sp->span_id, SID_BYTES, 8);
	assert_int_equal(sp->has_parent, 0); /* "" = a root */
	assert_true(sp->start_ns == T0);
	assert_true(sp->end_ns == T1);
	assert_int_equal(sp->status, 0);
	assert_int_equal(sp->step, AC_STEP_LLM);
	assert_str(sp->name, "span");
	assert_str(sp->str[AC_F_MODEL], "gpt-4o");
	assert_str(sp->str[AC_F_PROVIDER], "openai");
	assert_str(sp->str[AC_F_SERVICE], "checkout");
	assert_true(has_tok(sp, AC_TOK_IN) && sp->tok[AC_TOK_IN] == 1000);
	assert_true(has_tok(sp, AC_TOK_OUT) && sp->tok[AC_TOK_OUT] == 200);
	assert_false(has_tok(sp, AC_TOK_CACHE_READ));
	assert_false(has_tok(sp, AC_TOK_REASONING));
	assert_true(sp->line == 1);
	/* raw is the span object's own text */
	assert_true(sp->raw.n > 2 && sp->raw.p[0] == '{' && sp->raw.p[sp->raw.n - 1] == '}');
	const char *want_id = "\"spanId\":\"" SID "\"";
	assert_non_null(memmem(sp->raw.p, sp->raw.n, want_id, strlen(want_id)));
	assert_null(memmem(sp->raw.p, sp->raw.n, "resourceSpans", 13));

	/* the line number given is carried */
	assert_int_equal(parse_text(REC, 977), 0);
	assert_true(G.sp[0].line == 977);
}

static void test_otlp_snake(void **state)
{
	(void)state;
	int rc = rec("{\"resource_spans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
	             "\"value\":{\"string_value\":\"svc-snake\"}}]},\"scope_spans\":[{\"spans\":[{"
	             "\"trace_id\":\"" TID "\",\"span_id\":\"" SID "\",\"parent_span_id\":\"" PID "\","
	             "\"name\":\"chat m\",\"start_time_unix_nano\":\"" T0S "\","
	             "\"end_time_unix_nano\":\"" T1S "\",\"attributes\":["
	             "{\"key\":\"gen_ai.request.model\",\"value\":{\"string_value\":\"m\"}},"
	             "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"int_value\":\"12\"}},"
	             "{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{\"int_value\":34}},"
	             "{\"key\":\"agentcost.eval.score\",\"value\":{\"double_value\":0.5}}],"
	             "\"status\":{\"code\":2}}]}]}]}");
	const ac_span *sp = one_ok(rc);
	assert_int_equal(KIND, AC_REC_OTLP);
	assert_memory_equal(sp->trace_id, TID_BYTES, 16);
	assert_memory_equal(sp->span_id, SID_BYTES, 8);
	assert_int_equal(sp->has_parent, 1);
	assert_memory_equal(sp->parent_id, PID_BYTES, 8);
	assert_true(sp->start_ns == T0 && sp->end_ns == T1);
	assert_int_equal(sp->status, 2);
	assert_str(sp->str[AC_F_SERVICE], "svc-snake");
	assert_str(sp->str[AC_F_MODEL], "m");
	assert_true(sp->tok[AC_TOK_IN] == 12 && sp->tok[AC_TOK_OUT] == 34);
	assert_true(sp->num_mask & 1);
	assert_close(sp->eval_score, 0.5, 0, 0);
	/* a model and token counts: an LLM call */
	assert_int_equal(sp->step, AC_STEP_LLM);
}

static void test_otlp_legacy(void **state)
{
	(void)state;
	/* OTLP before 0.15: instrumentationLibrarySpans */
	int rc = rec("{\"resourceSpans\":[{\"resource\":{\"attributes\":[%s]},"
	             "\"instrumentationLibrarySpans\":[{\"instrumentationLibrary\":{\"name\":\"x\"},"
	             "\"spans\":[%s]}]}]}",
	             S("service.name", "old"), span_a(SID, "legacy", ""));
	const ac_span *sp = one_ok(rc);
	assert_str(sp->name, "legacy");
	assert_str(sp->str[AC_F_SERVICE], "old");
	rc = rec("{\"resource_spans\":[{\"instrumentation_library_spans\":[{\"spans\":[%s]}]}]}",
	         span_a(SID, "legacy2", ""));
	sp = one_ok(rc);
	assert_str(sp->name, "legacy2");
}

static void test_otlp_resources(void **state)
{
	(void)state;
	/* two resources; the first holds two spans in two scopes. The
	 * environment comes from deployment.environment.name when both names
	 * are present, in either order. */
	int rc = rec("{\"resourceSpans\":["
	             "{\"resource\":{\"attributes\":[%s]},\"scopeSpans\":["
	             "{\"spans\":[%s]},{\"spans\":[%s]}]},"
	             "{\"resource\":{\"attributes\":[%s]},\"scopeSpans\":[{\"spans\":[%s]}]},"
	             "{\"resource\":{\"attributes\":[%s]},\"scopeSpans\":[{\"spans\":[%s]}]}]}",
	             L(S("service.name", "a"), S("deployment.environment", "staging"),
	               S("deployment.environment.name", "prod"), NULL),
	             span_a("1111111111111111", "a1", ""), span_a("2222222222222222", "a2", ""),
	             L(S("deployment.environment.name", "prod-b"), S("service.name", "b"),
	               S("deployment.environment", "staging-b"), NULL),
	             span_a("3333333333333333", "b1", ""),
	             L(S("deployment.environment", "only-old"), NULL),
	             span_a("4444444444444444", "c1", S("service.name", "from-span")));
	assert_int_equal(rc, 0);
	assert_int_equal(G.n, 4);
	for (int i = 0; i < 4; i++)
		assert_string_equal(G.sp[i].err, "");
	assert_str(G.sp[0].name, "a1");
	assert_str(G.sp[0].str[AC_F_SERVICE], "a");
	assert_str(G.sp[0].str[AC_F_ENV], "prod");
	assert_str(G.sp[1].name, "a2");
	assert_str(G.sp[1].str[AC_F_SERVICE], "a");
	assert_str(G.sp[1].str[AC_F_ENV], "prod");
	assert_str(G.sp[2].str[AC_F_SERVICE], "b");
	assert_str(G.sp[2].str[AC_F_ENV], "prod-b");
	/* nothing leaks from one resource to the next */
	assert_str(G.sp[3].str[AC_F_ENV], "only-old");
	assert_str(G.sp[3].str[AC_F_SERVICE], "from-span");
}

static void test_otlp_ids_upper(void **state)
{
	(void)state;
	int rc = otlp("", span_full(TID_UP, SID_UP, "AAAABBBBCCCCDDDD", "up", "\"" T0S "\"",
	                            "\"" T1S "\"", "{}", ""));
	const ac_span *sp = one_ok(rc);
	assert_memory_equal(sp->trace_id, TID_BYTES, 16);
	assert_memory_equal(sp->span_id, SID_BYTES, 8);
	assert_int_equal(sp->has_parent, 1);
	assert_memory_equal(sp->parent_id, PID_BYTES, 8);
	/* mixed case */
	rc = otlp("", span_full("5b8EFFF798038103d269b633813FC60C", "eEe19b7ec3c1B174", "", "mixed",
	                        "\"" T0S "\"", "\"" T1S "\"", "{}", ""));
	sp = one_ok(rc);
	assert_memory_equal(sp->trace_id, TID_BYTES, 16);
	assert_memory_equal(sp->span_id, SID_BYTES, 8);
	assert_int_equal(sp->has_parent, 0);
}

static void test_otlp_times(void **state)
{
	(void)state;
	/* T0 = 1748779200000000000 = 407169386 * 2^32 + 3197599744; as a signed
	 * 32-bit low word 3197599744 - 2^32 = -1097367552 (JS Long encoders) */
	static const char *const starts[] = {
		"\"" T0S "\"",
		T0S,
		"{\"low\":3197599744,\"high\":407169386}",
		"{\"low\":-1097367552,\"high\":407169386}",
		"{\"high\":\"407169386\",\"low\":\"3197599744\"}",
	};
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		int rc = otlp("", span_full(TID, SID, "", "t", starts[i], T1S, "{}", ""));
		const ac_span *sp = one_ok(rc);
		if (sp->start_ns != T0 || sp->end_ns != T1)
			fail_msg("start %s: %lld..%lld", starts[i], (long long)sp->start_ns,
			         (long long)sp->end_ns);
	}
	/* no end time recorded: zero duration */
	int rc = rec("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" TID "\","
	             "\"spanId\":\"" SID "\",\"name\":\"n\",\"startTimeUnixNano\":\"" T0S "\"}]}]}]}");
	const ac_span *sp = one_ok(rc);
	assert_true(sp->start_ns == T0 && sp->end_ns == T0);
	/* end == start is fine */
	rc = otlp("", span_full(TID, SID, "", "t", T0S, T0S, "{}", ""));
	sp = one_ok(rc);
	assert_true(sp->end_ns == T0);
}

static void test_otlp_status(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		int status;
	} cases[] = {
		{ "{}", 0 },
		{ "{\"code\":0}", 0 },
		{ "{\"code\":1}", 1 },
		{ "{\"code\":2,\"message\":\"boom\"}", 2 },
		{ "{\"code\":\"2\"}", 2 },
		{ "{\"code\":\"STATUS_CODE_ERROR\"}", 2 },
		{ "{\"code\":\"STATUS_CODE_OK\"}", 1 },
		{ "{\"code\":\"STATUS_CODE_UNSET\"}", 0 },
		{ "{\"message\":\"no code\"}", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = otlp("", span_full(TID, SID, "", "s", T0S, T1S, cases[i].json, ""));
		const ac_span *sp = one_ok(rc);
		if (sp->status != cases[i].status)
			fail_msg("status %s: %d, expected %d", cases[i].json, sp->status, cases[i].status);
	}
}

/* Attribute precedence ----------------------------------------------------- */

enum { STR_FIELD, TOK_FIELD };

typedef struct prec {
	const char *what;
	int kind;
	int field; /* AC_F_* for strings, AC_TOK_* for tokens */
	const char *names[6]; /* strongest first, NULL-terminated */
} prec;

/* The precedence table of the ingest contract, strongest first. */
static const prec PRECEDENCE[] = {
	{ "model", STR_FIELD, AC_F_MODEL,
	  { "gen_ai.response.model", "gen_ai.request.model", "llm.response.model_name",
	    "llm.model_name", "llm.request.model_name", NULL } },
	{ "provider", STR_FIELD, AC_F_PROVIDER,
	  { "gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system", NULL } },
	{ "input tokens", TOK_FIELD, AC_TOK_IN,
	  { "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt",
	    NULL } },
	{ "output tokens", TOK_FIELD, AC_TOK_OUT,
	  { "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens",
	    "llm.token_count.completion", NULL } },
	{ "cache read", TOK_FIELD, AC_TOK_CACHE_READ,
	  { "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens",
	    "llm.token_count.prompt_details.cache_read", NULL } },
	{ "cache write", TOK_FIELD, AC_TOK_CACHE_WRITE,
	  { "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_write.input_tokens",
	    "gen_ai.usage.cache_creation_input_tokens", "llm.token_count.prompt_details.cache_write",
	    NULL } },
	{ "reasoning", TOK_FIELD, AC_TOK_REASONING,
	  { "gen_ai.usage.reasoning.output_tokens", "llm.token_count.completion_details.reasoning",
	    NULL } },
};

/* Value of name #k: "v<k>" for strings, (k+1)*111 for tokens. */
static const char *prec_attr(const prec *p, int k)
{
	char v[32];
	if (p->kind == STR_FIELD) {
		snprintf(v, sizeof(v), "v%d", k);
		return S(p->names[k], v);
	}
	snprintf(v, sizeof(v), "%d", (k + 1) * 111);
	return I(p->names[k], v);
}

static void expect_winner(const prec *p, int k, const char *order)
{
	assert_int_equal(G.n, 1);
	const ac_span *sp = &G.sp[0];
	if (sp->err[0])
		fail_msg("%s %s: rejected: %s", p->what, order, sp->err);
	if (p->kind == STR_FIELD) {
		char want[32];
		snprintf(want, sizeof(want), "v%d", k);
		if (!str_is(sp->str[p->field], want))
			fail_msg("%s %s: got \"%.*s\", expected %s (%s)", p->what, order,
			         (int)sp->str[p->field].n, sp->str[p->field].p, want, p->names[k]);
	} else {
		if (!has_tok(sp, p->field) || sp->tok[p->field] != (k + 1) * 111)
			fail_msg("%s %s: got %lld, expected %d (%s)", p->what, order,
			         (long long)sp->tok[p->field], (k + 1) * 111, p->names[k]);
	}
}

static void test_precedence_pairs(void **state)
{
	(void)state;
	for (size_t f = 0; f < sizeof(PRECEDENCE) / sizeof(PRECEDENCE[0]); f++) {
		const prec *p = &PRECEDENCE[f];
		for (int a = 0; p->names[a]; a++) {
			/* alone, each name fills the field */
			assert_int_equal(otlp1("", prec_attr(p, a)), 0);
			expect_winner(p, a, p->names[a]);
			for (int b = a + 1; p->names[b]; b++) {
				char order[256];
				snprintf(order, sizeof(order), "%s then %s", p->names[a], p->names[b]);
				assert_int_equal(otlp1("", L(prec_attr(p, a), prec_attr(p, b), NULL)), 0);
				expect_winner(p, a, order);
				snprintf(order, sizeof(order), "%s then %s", p->names[b], p->names[a]);
				assert_int_equal(otlp1("", L(prec_attr(p, b), prec_attr(p, a), NULL)), 0);
				expect_winner(p, a, order);
			}
		}
	}
}

/* The same pairs in flat JSONL attributes (plain JSON values). */
static void test_precedence_pairs_flat(void **state)
{
	(void)state;
	for (size_t f = 0; f < sizeof(PRECEDENCE) / sizeof(PRECEDENCE[0]); f++) {
		const prec *p = &PRECEDENCE[f];
		for (int a = 0; p->names[a]; a++) {
			for (int b = a + 1; p->names[b]; b++) {
				char va[16], vb[16];
				if (p->kind == STR_FIELD) {
					snprintf(va, sizeof(va), "\"v%d\"", a);
					snprintf(vb, sizeof(vb), "\"v%d\"", b);
				} else {
					snprintf(va, sizeof(va), "%d", (a + 1) * 111);
					snprintf(vb, sizeof(vb), "%d", (b + 1) * 111);
				}
				for (int order = 0; order < 2; order++) {
					assert_int_equal(
						rec("{\"trace_id\":\"" TID "\",\"span_id\":\"" SID "\","
						    "\"start_time_unix_nano\":" T0S ",\"attributes\":"
						    "{\"%s\":%s,\"%s\":%s}}",
						    order ? p->names[b] : p->names[a], order ? vb : va,
						    order ? p->names[a] : p->names[b], order ? va : vb),
						0);
					assert_int_equal(KIND, AC_REC_FLAT);
					expect_winner(p, a, order ? "flat, weaker first" : "flat, stronger first");
				}
			}
		}
	}
}

static void test_resource_vs_span(void **state)
{
	(void)state;
	/* a span value beats a resource value even when its name ranks lower */
	int rc = otlp1(L(S("gen_ai.response.model", "res-model"), I("gen_ai.usage.input_tokens", "5"),
	                 S("gen_ai.provider.name", "res-provider"),
	                 I("gen_ai.usage.output_tokens", "9"), NULL),
	               L(S("llm.request.model_name", "span-model"), I("llm.token_count.prompt", "7"),
	                 NULL));
	const ac_span *sp = one_ok(rc);
	assert_str(sp->str[AC_F_MODEL], "span-model");
	assert_true(sp->tok[AC_TOK_IN] == 7);
	/* what the span lacks comes from the resource */
	assert_str(sp->str[AC_F_PROVIDER], "res-provider");
	assert_true(has_tok(sp, AC_TOK_OUT) && sp->tok[AC_TOK_OUT] == 9);

	/* among resource attributes the table order holds */
	rc = otlp1(L(S("llm.model_name", "weak"), S("gen_ai.request.model", "strong"), NULL), "");
	sp = one_ok(rc);
	assert_str(sp->str[AC_F_MODEL], "strong");

	/* flat JSONL: the resource object against the attributes object, both
	 * key orders of the record */
	rc = rec("{\"trace_id\":\"" TID "\",\"span_id\":\"" SID "\",\"start_time_unix_nano\":" T0S ","
	         "\"resource\":{\"gen_ai.response.model\":\"res\",\"service.name\":\"svc\"},"
	         "\"attributes\":{\"llm.model_name\":\"attr\"}}");
	sp = one_ok(rc);
	assert_str(sp->str[AC_F_MODEL], "attr");
	assert_str(sp->str[AC_F_SERVICE], "svc");
	rc = rec("{\"attributes\":{\"llm.model_name\":\"attr\"},\"trace_id\":\"" TID "\","
	         "\"span_id\":\"" SID "\",\"start_time_unix_nano\":" T0S ","
	         "\"resource\":{\"gen_ai.response.model\":\"res\"}}");
	sp = one_ok(rc);
	assert_str(sp->str[AC_F_MODEL], "attr");
}

/* Step kinds ------------------------------------------------------------- */

typedef struct step_case {
	const char *name;  /* span name */
	const char *attrs; /* built at run time */
	int step;
	const char *tool;  /* expected tool name, NULL = none */
} step_case;

static void test_step_kinds(void **state)
{
	(void)state;
	const char *op = "gen_ai.operation.name", *oi = "openinference.span.kind",
	           *tl = "traceloop.span.kind";
	const step_case cases[] = {
		{ "chat m", S(op, "chat"), AC_STEP_LLM, NULL },
		{ "x", S(op, "text_completion"), AC_STEP_LLM, NULL },
		{ "x", S(op, "generate_content"), AC_STEP_LLM, NULL },
		{ "x", S(op, "embeddings"), AC_STEP_LLM, NULL },
		{ "x", S(oi, "LLM"), AC_STEP_LLM, NULL },
		{ "x", S(oi, "EMBEDDING"), AC_STEP_LLM, NULL },
		/* no operation: a model and token counts make an LLM call */
		{ "x", L(S("gen_ai.request.model", "m"), I("gen_ai.usage.input_tokens", "3"), NULL),
		  AC_STEP_LLM, NULL },
		{ "x", L(S("llm.model_name", "m"), I("llm.token_count.completion", "3"), NULL),
		  AC_STEP_LLM, NULL },
		/* a model alone, or tokens alone, do not */
		{ "x", S("gen_ai.request.model", "m"), AC_STEP_OTHER, NULL },
		{ "x", I("gen_ai.usage.input_tokens", "3"), AC_STEP_OTHER, NULL },
		/* tools: the name from gen_ai.tool.name, tool.name, else the span name */
		{ "execute_tool get_weather", S(op, "execute_tool"), AC_STEP_TOOL, "get_weather" },
		{ "execute_tool get_weather",
		  L(S(op, "execute_tool"), S("gen_ai.tool.name", "search"), NULL), AC_STEP_TOOL,
		  "search" },
		{ "execute_tool get_weather", L(S(op, "execute_tool"), S("tool.name", "calc"), NULL),
		  AC_STEP_TOOL, "calc" },
		{ "t", L(S(op, "execute_tool"), S("tool.name", "calc"), S("gen_ai.tool.name", "search"),
		         NULL),
		  AC_STEP_TOOL, "search" },
		{ "t", L(S(op, "execute_tool"), S("gen_ai.tool.name", "search"), S("tool.name", "calc"),
		         NULL),
		  AC_STEP_TOOL, "search" },
		{ "t", L(S(oi, "TOOL"), S("tool.name", "calc"), NULL), AC_STEP_TOOL, "calc" },
		{ "execute_tool fetch", S(oi, "TOOL"), AC_STEP_TOOL, "fetch" },
		{ "t", L(S(tl, "tool"), S("gen_ai.tool.name", "lookup"), NULL), AC_STEP_TOOL, "lookup" },
		{ "execute_tool fetch", S(tl, "tool"), AC_STEP_TOOL, "fetch" },
		/* agents */
		{ "invoke_agent a", S(op, "invoke_agent"), AC_STEP_AGENT, NULL },
		{ "x", S(op, "create_agent"), AC_STEP_AGENT, NULL },
		{ "x", S(oi, "AGENT"), AC_STEP_AGENT, NULL },
		{ "x", S(tl, "agent"), AC_STEP_AGENT, NULL },
		/* chains */
		{ "x", S(op, "invoke_workflow"), AC_STEP_CHAIN, NULL },
		{ "x", S(oi, "CHAIN"), AC_STEP_CHAIN, NULL },
		{ "x", S(tl, "workflow"), AC_STEP_CHAIN, NULL },
		{ "x", S(tl, "task"), AC_STEP_CHAIN, NULL },
		/* evaluators */
		{ "x", S(oi, "EVALUATOR"), AC_STEP_EVALUATOR, NULL },
		/* nothing known */
		{ "x", "", AC_STEP_OTHER, NULL },
		{ "x", S(oi, "RETRIEVER"), AC_STEP_OTHER, NULL },
		{ "x", S(op, "retrieval"), AC_STEP_OTHER, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const step_case *c = &cases[i];
		int rc = otlp("", span_a(SID, c->name, c->attrs));
		const ac_span *sp = one_ok(rc);
		if (sp->step != c->step)
			fail_msg("case %zu [%s]: step %d, expected %d", i, c->attrs, sp->step, c->step);
		if (c->tool && !str_is(sp->str[AC_F_TOOL], c->tool))
			fail_msg("case %zu [%s]: tool \"%.*s\", expected \"%s\"", i, c->attrs,
			         (int)sp->str[AC_F_TOOL].n, sp->str[AC_F_TOOL].p, c->tool);
	}
}

/* Rejections ------------------------------------------------------------- */

typedef struct bad_case {
	const char *why;
	const char *span; /* a whole span object */
} bad_case;

static const char *with_attr(const char *attr)
{
	return span_a("2222222222222222", "bad", attr);
}

static void test_rejections(void **state)
{
	(void)state;
	const char *in = "gen_ai.usage.input_tokens", *out = "gen_ai.usage.output_tokens";
	const bad_case cases[] = {
		{ "negative tokens", with_attr(I(in, "-5")) },
		{ "negative tokens (number)", with_attr(IN(in, "-1")) },
		{ "fractional tokens", with_attr(DB(out, "1.5")) },
		{ "fractional tokens (string)", with_attr(S(out, "2.25")) },
		{ "non-numeric tokens", with_attr(S(in, "abc")) },
		{ "boolean tokens", with_attr("{\"key\":\"gen_ai.usage.input_tokens\","
		                              "\"value\":{\"boolValue\":true}}") },
		{ "absurd tokens", with_attr(I(in, "100000001")) },
		{ "absurd cache read", with_attr(I("llm.token_count.prompt_details.cache_read",
		                                   "5000000000")) },
		{ "2^63 tokens", with_attr(I(in, "9223372036854775808")) },
		{ "2^63 tokens (number)", with_attr(IN(out, "9223372036854775808")) },
		{ "1e300 tokens", with_attr(DB(in, "1e300")) },
		/* a weaker name with a bad value rejects too: the value is wrong whatever wins */
		{ "bad weaker name", with_attr(L(I(in, "10"), I("llm.token_count.prompt", "-3"), NULL)) },
		{ "trace id not hex", span_full("5b8efff798038103d269b633813fc60g", "2222222222222222", "",
		                                "b", T0S, T1S, "{}", "") },
		{ "trace id short", span_full("5b8efff798038103d269b633813fc6", "2222222222222222", "",
		                              "b", T0S, T1S, "{}", "") },
		{ "trace id long", span_full(TID "00", "2222222222222222", "", "b", T0S, T1S, "{}", "") },
		{ "trace id base64 without its padding", span_full("W47/95gDgQPSabYzgT/GDAA", "2222222222222222", "", "b",
		                               T0S, T1S, "{}", "") },
		{ "span id not hex", span_full(TID, "zzzzzzzzzzzzzzzz", "", "b", T0S, T1S, "{}", "") },
		{ "span id long", span_full(TID, "222222222222222222", "", "b", T0S, T1S, "{}", "") },
		{ "all-zero trace id", span_full("00000000000000000000000000000000", "2222222222222222", "",
		                                 "b", T0S, T1S, "{}", "") },
		{ "all-zero span id", span_full(TID, "0000000000000000", "", "b", T0S, T1S, "{}", "") },
		{ "empty span id", span_full(TID, "", "", "b", T0S, T1S, "{}", "") },
		{ "missing ids", "{\"name\":\"b\",\"startTimeUnixNano\":\"" T0S "\"}" },
		{ "bad parent id", span_full(TID, "2222222222222222", "xyz", "b", T0S, T1S, "{}", "") },
		{ "own parent", span_full(TID, "2222222222222222", "2222222222222222", "b", T0S, T1S, "{}",
		                          "") },
		/* 1970-01-01T00:00:01Z */
		{ "start in 1970", span_full(TID, "2222222222222222", "", "b", "\"1000000000\"",
		                             "\"2000000000\"", "{}", "") },
		/* 2200-01-01: 84006 days (230*365 + 56 leap days) * 86400 s */
		{ "start in 2200", span_full(TID, "2222222222222222", "", "b", "\"7258118400000000000\"",
		                             "\"7258118400000000001\"", "{}", "") },
		{ "end in 2200", span_full(TID, "2222222222222222", "", "b", T0S,
		                           "\"7258118400000000000\"", "{}", "") },
		{ "end before start", span_full(TID, "2222222222222222", "", "b", T1S, T0S, "{}", "") },
		{ "no start", span_full(TID, "2222222222222222", "", "b", "0", T1S, "{}", "") },
		{ "start not a number", span_full(TID, "2222222222222222", "", "b", "\"soon\"", T1S, "{}",
		                                  "") },
		{ "start negative", span_full(TID, "2222222222222222", "", "b", "-5", T1S, "{}", "") },
		{ "start past int64", span_full(TID, "2222222222222222", "", "b",
		                                "\"18446744073709551615\"", T1S, "{}", "") },
		{ "status code 7", span_full(TID, "2222222222222222", "", "b", T0S, T1S, "{\"code\":7}",
		                             "") },
		{ "status name unknown", span_full(TID, "2222222222222222", "", "b", T0S, T1S,
		                                   "{\"code\":\"STATUS_CODE_MAYBE\"}", "") },
		{ "eval score above 1", with_attr(DB("agentcost.eval.score", "1.5")) },
		{ "eval score below 0", with_attr(DB("agentcost.eval.score", "-0.1")) },
		{ "eval score not a number", with_attr(S("agentcost.eval.score", "good")) },
		{ "negative producer cost", with_attr(DB("llm.cost.total", "-0.5")) },
		{ "span not an object", "[1,2]" },
	};
	const char *good1 = span_a("1111111111111111", "good1", I(in, "100000000"));
	const char *good2 = span_a("3333333333333333", "good2", DB("agentcost.eval.score", "1"));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = otlp("", L(good1, cases[i].span, good2, NULL));
		assert_int_equal(rc, 0);
		if (G.n != 3)
			fail_msg("%s: %d spans emitted", cases[i].why, G.n);
		if (G.sp[0].err[0] || G.sp[2].err[0])
			fail_msg("%s: a good span was rejected: %s / %s", cases[i].why, G.sp[0].err,
			         G.sp[2].err);
		if (!G.sp[1].err[0])
			fail_msg("%s: not rejected", cases[i].why);
		/* the message is one line of text */
		assert_null(strchr(G.sp[1].err, '\n'));
	}
	/* the good spans: 100,000,000 tokens is the largest count accepted; a
	 * score of exactly 1 is in range */
	assert_true(G.sp[0].tok[AC_TOK_IN] == 100000000);
	assert_close(G.sp[2].eval_score, 1.0, 0, 0);

	/* a bad value on the resource rejects every span under it */
	int rc = otlp(I(in, "-1"), L(span_a("1111111111111111", "r1", ""),
	                             span_a("3333333333333333", "r2", ""), NULL));
	assert_int_equal(rc, 0);
	assert_int_equal(G.n, 2);
	assert_true(G.sp[0].err[0] && G.sp[1].err[0]);
}

static void test_token_values(void **state)
{
	(void)state;
	/* accepted spellings of a whole number */
	static const char *const ok[] = { "{\"intValue\":\"42\"}", "{\"intValue\":42}",
		                          "{\"stringValue\":\"42\"}", "{\"doubleValue\":42.0}",
		                          "{\"doubleValue\":4.2e1}", "{\"intValue\":\"42.0\"}" };
	char attr[256];
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(attr, sizeof(attr), "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":%s}", ok[i]);
		const ac_span *sp = one_ok(otlp1("", attr));
		if (!has_tok(sp, AC_TOK_IN) || sp->tok[AC_TOK_IN] != 42)
			fail_msg("%s: %lld", ok[i], (long long)sp->tok[AC_TOK_IN]);
	}
	/* zero is a count */
	const ac_span *sp = one_ok(otlp1("", I("gen_ai.usage.reasoning.output_tokens", "0")));
	assert_true(has_tok(sp, AC_TOK_REASONING) && sp->tok[AC_TOK_REASONING] == 0);
	/* unmapped attributes are ignored, whatever their value */
	sp = one_ok(otlp1("", L(I("gen_ai.usage.total_tokens", "-5"), S("foo", "bar"), NULL)));
	assert_true(sp->tok_mask == 0);
}

/* Flat JSONL ------------------------------------------------------------- */

static void test_flat_snake(void **state)
{
	(void)state;
	int rc = rec("{\"trace_id\":\"" TID "\",\"span_id\":\"" SID "\",\"parent_span_id\":null,"
	             "\"name\":\"chat gpt-4o\",\"start_time_unix_nano\":" T0S ","
	             "\"end_time_unix_nano\":\"" T1S "\",\"status\":\"ERROR\","
	             "\"attributes\":{\"gen_ai.operation.name\":\"chat\","
	             "\"gen_ai.request.model\":\"gpt-4o\",\"gen_ai.usage.input_tokens\":1000,"
	             "\"gen_ai.usage.output_tokens\":\"200\",\"error.type\":\"timeout\","
	             "\"agentcost.task.id\":42,\"nested\":{\"x\":[1,2]}},"
	             "\"resource\":{\"service.name\":\"svc\",\"deployment.environment\":\"prod\"}}");
	const ac_span *sp = one_ok(rc);
	assert_int_equal(KIND, AC_REC_FLAT);
	assert_memory_equal(sp->trace_id, TID_BYTES, 16);
	assert_memory_equal(sp->span_id, SID_BYTES, 8);
	assert_int_equal(sp->has_parent, 0);
	assert_true(sp->start_ns == T0 && sp->end_ns == T1);
	assert_int_equal(sp->status, 2);
	assert_int_equal(sp->step, AC_STEP_LLM);
	assert_str(sp->name, "chat gpt-4o");
	assert_str(sp->str[AC_F_MODEL], "gpt-4o");
	assert_str(sp->str[AC_F_SERVICE], "svc");
	assert_str(sp->str[AC_F_ENV], "prod");
	assert_str(sp->str[AC_F_ERROR_TYPE], "timeout");
	assert_str(sp->str[AC_F_TASK_ID], "42"); /* a number keeps its text */
	assert_true(sp->tok[AC_TOK_IN] == 1000 && sp->tok[AC_TOK_OUT] == 200);
	/* raw is the whole record */
	assert_true(sp->raw.p == REC && sp->raw.n == strlen(REC));
}

static void test_flat_camel(void **state)
{
	(void)state;
	int rc = rec("{\"traceId\":\"" TID_UP "\",\"spanId\":\"" SID "\",\"parentSpanId\":\"" PID "\","
	             "\"name\":\"tool\",\"startTimeUnixNano\":\"" T0S "\",\"endTimeUnixNano\":" T1S ","
	             "\"status\":2,\"attributes\":{\"openinference.span.kind\":\"TOOL\","
	             "\"tool.name\":\"calc\"}}");
	const ac_span *sp = one_ok(rc);
	assert_int_equal(KIND, AC_REC_FLAT);
	assert_memory_equal(sp->trace_id, TID_BYTES, 16);
	assert_int_equal(sp->has_parent, 1);
	assert_memory_equal(sp->parent_id, PID_BYTES, 8);
	assert_true(sp->start_ns == T0 && sp->end_ns == T1);
	assert_int_equal(sp->status, 2);
	assert_int_equal(sp->step, AC_STEP_TOOL);
	assert_str(sp->str[AC_F_TOOL], "calc");
}

static void test_flat_iso_status(void **state)
{
	(void)state;
	/* ISO-8601 times: 12:00:00Z and 12:00:01.5Z are T0 and T1 */
	int rc = rec("{\"trace_id\":\"" TID "\",\"span_id\":\"" SID "\","
	             "\"start_time\":\"2025-06-01T12:00:00Z\",\"end_time\":\"2025-06-01T12:00:01.5Z\","
	             "\"status\":\"OK\"}");
	const ac_span *sp = one_ok(rc);
	assert_true(sp->start_ns == T0 && sp->end_ns == T1);
	assert_int_equal(sp->status, 1);
	/* camelCase names, an offset: 14:00:00+02:00 is 12:00:00Z */
	rc = rec("{\"traceId\":\"" TID "\",\"spanId\":\"" SID "\","
	         "\"startTime\":\"2025-06-01T14:00:00+02:00\",\"endTime\":\"2025-06-01 12:00:01.500Z\","
	         "\"status\":{\"code\":\"STATUS_CODE_ERROR\"}}");
	sp = one_ok(rc);
	assert_true(sp->start_ns == T0 && sp->end_ns == T1);
	assert_int_equal(sp->status, 2);

	static const struct {
		const char *json;
		int status;
	} st[] = { { "\"ERROR\"", 2 }, { "2", 2 }, { "\"OK\"", 1 }, { "1", 1 }, { "\"UNSET\"", 0 },
		   { "0", 0 }, { "{\"code\":2}", 2 }, { "\"error\"", 2 } };
	for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		rc = rec("{\"trace_id\":\"" TID "\",\"span_id\":\"" SID "\",\"start_time_unix_nano\":" T0S
		         ",\"status\":%s}",
		         st[i].json);
		sp = one_ok(rc);
		if (sp->status != st[i].status)
			fail_msg("status %s: %d", st[i].json, sp->status);
	}

	/* rejected flat spans: still emitted, with the reason */
	static const char *const bad[] = {
		"\"start_time\":\"June 1st\"",
		"\"start_time\":\"2025-06-01T12:00:00Z\",\"end_time\":\"2025-06-01T11:00:00Z\"",
		"\"start_time_unix_nano\":" T0S ",\"status\":\"MAYBE\"",
		"\"start_time_unix_nano\":" T0S ",\"attributes\":{\"gen_ai.usage.input_tokens\":-1}",
		"\"start_time_unix_nano\":" T0S ",\"attributes\":{\"gen_ai.usage.input_tokens\":1.5}",
		"\"start_time_unix_nano\":" T0S ",\"attributes\":{\"gen_ai.usage.input_tokens\":true}",
		"\"start_time_unix_nano\":" T0S
		",\"attributes\":{\"gen_ai.usage.input_tokens\":9223372036854775808}",
		"\"start_time_unix_nano\":" T0S ",\"parent_span_id\":\"" SID "\"",
		"\"start_time\":\"1970-01-01T00:00:01Z\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = rec("{\"trace_id\":\"" TID "\",\"span_id\":\"" SID "\",%s}", bad[i]);
		assert_int_equal(rc, 0);
		assert_int_equal(G.n, 1);
		if (!G.sp[0].err[0])
			fail_msg("not rejected: %s", bad[i]);
	}
}

/* Refusals and malformed records ------------------------------------------ */

static void test_refusals(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		const char *names; /* the message must contain this */
	} cases[] = {
		{ "{\"resourceLogs\":[{\"scopeLogs\":[]}]}", "resourceLogs" },
		{ "{\"resource_logs\":[]}", "resourceLogs" },
		{ "{\"resourceMetrics\":[{\"scopeMetrics\":[]}]}", "resourceMetrics" },
		{ "{\"gen_ai.request.model\":\"gpt-4o\",\"gen_ai.usage.input_tokens\":5}",
		  "bare attribute map" },
		{ "{\"sample_spec\":{\"input_cost_per_token\":0,\"output_cost_per_token\":0},"
		  "\"gpt-4o\":{\"input_cost_per_token\":2.5e-06,\"litellm_provider\":\"openai\"}}",
		  "LiteLLM price table" },
		{ "{\"hello\":\"world\"}", "no resourceSpans or trace_id" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse_text(cases[i].json, 12);
		if (rc != AC_EFORMAT || !strstr(ERR.msg, cases[i].names))
			fail_msg("%s: rc %d \"%s\"", cases[i].json, rc, ERR.msg);
		assert_int_equal(G.n, 0);
		assert_true(ERR.line == 12);
	}
}

static void test_malformed(void **state)
{
	(void)state;
	/* truncated: no span emitted, the column one past the end */
	int rc = parse_text("{\"resourceSpans\":[", 7);
	assert_int_equal(rc, AC_EPARSE);
	assert_int_equal(G.n, 0);
	assert_true(ERR.line == 7);
	assert_true(ERR.col == 19);
	assert_non_null(strstr(ERR.msg, "truncated JSON"));

	/* a multi-line document: the error's line and column within it. Line 41
	 * is "{", 42 is "\"resourceSpans\": [", 43 is "  @" */
	rc = parse_text("{\n\"resourceSpans\": [\n  @\n]}", 41);
	assert_int_equal(rc, AC_EPARSE);
	assert_int_equal(G.n, 0);
	assert_true(ERR.line == 43);
	assert_true(ERR.col == 3);

	/* a valid span before a syntax error later in the record is not emitted */
	char text[2048];
	snprintf(text, sizeof(text),
	         "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[%s,{\"traceId\":@}]}]}]}",
	         span_a(SID, "early", ""));
	rc = parse_text(text, 1);
	assert_int_equal(rc, AC_EPARSE);
	assert_int_equal(G.n, 0);

	/* not an object or array */
	rc = parse_text("\"a string\"", 1);
	assert_true(rc == AC_EPARSE || rc == AC_EFORMAT);
	assert_int_equal(G.n, 0);

	/* structure problems below the root do not abort the record */
	rc = rec("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":{}},{\"spans\":[%s]}]},"
	         "{\"scopeSpans\":7},\"junk\",{\"scopeSpans\":[{\"spans\":[%s]}]}]}",
	         span_a("1111111111111111", "first", ""), span_a("3333333333333333", "second", ""));
	assert_int_equal(rc, 0);
	/* each misplaced container is reported as an item of its own (so the
	 * record's problems are counted), the valid spans around it are kept */
	assert_int_equal(G.n, 4);
	assert_int_equal(G.sp[0].structural, 1);
	assert_non_null(strstr(G.sp[0].err, "\"spans\" is not an array"));
	assert_str(G.sp[1].name, "first");
	assert_string_equal(G.sp[1].err, "");
	assert_int_equal(G.sp[2].structural, 1);
	assert_non_null(strstr(G.sp[2].err, "\"scopeSpans\" is not an array"));
	assert_str(G.sp[3].name, "second");
	assert_string_equal(G.sp[3].err, "");
}

static void test_callback_stop(void **state)
{
	(void)state;
	memset(&G, 0, sizeof(G));
	G.stop_after = 1;
	snprintf(REC, sizeof(REC), "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[%s]}]}]}",
	         L(span_a("1111111111111111", "a", ""), span_a("2222222222222222", "b", ""),
	           span_a("3333333333333333", "c", ""), NULL));
	ac_err_clear(&ERR);
	int rc = ac_parse_record(&J, REC, strlen(REC), 1, &KIND, collect, &G, &ERR);
	assert_int_equal(rc, -42);
	assert_int_equal(G.n, 1);
}

/* Producer cost ---------------------------------------------------------- */

static void test_producer_cost(void **state)
{
	(void)state;
	/* OpenInference total */
	const ac_span *sp = one_ok(otlp1("", DB("llm.cost.total", "0.0123")));
	assert_true(sp->num_mask & 2);
	assert_close(sp->pcost_total, 0.0123, EPS, 0);

	/* any-agent parts: 0.01 + 0.002 = 0.012, in either order */
	sp = one_ok(otlp1("", L(DB("gen_ai.usage.input_cost", "0.01"),
	                        DB("gen_ai.usage.output_cost", "0.002"), NULL)));
	assert_true(sp->num_mask & 2);
	assert_close(sp->pcost_total, 0.012, EPS, 0);
	sp = one_ok(otlp1("", L(DB("gen_ai.usage.output_cost", "0.002"),
	                        DB("gen_ai.usage.input_cost", "0.01"), NULL)));
	assert_close(sp->pcost_total, 0.012, EPS, 0);
	/* one part alone */
	sp = one_ok(otlp1("", DB("gen_ai.usage.output_cost", "0.25")));
	assert_close(sp->pcost_total, 0.25, EPS, 0);

	/* a total wins over parts */
	sp = one_ok(otlp1("", L(DB("gen_ai.usage.input_cost", "0.01"), DB("llm.cost.total", "0.5"),
	                        DB("gen_ai.usage.output_cost", "0.002"), NULL)));
	assert_close(sp->pcost_total, 0.5, EPS, 0);

	/* flat: a number value */
	sp = one_ok(rec("{\"trace_id\":\"" TID "\",\"span_id\":\"" SID "\",\"start_time_unix_nano\":"
	                T0S ",\"attributes\":{\"llm.cost.total\":0.75}}"));
	assert_close(sp->pcost_total, 0.75, EPS, 0);
	sp = one_ok(rec("{\"trace_id\":\"" TID "\",\"span_id\":\"" SID "\",\"start_time_unix_nano\":"
	                T0S ",\"attributes\":{\"gen_ai.usage.input_cost\":0.1,"
	                "\"gen_ai.usage.output_cost\":\"0.05\"}}"));
	assert_close(sp->pcost_total, 0.15, EPS, 0);

	/* none */
	sp = one_ok(otlp1("", ""));
	assert_false(sp->num_mask & 2);
}

/* DEFECT: a resource without "attributes" (OTLP allows an empty Resource,
 * and SDKs write "resource":{}) makes walk_otlp call otlp_attrs() with token
 * index -1 (find_key's "not found"), which reads j->tok[-1]: a heap buffer
 * underflow (ASan: heap-buffer-overflow; without ASan it reads whatever lies
 * before the token array). Run last: ASan aborts the whole executable. */
static void test_otlp_resource_without_attributes(void **state)
{
	(void)state;
	int rc = rec("{\"resourceSpans\":[{\"resource\":{},\"scopeSpans\":[{\"spans\":[%s]}]},"
	             "{\"resource\":{\"droppedAttributesCount\":0},\"scopeSpans\":[{\"spans\":[%s]}]},"
	             "{\"resource\":[],\"scopeSpans\":[{\"spans\":[%s]}]}]}",
	             span_a("1111111111111111", "empty", ""), span_a("2222222222222222", "dropped", ""),
	             span_a("3333333333333333", "array", ""));
	assert_int_equal(rc, 0);
	assert_int_equal(G.n, 3);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(G.sp[i].err, "");
		assert_int_equal(G.sp[i].str[AC_F_SERVICE].n, 0);
	}
}

/* Helpers of parse.h / attrmap.h ------------------------------------------- */

static void test_hex_and_lookup(void **state)
{
	(void)state;
	char out[33];
	ac_hex(TID_BYTES, 16, out);
	assert_string_equal(out, TID);
	ac_hex(SID_BYTES, 8, out);
	assert_string_equal(out, SID);
	ac_hex(SID_BYTES, 0, out);
	assert_string_equal(out, "");

	int prio = -1;
	assert_int_equal(ac_attr_lookup("gen_ai.usage.input_tokens", 25, &prio), AC_F_TOK_IN);
	assert_int_equal(ac_attr_lookup("service.name", 12, &prio), AC_F_SERVICE);
	assert_int_equal(ac_attr_lookup("gen_ai.usage.input_token", 24, &prio), AC_F_NONE);
	assert_int_equal(ac_attr_lookup("gen_ai.usage.input_tokensX", 26, &prio), AC_F_NONE);
	assert_int_equal(ac_attr_lookup("", 0, &prio), AC_F_NONE);
	/* the length is honoured */
	assert_int_equal(ac_attr_lookup("service.name.extra", 12, &prio), AC_F_SERVICE);

	ac_str a = { "ToOl", 4 };
	assert_true(ac_str_ieq(a, "tool"));
	assert_true(ac_str_ieq(a, "TOOL"));
	assert_false(ac_str_ieq(a, "tools"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_otlp_camel),
		cmocka_unit_test(test_otlp_snake),
		cmocka_unit_test(test_otlp_legacy),
		cmocka_unit_test(test_otlp_resources),
		cmocka_unit_test(test_otlp_ids_upper),
		cmocka_unit_test(test_otlp_times),
		cmocka_unit_test(test_otlp_status),
		cmocka_unit_test(test_precedence_pairs),
		cmocka_unit_test(test_precedence_pairs_flat),
		cmocka_unit_test(test_resource_vs_span),
		cmocka_unit_test(test_step_kinds),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_token_values),
		cmocka_unit_test(test_flat_snake),
		cmocka_unit_test(test_flat_camel),
		cmocka_unit_test(test_flat_iso_status),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_callback_stop),
		cmocka_unit_test(test_producer_cost),
		cmocka_unit_test(test_hex_and_lookup),
		cmocka_unit_test(test_otlp_resource_without_attributes), /* last: see there */
	};
	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
