/*
 * Unit tests of the Langfuse readers (src/ingest/fmt_langfuse.c): the id
 * rules, the usage arithmetic (Langfuse's input excludes cache reads and
 * cache creation; reasoning inside or outside output, decided by total),
 * Langfuse's cost kept as the producer's, the type -> step mapping, the API
 * export's observations listed twice read once, bad observations rejected
 * among good ones, and the CSV rows: the reader's CSV mode (header detection,
 * a quoted newline kept in one record) and ac_parse_csv_record (a missing
 * column, a short row).
 */
#include <limits.h>
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
#include "ingest/parse.h"
#include "ingest/reader.h"
#include "pricing/pricing.h"
#include "util/buf.h"
#include "util/hash.h"

#define assert_close(a, b) assert_close_at((a), (b), #a, __FILE__, __LINE__)
static void assert_close_at(double a, double b, const char *what, const char *file, int line)
{
	if (fabs(a - b) <= 1e-12)
		return;
	print_error("%s = %.17g, expected %.17g\n", what, a, b);
	_fail(file, line);
}

/* 2025-06-01T12:00:00Z = 1748779200 s (see test_otlp.c) */
#define T0 1748779200000000000LL

#define MAXSPANS 16
typedef struct got {
	int n;
	ac_span sp[MAXSPANS];
	char raw[MAXSPANS][2048];
} got;

static int collect(ac_span *sp, void *payload)
{
	got *g = payload;
	if (g->n < MAXSPANS) {
		g->sp[g->n] = *sp;
		size_t n = sp->raw.n < 2047 ? sp->raw.n : 2047;
		if (n)
			memcpy(g->raw[g->n], sp->raw.p, n);
		g->raw[g->n][n] = '\0';
	}
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
	return ac_parse_record(&J, text, strlen(text), 1, &KIND, collect, &G, &ERR);
}

/* A JSONL row with the given type, usage object and extra fields. */
static int row(const char *type, const char *usage, const char *extra)
{
	static char buf[4096];
	snprintf(buf, sizeof(buf),
	         "{\"id\":\"eee19b7ec3c1b174\",\"trace_id\":\"5b8efff798038103d269b633813fc60c\","
	         "\"type\":\"%s\",\"name\":\"n\",\"start_time\":\"2025-06-01 12:00:00.000000\","
	         "\"end_time\":\"2025-06-01 12:00:01.500000\",\"provided_model_name\":\"gpt-4o\","
	         "\"usage_details\":%s%s}",
	         type, usage, extra);
	return parse(buf);
}

static void assert_bytes(const uint8_t *got_, const char *hex, size_t n)
{
	uint8_t want[16];
	assert_int_equal(ac_unhex(hex, 2 * n, want, n), 0);
	assert_memory_equal(got_, want, n);
}

static void be64(uint8_t *out, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		out[i] = (uint8_t)v;
}

/* Ids ---------------------------------------------------------------------- */

static void test_ids(void **state)
{
	(void)state;
	uint8_t t[16], s[8], want[16];
	/* 32 hex: as is, either case */
	assert_int_equal(ac_lf_trace_id("5B8EFFF798038103d269b633813fc60c", 32, t), 0);
	assert_bytes(t, "5b8efff798038103d269b633813fc60c", 16);
	/* a dashed UUID: its 16 bytes */
	const char *uuid = "0b5c3a1e-7f2d-4c9a-8e61-2f3d4a5b6c7d";
	assert_int_equal(ac_lf_trace_id(uuid, strlen(uuid), t), 0);
	assert_bytes(t, "0b5c3a1e7f2d4c9a8e612f3d4a5b6c7d", 16);
	/* 16 hex trace id: 8 zero bytes, then the 8 */
	assert_int_equal(ac_lf_trace_id("371496f71d82baed", 16, t), 0);
	assert_bytes(t, "0000000000000000371496f71d82baed", 16);
	/* anything else: two seeded hashes, big-endian ("LFTRACE1", "LFTRACE2") */
	const char *other = "trace-2025-abc";
	assert_int_equal(ac_lf_trace_id(other, strlen(other), t), 0);
	be64(want, ac_hash64(other, strlen(other), 0x4c46545241434531ULL));
	be64(want + 8, ac_hash64(other, strlen(other), 0x4c46545241434532ULL));
	assert_memory_equal(t, want, 16);
	/* a UUID with a non-hex digit is "anything else" */
	const char *bad_uuid = "0b5c3a1e-7f2d-4c9a-8e61-2f3d4a5b6c7g";
	assert_int_equal(ac_lf_trace_id(bad_uuid, strlen(bad_uuid), t), 0);
	be64(want, ac_hash64(bad_uuid, strlen(bad_uuid), 0x4c46545241434531ULL));
	assert_memory_equal(t, want, 8);
	/* zeros and empty: absent */
	assert_int_equal(ac_lf_trace_id("00000000000000000000000000000000", 32, t), 1);
	assert_int_equal(ac_lf_trace_id("", 0, t), 1);

	/* observation ids: 16 hex as is; a UUID, 32 hex or other text hashed ("LFOBSERV") */
	assert_int_equal(ac_lf_obs_id("EEE19B7EC3C1B174", 16, s), 0);
	assert_bytes(s, "eee19b7ec3c1b174", 8);
	assert_int_equal(ac_lf_obs_id(uuid, strlen(uuid), s), 0);
	be64(want, ac_hash64(uuid, strlen(uuid), 0x4c464f4253455256ULL));
	assert_memory_equal(s, want, 8);
	assert_int_equal(ac_lf_obs_id("5b8efff798038103d269b633813fc60c", 32, s), 0);
	be64(want, ac_hash64("5b8efff798038103d269b633813fc60c", 32, 0x4c464f4253455256ULL));
	assert_memory_equal(s, want, 8);
	assert_int_equal(ac_lf_obs_id("0000000000000000", 16, s), 1);
	/* hashed ids are case-sensitive */
	uint8_t s2[8];
	ac_lf_obs_id("obs-A", 5, s);
	ac_lf_obs_id("obs-a", 5, s2);
	assert_memory_not_equal(s, s2, 8);
}

/* A UUID observation id and a UUID parent resolve to the same bytes. */
static void test_uuid_parent_resolves(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"trace\":{\"id\":\"t-1\"},\"observations\":["
	                       "{\"id\":\"7c9e6679-7425-40de-944b-e07fc1f90ae7\",\"type\":\"SPAN\","
	                       "\"startTime\":\"2025-06-01T12:00:00Z\"},"
	                       "{\"id\":\"child\",\"parentObservationId\":\"7c9e6679-7425-40de-944b-e07fc1f90ae7\","
	                       "\"type\":\"EVENT\",\"startTime\":\"2025-06-01T12:00:00Z\"}]}"),
	                 0);
	assert_int_equal(KIND, AC_REC_LANGFUSE);
	assert_int_equal(G.n, 2);
	assert_string_equal(G.sp[0].err, "");
	assert_string_equal(G.sp[1].err, "");
	assert_true(G.sp[1].has_parent);
	assert_memory_equal(G.sp[1].parent_id, G.sp[0].span_id, 8);
	assert_memory_equal(G.sp[1].trace_id, G.sp[0].trace_id, 16);
	assert_int_equal(G.sp[0].start_ns, T0);
	assert_int_equal(G.sp[0].end_ns, T0); /* no end: zero duration */
}

/* Usage ---------------------------------------------------------------------- */

static void test_usage_cache_added(void **state)
{
	(void)state;
	/* input 500 excludes cache read 1000 and creation 500: agentcost input 2000 */
	assert_int_equal(row("GENERATION",
	                     "{\"input\":500,\"input_cached_tokens\":1000,\"input_cache_creation\":500,"
	                     "\"output\":300,\"total\":2300}",
	                     ""),
	                 0);
	assert_int_equal(KIND, AC_REC_LANGFUSE_ROW);
	assert_int_equal(G.n, 1);
	ac_span *sp = &G.sp[0];
	assert_string_equal(sp->err, "");
	assert_int_equal(sp->tok[AC_TOK_IN], 2000);
	assert_int_equal(sp->tok[AC_TOK_CACHE_READ], 1000);
	assert_int_equal(sp->tok[AC_TOK_CACHE_WRITE], 500);
	assert_int_equal(sp->tok[AC_TOK_OUT], 300);
	assert_int_equal(sp->tok_mask, (1u << AC_TOK_IN) | (1u << AC_TOK_OUT) | (1u << AC_TOK_CACHE_READ) |
	                                       (1u << AC_TOK_CACHE_WRITE));
	assert_int_equal(sp->step, AC_STEP_LLM);
	assert_int_equal(sp->start_ns, T0);
	assert_int_equal(sp->end_ns, T0 + 1500000000LL);
	/* the other spellings of the cache keys */
	assert_int_equal(row("GENERATION",
	                     "{\"input\":10,\"cache_read_input_tokens\":20,\"cache_creation_input_tokens\":30,"
	                     "\"output\":1}",
	                     ""),
	                 0);
	assert_int_equal(G.sp[0].tok[AC_TOK_IN], 60);
	assert_int_equal(row("GENERATION", "{\"input\":10,\"input_cache_read\":5}", ""), 0);
	assert_int_equal(G.sp[0].tok[AC_TOK_IN], 15);
	assert_int_equal(G.sp[0].tok[AC_TOK_CACHE_READ], 5);
	assert_false(G.sp[0].tok_mask & (1u << AC_TOK_OUT));
}

static void test_usage_reasoning_inside(void **state)
{
	(void)state;
	/* total 1300 = 1000 + 300: the 120 reasoning tokens are inside output */
	assert_int_equal(row("GENERATION",
	                     "{\"input\":1000,\"output\":300,\"output_reasoning_tokens\":120,\"total\":1300}", ""),
	                 0);
	assert_int_equal(G.sp[0].tok[AC_TOK_OUT], 300);
	assert_int_equal(G.sp[0].tok[AC_TOK_REASONING], 120);
	/* with cache: total 1800 = (1000 + 400 + 100) + 300 */
	assert_int_equal(row("GENERATION",
	                     "{\"input\":1000,\"input_cached_tokens\":400,\"input_cache_creation\":100,"
	                     "\"output\":300,\"output_reasoning\":120,\"total\":1800}",
	                     ""),
	                 0);
	assert_int_equal(G.sp[0].tok[AC_TOK_IN], 1500);
	assert_int_equal(G.sp[0].tok[AC_TOK_OUT], 300);
}

static void test_usage_reasoning_outside(void **state)
{
	(void)state;
	/* total 1420 = 1000 + 300 + 120: reasoning outside, output becomes 420 */
	assert_int_equal(row("GENERATION",
	                     "{\"input\":1000,\"output\":300,\"output_reasoning_tokens\":120,\"total\":1420}", ""),
	                 0);
	assert_int_equal(G.sp[0].tok[AC_TOK_OUT], 420);
	assert_int_equal(G.sp[0].tok[AC_TOK_REASONING], 120);
	/* no total: Langfuse's parts are disjoint, outside */
	assert_int_equal(row("GENERATION", "{\"input\":1000,\"output\":300,\"output_reasoning\":120}", ""), 0);
	assert_int_equal(G.sp[0].tok[AC_TOK_OUT], 420);
	/* only reasoning: output is it */
	assert_int_equal(row("GENERATION", "{\"output_reasoning\":7}", ""), 0);
	assert_int_equal(G.sp[0].tok[AC_TOK_OUT], 7);
	assert_false(G.sp[0].tok_mask & (1u << AC_TOK_IN));
}

static void test_usage_replaces_metadata_and_rejects(void **state)
{
	(void)state;
	/* the metadata's GenAI counts are replaced by usage_details */
	assert_int_equal(row("GENERATION", "{\"input\":5,\"output\":6}",
	                     ",\"metadata\":{\"attributes\":{\"gen_ai.usage.input_tokens\":\"999\","
	                     "\"gen_ai.usage.cache_read.input_tokens\":\"7\"}}"),
	                 0);
	assert_int_equal(G.sp[0].tok[AC_TOK_IN], 5);
	assert_int_equal(G.sp[0].tok[AC_TOK_OUT], 6);
	assert_false(G.sp[0].tok_mask & (1u << AC_TOK_CACHE_READ));
	/* empty usage: the metadata's counts stay */
	assert_int_equal(row("GENERATION", "{}",
	                     ",\"metadata\":{\"attributes\":{\"gen_ai.usage.input_tokens\":\"999\"}}"),
	                 0);
	assert_int_equal(G.sp[0].tok[AC_TOK_IN], 999);
	/* bad counts reject the span */
	static const struct {
		const char *usage, *err;
	} BAD[] = {
		{ "{\"input\":-1}", "usage input: token count is negative" },
		{ "{\"output\":100000001}", "usage output: token count is absurd (over 100000000)" },
		{ "{\"input\":1.5}", "usage input: token count is not a whole number" },
		{ "{\"input\":\"many\"}", "usage input: token count is not a number" },
		{ "{\"input\":60000000,\"input_cached_tokens\":60000000}",
		  "usage: token count is absurd (over 100000000)" },
	};
	for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
		assert_int_equal(row("GENERATION", BAD[i].usage, ""), 0);
		assert_int_equal(G.n, 1);
		assert_string_equal(G.sp[0].err, BAD[i].err);
	}
	/* a count as a string is read */
	assert_int_equal(row("GENERATION", "{\"input\":\"12\"}", ""), 0);
	assert_string_equal(G.sp[0].err, "");
	assert_int_equal(G.sp[0].tok[AC_TOK_IN], 12);
}

/* Cost, type, status, environment, model ---------------------------------- */

static void test_cost(void **state)
{
	(void)state;
	assert_int_equal(row("GENERATION", "{}", ",\"cost_details\":{\"input\":1,\"total\":0.5},\"total_cost\":9"), 0);
	assert_true(G.sp[0].num_mask & 2);
	assert_close(G.sp[0].pcost_total, 0.5);
	/* parts without total: summed */
	assert_int_equal(row("GENERATION", "{}", ",\"cost_details\":{\"input\":0.25,\"output\":0.5}"), 0);
	assert_close(G.sp[0].pcost_total, 0.75);
	/* totalCost / calculatedTotalCost when cost_details says nothing */
	assert_int_equal(row("GENERATION", "{}", ",\"cost_details\":{},\"totalCost\":0.0042"), 0);
	assert_close(G.sp[0].pcost_total, 0.0042);
	assert_int_equal(row("GENERATION", "{}", ",\"calculatedTotalCost\":\"0.125\""), 0);
	assert_close(G.sp[0].pcost_total, 0.125);
	/* 0 is "no price", not a cost */
	assert_int_equal(row("GENERATION", "{}", ",\"total_cost\":0"), 0);
	assert_false(G.sp[0].num_mask & 2);
	/* ... also as all-zero cost details, which then do not hide a total */
	assert_int_equal(row("GENERATION", "{}", ",\"cost_details\":{\"input\":0,\"output\":0,\"total\":0}"), 0);
	assert_false(G.sp[0].num_mask & 2);
	assert_int_equal(row("GENERATION", "{}", ",\"cost_details\":{\"input\":0},\"total_cost\":0.3"), 0);
	assert_close(G.sp[0].pcost_total, 0.3);
	assert_int_equal(row("GENERATION", "{}", ",\"total_cost\":-1"), 0);
	assert_string_equal(G.sp[0].err, "totalCost is negative");
}

static void test_types(void **state)
{
	(void)state;
	static const struct {
		const char *type;
		int step;
	} T[] = {
		{ "GENERATION", AC_STEP_LLM }, { "EMBEDDING", AC_STEP_LLM },  { "TOOL", AC_STEP_TOOL },
		{ "AGENT", AC_STEP_AGENT },    { "CHAIN", AC_STEP_CHAIN },    { "EVALUATOR", AC_STEP_EVALUATOR },
		{ "EVENT", AC_STEP_OTHER },    { "RETRIEVER", AC_STEP_OTHER },
	};
	/* the metadata says chat: the type wins */
	const char *meta = ",\"metadata\":{\"attributes\":{\"gen_ai.operation.name\":\"chat\"}}";
	for (size_t i = 0; i < sizeof(T) / sizeof(T[0]); i++) {
		assert_int_equal(row(T[i].type, "{}", meta), 0);
		assert_int_equal(G.sp[0].step, T[i].step);
	}
	/* a SPAN with a model and tokens is a call, like any span */
	assert_int_equal(row("SPAN", "{\"input\":1,\"output\":1}", ""), 0);
	assert_int_equal(G.sp[0].step, AC_STEP_LLM);
	assert_int_equal(row("SPAN", "{}", meta), 0);
	assert_int_equal(G.sp[0].step, AC_STEP_OTHER);
	/* a TOOL's name is its tool */
	assert_int_equal(row("TOOL", "{}", ""), 0);
	assert_int_equal(G.sp[0].str[AC_F_TOOL].n, 1);
}

static void test_fields(void **state)
{
	(void)state;
	/* level ERROR, environment, model: provided name first, service from metadata */
	assert_int_equal(parse("{\"id\":\"eee19b7ec3c1b174\",\"traceId\":\"5b8efff798038103d269b633813fc60c\","
	                       "\"type\":\"GENERATION\",\"startTime\":\"2025-06-01T12:00:00.000Z\","
	                       "\"level\":\"ERROR\",\"environment\":\"staging\",\"model\":\"m-generic\","
	                       "\"providedModelName\":\"m-provided\",\"metadata\":\"{\\\"attributes\\\":"
	                       "{\\\"gen_ai.response.model\\\":\\\"m-meta\\\"},\\\"resourceAttributes\\\":"
	                       "{\\\"service.name\\\":\\\"svc\\\"}}\"}"),
	                 0);
	assert_int_equal(KIND, AC_REC_LANGFUSE_ROW);
	ac_span *sp = &G.sp[0];
	assert_string_equal(sp->err, "");
	assert_int_equal(sp->status, 2);
	assert_int_equal(sp->str[AC_F_MODEL].n, 10);
	assert_memory_equal(sp->str[AC_F_MODEL].p, "m-provided", 10);
	assert_int_equal(sp->str[AC_F_SERVICE].n, 3);
	assert_memory_equal(sp->str[AC_F_SERVICE].p, "svc", 3);
	assert_int_equal(sp->str[AC_F_ENV].n, 7);
	/* no model field: the metadata's; environment "default" is no environment */
	assert_int_equal(row("GENERATION", "{}",
	                     ",\"provided_model_name\":null,\"environment\":\"default\",\"metadata\":"
	                     "{\"attributes\":{\"gen_ai.response.model\":\"m-meta\"}}"),
	                 0);
	assert_string_equal(G.sp[0].err, "duplicate key \"providedModelName\"");
	assert_int_equal(parse("{\"id\":\"a\",\"trace_id\":\"b\",\"type\":\"GENERATION\",\"start_time\":"
	                       "\"2025-06-01 12:00:00\",\"environment\":\"default\",\"metadata\":"
	                       "{\"attributes\":{\"gen_ai.response.model\":\"m-meta\"}}}"),
	                 0);
	assert_string_equal(G.sp[0].err, "");
	assert_memory_equal(G.sp[0].str[AC_F_MODEL].p, "m-meta", 6);
	assert_int_equal(G.sp[0].str[AC_F_ENV].n, 0);
	/* metadata that is not JSON is ignored */
	assert_int_equal(row("GENERATION", "{}", ",\"metadata\":\"just a note\""), 0);
	assert_string_equal(G.sp[0].err, "");
	/* a flat span (span_id) is not a Langfuse row */
	assert_int_equal(parse("{\"trace_id\":\"5b8efff798038103d269b633813fc60c\",\"span_id\":"
	                       "\"eee19b7ec3c1b174\",\"id\":\"x\",\"type\":\"x\",\"start_time_unix_nano\":"
	                       "1748779200000000000}"),
	                 0);
	assert_int_equal(KIND, AC_REC_FLAT);
}

/* API export ------------------------------------------------------------------ */

#define OBS(id, extra)                                                                                  \
	"{\"id\":\"" id "\",\"type\":\"GENERATION\",\"startTime\":\"2025-06-01T12:00:00Z\",\"model\":\"m\"," \
	"\"usageDetails\":{\"input\":1,\"output\":2}" extra "}"

static void test_export_top_and_nested_once(void **state)
{
	(void)state;
	/* top level a, b, c; nested b, c, d, e: five observations */
	assert_int_equal(parse("{\"trace\":{\"id\":\"5b8efff798038103d269b633813fc60c\",\"userId\":\"u-1\","
	                       "\"observations\":[" OBS("000000000000000b", "") "," OBS("000000000000000c", "")
	                       "," OBS("000000000000000d", "") "," OBS("000000000000000e", "") "]},"
	                       "\"observations\":[" OBS("000000000000000a", "") "," OBS("000000000000000b", "")
	                       "," OBS("000000000000000c", "") "]}"),
	                 0);
	assert_int_equal(KIND, AC_REC_LANGFUSE);
	assert_int_equal(G.n, 5);
	for (int i = 0; i < 5; i++) {
		assert_string_equal(G.sp[i].err, "");
		assert_int_equal(G.sp[i].span_id[7], 0x0a + i);
		assert_bytes(G.sp[i].trace_id, "5b8efff798038103d269b633813fc60c", 16);
		/* the trace's user travels with every observation */
		assert_non_null(strstr(G.raw[i], "{\"trace\":{\"id\":\"5b8efff798038103d269b633813fc60c\","
		                                 "\"userId\":\"u-1\"},\"observation\":{\"id\":"));
	}
	/* a JSON array of exports */
	assert_int_equal(parse("[{\"trace\":{\"id\":\"t1\"},\"observations\":[" OBS("a", "") "]},"
	                       "{\"trace\":{\"id\":\"t2\"},\"observations\":[" OBS("a", "") "]}]"),
	                 0);
	assert_int_equal(KIND, AC_REC_LANGFUSE);
	assert_int_equal(G.n, 2);
	assert_memory_equal(G.sp[0].span_id, G.sp[1].span_id, 8);
	assert_memory_not_equal(G.sp[0].trace_id, G.sp[1].trace_id, 16);
	/* the bare trace of GET /api/public/traces/{id}; ids-only lists skipped */
	assert_int_equal(parse("{\"id\":\"t1\",\"timestamp\":\"2025-06-01T12:00:00Z\",\"observations\":["
	                       "\"x\"," OBS("b", "") "]}"),
	                 0);
	assert_int_equal(G.n, 1);
}

static void test_export_bad_among_good(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"trace\":{\"id\":\"t1\"},\"observations\":[" OBS("a", "") ","
	                       "{\"id\":\"b\",\"type\":\"GENERATION\",\"startTime\":\"2025-06-01T12:00:00Z\","
	                       "\"usageDetails\":{\"input\":-4}},42,"
	                       "{\"id\":\"c\",\"type\":\"SPAN\",\"startTime\":\"soon\"},"
	                       "{\"type\":\"SPAN\",\"startTime\":\"2025-06-01T12:00:00Z\"},"
	                       OBS("d", ",\"level\":\"ERROR\"") "," OBS("e", ",\"totalCost\":-1") "]}"),
	                 0);
	assert_int_equal(G.n, 7);
	assert_string_equal(G.sp[0].err, "");
	assert_string_equal(G.sp[1].err, "usage input: token count is negative");
	assert_string_equal(G.sp[2].err, "observation is not a JSON object");
	assert_string_equal(G.sp[3].err, "start time is not an ISO-8601 time");
	assert_string_equal(G.sp[4].err, "missing span id");
	assert_string_equal(G.sp[5].err, "");
	assert_int_equal(G.sp[5].status, 2);
	assert_string_equal(G.sp[6].err, "totalCost is negative");
	/* observations not an array: a structure error, nothing else */
	assert_int_equal(parse("{\"trace\":{\"id\":\"t\"},\"observations\":{}}"), 0);
	assert_int_equal(G.n, 1);
	assert_true(G.sp[0].structural);
}

/* CSV --------------------------------------------------------------------------- */

static ac_csv_rows *CSV;

static int csv(const char *text, long long line)
{
	memset(&G, 0, sizeof(G));
	ac_err_clear(&ERR);
	return ac_parse_csv_record(&CSV, &J, text, strlen(text), line, &KIND, collect, &G, &ERR);
}

static void test_csv_rows(void **state)
{
	(void)state;
	assert_int_equal(csv("id,trace_id,type,start_time,usage_details,status_message,provided_model_name", 1), 0);
	assert_int_equal(KIND, AC_REC_LANGFUSE_CSV);
	assert_int_equal(G.n, 0);
	/* a quoted cell with a newline, quotes and a comma; a JSON cell */
	assert_int_equal(csv("eee19b7ec3c1b174,5b8efff798038103d269b633813fc60c,GENERATION,2025-06-01 "
	                     "12:00:00.000000,\"{\"\"input\"\":3,\"\"output\"\":4}\",\"two\nlines, \"\"q\"\"\",m",
	                     2),
	                 0);
	assert_int_equal(G.n, 1);
	assert_string_equal(G.sp[0].err, "");
	assert_int_equal(G.sp[0].tok[AC_TOK_IN], 3);
	assert_int_equal(G.sp[0].tok[AC_TOK_OUT], 4);
	assert_int_equal(G.sp[0].start_ns, T0);
	assert_int_equal(G.sp[0].line, 2);
	assert_non_null(strstr(G.raw[0], "\"status_message\":\"two\\nlines, \\\"q\\\"\""));
	/* a cell that looks like JSON but is not stays a string */
	assert_int_equal(csv("a,b,SPAN,2025-06-01T12:00:00Z,{not json},,", 3), 0);
	assert_string_equal(G.sp[0].err, "");
	assert_non_null(strstr(G.raw[0], "\"usage_details\":\"{not json}\""));
	/* a short row, a long one, a malformed one: errors naming the row */
	assert_int_equal(csv("a,b,SPAN,2025-06-01T12:00:00Z,{},x", 4), AC_EPARSE);
	assert_string_equal(ERR.msg, "csv row has 6 cells, the header names 7 columns");
	assert_int_equal(ERR.line, 4);
	assert_int_equal(csv("a,b,SPAN,2025-06-01T12:00:00Z,{},x,m,extra", 5), AC_EPARSE);
	assert_int_equal(csv("a,b,SPAN,\"unterminated", 6), AC_EPARSE);
	assert_non_null(strstr(ERR.msg, "malformed csv row"));
	assert_string_equal(ERR.msg, "malformed csv row: unterminated quoted cell");
	/* strict RFC 4180: text after a closing quote, a quote inside a bare cell */
	assert_int_equal(csv("a,b,\"SPAN\"x,2025-06-01T12:00:00Z,,,", 6), AC_EPARSE);
	assert_string_equal(ERR.msg, "malformed csv row: text after a closing quote");
	assert_int_equal(csv("a,b,SP\"AN,2025-06-01T12:00:00Z,,,", 6), AC_EPARSE);
	assert_string_equal(ERR.msg, "malformed csv row: a quote inside an unquoted cell");
	/* spaces around cells are dropped, inside quotes kept; "" is one quote */
	assert_int_equal(csv(" a , b ,  \"TOOL\" ,2025-06-01T12:00:00Z,,\" x \"\"y\"\" \",", 6), 0);
	assert_int_equal(G.n, 1);
	assert_int_equal(G.sp[0].step, AC_STEP_TOOL);
	assert_non_null(strstr(G.raw[0], "\"id\":\"a\""));
	assert_non_null(strstr(G.raw[0], "\" x \\\"y\\\" \""));
	/* rows after a bad one still read */
	assert_int_equal(csv("a,b,TOOL,2025-06-01T12:00:00Z,,,", 7), 0);
	assert_int_equal(G.n, 1);
	assert_int_equal(G.sp[0].step, AC_STEP_TOOL);
	ac_csv_rows_free(CSV);
	CSV = NULL;

	/* a header missing the type column: refused, and every row after it */
	assert_int_equal(csv("id,trace_id,start_time", 1), AC_EFORMAT);
	assert_non_null(strstr(ERR.msg, "not a Langfuse observations export"));
	assert_int_equal(csv("a,b,2025-06-01T12:00:00Z", 2), AC_EFORMAT);
	assert_int_equal(G.n, 0);
	ac_csv_rows_free(CSV);
	CSV = NULL;
}

/* The reader's CSV mode ------------------------------------------------------------ */

static void read_file(const char *text, int *is_csv, char recs[][256], long long *lines, int *n)
{
	char path[] = "/tmp/test_langfuse.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ac_reader *r;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_reader_open(&r, path, NULL, &err), 0);
	ac_record rec;
	*n = 0;
	int rc;
	while ((rc = ac_reader_next(r, &rec, &err)) == 1) {
		assert_true(rec.len < 256);
		memcpy(recs[*n], rec.data, rec.len);
		recs[*n][rec.len] = '\0';
		lines[*n] = rec.line;
		++*n;
	}
	assert_int_equal(rc, 0);
	*is_csv = ac_reader_csv(r);
	ac_reader_free(r);
	unlink(path);
}

static void test_reader_csv(void **state)
{
	(void)state;
	char recs[8][256];
	long long lines[8];
	int n, is_csv;
	/* quoted newlines stay in their row; CRLF and blank lines; line numbers */
	read_file("\"id\",trace_id,type\r\na,\"b\nc\",SPAN\r\n\r\nd,\"e \"\"q\"\"\",TOOL\nf,g,\"h\n\n\"",
	          &is_csv, recs, lines, &n);
	assert_int_equal(is_csv, 1);
	assert_int_equal(n, 4);
	assert_string_equal(recs[0], "\"id\",trace_id,type");
	assert_string_equal(recs[1], "a,\"b\nc\",SPAN");
	assert_int_equal(lines[1], 2);
	assert_string_equal(recs[2], "d,\"e \"\"q\"\"\",TOOL");
	assert_int_equal(lines[2], 5);
	assert_string_equal(recs[3], "f,g,\"h\n\n\"");
	assert_int_equal(lines[3], 6);
	/* a header line before JSON lines is not CSV: lines as before */
	read_file("id,trace_id,type\n{\"a\":1}\n", &is_csv, recs, lines, &n);
	assert_int_equal(is_csv, 0);
	assert_int_equal(n, 2);
	/* two columns or a non-name: not a CSV header */
	read_file("id,trace_id\na,b\n", &is_csv, recs, lines, &n);
	assert_int_equal(is_csv, 0);
	read_file("id,trace id!,type\na,b,c\n", &is_csv, recs, lines, &n);
	assert_int_equal(is_csv, 0);
	/* JSON: not CSV */
	read_file("{\"id\":1}\n", &is_csv, recs, lines, &n);
	assert_int_equal(is_csv, 0);
}

/* A row over the record limit is skipped (quoted newlines in it too), the
 * rows after it keep their line numbers. */
static void test_reader_csv_limit(void **state)
{
	(void)state;
	char path[] = "/tmp/test_langfuse.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	ac_buf b = AC_BUF_INIT;
	ac_buf_adds(&b, "id,trace_id,type\na,b,c\nd,\"");
	for (int i = 0; i < 3000000; i++) /* over the reader's 1 MiB reads: skipped while streaming */
		ac_buf_addc(&b, i % 100000 == 0 ? '\n' : 'x');
	ac_buf_adds(&b, "\",f\ng,h,i\n");
	assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
	close(fd);
	ac_buf_release(&b);
	ac_reader_opts o = AC_READER_OPTS_INIT;
	o.max_record = 1000;
	ac_reader *r;
	ac_err err = AC_ERR_INIT;
	ac_record rec;
	assert_int_equal(ac_reader_open(&r, path, &o, &err), 0);
	assert_int_equal(ac_reader_next(r, &rec, &err), 1);
	assert_int_equal(ac_reader_csv(r), 1);
	assert_int_equal(ac_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 2);
	assert_int_equal(ac_reader_next(r, &rec, &err), AC_ELIMIT);
	assert_int_equal(err.line, 3);
	/* the long row holds 30 newlines: it ends on line 33, the next is 34 */
	assert_int_equal(ac_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 34);
	assert_int_equal(rec.len, 5);
	assert_memory_equal(rec.data, "g,h,i", 5);
	assert_int_equal(ac_reader_next(r, &rec, &err), 0);
	ac_reader_free(r);
	unlink(path);
}

static int teardown(void **state)
{
	(void)state;
	ac_json_release(&J);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_uuid_parent_resolves),
		cmocka_unit_test(test_usage_cache_added),
		cmocka_unit_test(test_usage_reasoning_inside),
		cmocka_unit_test(test_usage_reasoning_outside),
		cmocka_unit_test(test_usage_replaces_metadata_and_rejects),
		cmocka_unit_test(test_cost),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_export_top_and_nested_once),
		cmocka_unit_test(test_export_bad_among_good),
		cmocka_unit_test(test_csv_rows),
		cmocka_unit_test(test_reader_csv),
		cmocka_unit_test(test_reader_csv_limit),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
