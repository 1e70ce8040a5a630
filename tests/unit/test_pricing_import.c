/*
 * Unit tests of the JSON price importers (src/pricing/import.c): what
 * LiteLLM's table carries that no `price` column holds (counted per key),
 * OpenLIT's pricing.json (USD per 1k tokens) and Langfuse model definitions
 * (USD per token, startDate, pricingTiers, matchPattern translated for
 * regcomp). Every expected price is worked
 * out by hand in a comment; the counts of the real third-party tables come
 * from the python3 one-liners in the comments, not from the importer. Each
 * test uses a fresh ":memory:" database created from schema/001_init.sql,
 * or a fresh ":memory:" store (every migration) where patterns matter.
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
#include <sqlite3.h>

#include "pricing/pattern.h"
#include "pricing/pricing.h"
#include "store/store.h"
#include "util/timeutil.h"

#ifndef AC_SOURCE_DIR
#define AC_SOURCE_DIR "/work/main"
#endif
#ifndef AC_SHARED_DIR
#define AC_SHARED_DIR AC_SOURCE_DIR "/../shared"
#endif
#define THIRD AC_SHARED_DIR "/fixtures/third_party/"
#define PRICES AC_SOURCE_DIR "/testdata/prices/"

/* The third-party tables live in ../shared, beside the repository; a clone
 * alone has none, and the tests that read them are skipped with a message. */
static int no_shared(const char *path)
{
	if (access(path, R_OK) == 0)
		return 0;
	print_message("skipped: %s is absent (no ../shared beside the repository)\n", path);
	return 1;
}

/* Helpers ---------------------------------------------------------------- */

#define assert_close(a, b) assert_close_at((a), (b), #a, __FILE__, __LINE__)

static void assert_close_at(double a, double b, const char *what, const char *file, int line)
{
	if (fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b)))
		return;
	print_error("%s = %.17g, expected %.17g\n", what, a, b);
	_fail(file, line);
}

static char tmpdir[64];

static int group_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ac_test_pricing_import_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static sqlite3 *new_db(void)
{
	sqlite3 *db;
	char *sql = slurp(AC_SOURCE_DIR "/schema/001_init.sql");
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	return db;
}

/* A ":memory:" store with every migration (price_pattern included). */
static ac_store *new_store(void)
{
	ac_store *s = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_store_open(&s, ":memory:", AC_STORE_CREATE, &err), 0);
	return s;
}

static long long query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * The price columns of model's row with effective_from eff (NULL = the row
 * without one) as "in|out|cache_read|cache_write|reasoning|in200|out200",
 * each printed with %.15g, "-" for NULL; "none" when there is no such row.
 */
static void row_of(sqlite3 *db, const char *model, const char *eff, char *out, size_t size)
{
	sqlite3_stmt *st;
	const char *sql = "SELECT input_per_mtok, output_per_mtok, cache_read_per_mtok,"
	                  " cache_write_per_mtok, reasoning_per_mtok, input_above_200k_per_mtok,"
	                  " output_above_200k_per_mtok FROM price WHERE model = ?1"
	                  " AND effective_from IS ?2";
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
	if (eff)
		sqlite3_bind_text(st, 2, eff, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	size_t n = 0;
	if (sqlite3_step(st) != SQLITE_ROW) {
		snprintf(out, size, "none");
	} else {
		out[0] = '\0';
		for (int c = 0; c < 7; c++) {
			if (sqlite3_column_type(st, c) == SQLITE_NULL)
				n += (size_t)snprintf(out + n, size - n, "%s-", c ? "|" : "");
			else {
				/* %.15g, and "~" after it unless the stored double is
				 * exactly the one nearest that decimal (0.15, not
				 * 0.15000000000000002) */
				double v = sqlite3_column_double(st, c);
				char num[40];
				snprintf(num, sizeof(num), "%.15g", v);
				n += (size_t)snprintf(out + n, size - n, "%s%s%s", c ? "|" : "", num,
				                      strtod(num, NULL) == v ? "" : "~");
			}
		}
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	}
	sqlite3_finalize(st);
}

#define assert_row(db, model, eff, want)                       \
	do {                                                   \
		char got_[256];                                \
		row_of((db), (model), (eff), got_, sizeof(got_)); \
		assert_string_equal(got_, (want));             \
	} while (0)

/* st->unused as "key=entries;key=entries;..." in the order given. */
static void unused_str(const ac_import_stats *st, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; i < st->nunused && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%s=%d;", st->unused[i].key,
		                      st->unused[i].entries);
}

typedef struct warns {
	int n;
	long long line[16];
	char msg[16][512];
} warns;

static void collect(const ac_err *e, void *payload)
{
	warns *w = payload;
	if (w->n < 16) {
		w->line[w->n] = e->line;
		snprintf(w->msg[w->n], sizeof(w->msg[0]), "%s", e->msg);
	}
	w->n++;
}

static int import_text(sqlite3 *db, const char *name, const char *text, ac_import_stats *st,
                       warns *w, ac_err *err)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	return ac_prices_import(db, path, st, w ? collect : NULL, w, err);
}

static int import_file(sqlite3 *db, const char *path, ac_import_stats *st, warns *w)
{
	ac_err err = AC_ERR_INIT;
	int rc = ac_prices_import(db, path, st, w ? collect : NULL, w, &err);
	if (rc)
		print_error("%s\n", err.msg);
	return rc;
}

/* LiteLLM ---------------------------------------------------------------- */

static void test_litellm_small_unused(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_import_stats st;
	char got[2048];

	assert_int_equal(import_file(db, PRICES "litellm_small.json", &st, NULL), 0);
	assert_string_equal(st.kind, "litellm");
	/* chat-a and chat-b have both token prices; image-x, embed-y (no
	 * output price) and tts-z do not */
	assert_int_equal(st.rows, 2);
	assert_int_equal(st.skipped, 0);
	/* 2e-06, 8e-06, 5e-07 per token x 1e6 = 2, 8, 0.5 per MTok */
	assert_row(db, "chat-a", NULL, "2|8|0.5|-|-|-|-");
	assert_row(db, "chat-b", NULL, "1|3|-|-|-|-|-");
	assert_row(db, "embed-y", NULL, "none");
	/* by key, sorted: tts-z's character price; image-x's pixel and image
	 * prices; embed-y's input price (dropped with its entry); chat-b's
	 * tiered_pricing (its range from 0 states other base prices than the
	 * entry: which one is billed is unclear). chat-a's batch prices are
	 * used (price_tier). sample_spec is not an entry; tts-z's
	 * output_cost_per_second is 0 */
	unused_str(&st, got, sizeof(got));
	assert_string_equal(got, "input_cost_per_character=1;input_cost_per_pixel=1;"
	                         "input_cost_per_token=1;output_cost_per_image=1;"
	                         "tiered_pricing=1;");
	/* chat-b, image-x, embed-y, tts-z */
	assert_int_equal(st.lost, 4);
	assert_int_equal(st.unused_more, 0);
	sqlite3_close(db);
}

/* A key counts each entry once, whatever it holds; a tier's range is not
 * a price; zero and null are no price. */
static void test_litellm_unused_edges(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_import_stats st;
	ac_err err = AC_ERR_INIT;
	char got[1024];
	const char *json =
		"{\"m1\": {\"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 2e-06,\n"
		"          \"search_context_cost_per_query\": {\"low\": 0.03, \"high\": 0.05},\n"
		"          \"tiered_pricing\": [{\"range\": [0, 128000]}],\n"
		"          \"input_cost_per_second\": null, \"output_cost_per_second\": 0},\n"
		" \"m2\": {\"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 2e-06,\n"
		"          \"search_context_cost_per_query\": {\"low\": 0, \"high\": 0}},\n"
		" \"m3\": {\"input_cost_per_token\": 1e-06, \"output_cost_per_token\": null,\n"
		"          \"cache_read_input_token_cost\": 1e-07, \"max_tokens\": 8192}}\n";

	assert_int_equal(import_text(db, "edges.json", json, &st, NULL, &err), 0);
	assert_int_equal(st.rows, 2);
	unused_str(&st, got, sizeof(got));
	/* m1's search price (one entry, two sizes); m3 has no output price: its
	 * input and cache prices are lost, max_tokens is not a price */
	assert_string_equal(got, "cache_read_input_token_cost=1;input_cost_per_token=1;"
	                         "search_context_cost_per_query=1;");
	assert_int_equal(st.lost, 2); /* m1, m3 */
	sqlite3_close(db);
}

/*
 * LiteLLM's real table. Expected counts from tests/unit/litellm_unused.py
 * (an independent reading of the rules in Python: the base keys, the keys
 * of the grammar kind[_above_<N>k_tokens][_flex|_priority|_batches] and a
 * tiered_pricing list whose every range is usable are used when the entry
 * is imported): 43 keys, 414 entries, 1,514 entries imported.
 */
static void test_litellm_fixture_unused(void **state)
{
	(void)state;
	const char *path = THIRD "litellm_model_prices.json";
	if (no_shared(path))
		skip();
	sqlite3 *db = new_db();
	ac_import_stats st;

	assert_int_equal(import_file(db, path, &st, NULL), 0);
	assert_int_equal(st.nunused, 43);
	assert_int_equal(st.unused_more, 0);
	assert_int_equal(st.lost, 414);
	static const struct {
		const char *key;
		int n;
	} want[] = {
		{ "annotation_cost_per_page", 2 },
		{ "cache_creation_input_audio_token_cost", 14 },
		{ "cache_read_input_token_cost", 1 },
		{ "input_cost_per_image", 55 },
		{ "input_cost_per_token", 4 },
		{ "input_cost_per_token_batch_requests", 1 },
		{ "output_cost_per_image", 62 },
		{ "output_cost_per_second", 44 },
		{ "output_cost_per_token", 3 },
		{ "output_cost_per_character_above_128k_tokens", 11 },
		{ "search_context_cost_per_query", 42 },
		{ "tiered_pricing", 2 },
	};
	size_t found = 0;
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		for (int i = 0; i < st.nunused; i++) {
			if (strcmp(st.unused[i].key, want[k].key) == 0) {
				assert_int_equal(st.unused[i].entries, want[k].n);
				found++;
			}
		}
	}
	assert_int_equal(found, sizeof(want) / sizeof(want[0]));
	for (int i = 1; i < st.nunused; i++)
		assert_true(strcmp(st.unused[i - 1].key, st.unused[i].key) < 0);
	/* 1,514 imported entries less one duplicate (test_pricing.c) */
	assert_int_equal(st.rows, 1513);
	sqlite3_close(db);
}

/* OpenLIT ---------------------------------------------------------------- */

static void test_openlit_small(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_import_stats st;
	char got[1024];

	assert_int_equal(import_file(db, PRICES "openlit_small.json", &st, NULL), 0);
	assert_string_equal(st.kind, "openlit");
	/* USD per 1k tokens x 1000 = per MTok:
	 * chat-p 0.0025, 0.01, 0.00125        -> 2.5, 10, 1.25
	 * chat-q 0.003, 0.015, 0.0003, 0.00375 -> 3, 15, 0.3, 3.75
	 * chat-s 0.0005, 0.0015               -> 0.5, 1.5
	 * emb-small 0.00002 -> input 0.02, output 0; emb-large 0.00013 -> 0.13 */
	assert_int_equal(st.rows, 5);
	assert_int_equal(st.skipped, 0);
	assert_row(db, "chat-p", NULL, "2.5|10|1.25|-|-|-|-");
	assert_row(db, "chat-q", NULL, "3|15|0.3|3.75|-|-|-");
	assert_row(db, "chat-s", NULL, "0.5|1.5|-|-|-|-|-");
	assert_row(db, "emb-small", NULL, "0.02|0|-|-|-|-|-");
	assert_row(db, "emb-large", NULL, "0.13|0|-|-|-|-|-");
	assert_row(db, "chat-r", NULL, "none");
	assert_row(db, "tts-a", NULL, "none");
	/* audio tts-a; chat-s's batchPrice; chat-r has no completionPrice: its
	 * promptPrice is lost; images img-1 (img-free costs 0) */
	unused_str(&st, got, sizeof(got));
	assert_string_equal(got, "audio=1;chat.batchPrice=1;chat.promptPrice=1;images=1;");
	assert_int_equal(st.lost, 4);
	sqlite3_close(db);
}

/*
 * OpenLIT's real table. Expected from
 *   python3 -c "import json,sys;d=json.load(open(sys.argv[1]));p=lambda v:(type(v) in(int,float)
 *   and v>0) or (type(v) is dict and any(map(p,v.values())));print({s:sum(map(p,d[s].values()))
 *   for s in('images','audio')},sum(1 for e in d['chat'].values() if set(e)-{'promptPrice',
 *   'completionPrice','cacheReadPrice','cacheCreationPrice'} or not{'promptPrice',
 *   'completionPrice'}<=set(e)),len(d['chat'])+len(d['embeddings']))" openlit_assets_pricing.json
 * -> {'images': 12, 'audio': 15} 0 200: 200 rows (174 chat + 26 embeddings,
 * no name in both), 12 + 15 = 27 entries lost, no chat key unused.
 */
static void test_openlit_fixture(void **state)
{
	(void)state;
	const char *path = THIRD "openlit_assets_pricing.json";
	if (no_shared(path))
		skip();
	sqlite3 *db = new_db();
	ac_import_stats st;
	char got[256];

	assert_int_equal(import_file(db, path, &st, NULL), 0);
	assert_string_equal(st.kind, "openlit");
	assert_int_equal(st.rows, 200);
	assert_int_equal(st.skipped, 0);
	unused_str(&st, got, sizeof(got));
	assert_string_equal(got, "audio=15;images=12;");
	assert_int_equal(st.lost, 27);
	/* gpt-4.1-nano 0.0001, 0.0004, 2.5e-05 per 1k -> 0.1, 0.4, 0.025 */
	assert_row(db, "gpt-4.1-nano", NULL, "0.1|0.4|0.025|-|-|-|-");
	/* claude-3-5-sonnet-20241022: 0.003, 0.015, 0.0003, 0.00375 -> 3, 15, 0.3, 3.75 */
	assert_row(db, "claude-3-5-sonnet-20241022", NULL, "3|15|0.3|3.75|-|-|-");
	/* text-embedding-3-large 0.00013 -> 0.13, output 0 */
	assert_row(db, "text-embedding-3-large", NULL, "0.13|0|-|-|-|-|-");
	sqlite3_close(db);
}

/* Langfuse --------------------------------------------------------------- */

static void test_langfuse_small(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_import_stats st;
	char got[1024];

	assert_int_equal(import_file(db, PRICES "langfuse_models_small.json", &st, NULL), 0);
	assert_string_equal(st.kind, "langfuse");
	/* USD per token x 1e6:
	 * lf-mini (no startDate) 1.5e-07, 6e-07, cached 7.5e-08 -> 0.15, 0.6, 0.075
	 *   (input_cached_tokens and input_cache_read agree)
	 * lf-mini from 2025-06-02: 2e-07, 8e-07 -> 0.2, 0.8
	 * lf-sonnet default tier 3e-06, 1.5e-05, read 3e-07, creation 3.75e-06
	 *   -> 3, 15, 0.3, 3.75
	 * lf-davinci total 2e-05 -> input = output = 20
	 * lf-tts unit CHARACTERS: not token-priced */
	assert_int_equal(st.rows, 4);
	assert_int_equal(st.names, 3);
	assert_int_equal(st.skipped, 0);
	assert_row(db, "lf-mini", NULL, "0.15|0.6|0.075|-|-|-|-");
	assert_row(db, "lf-mini", "2025-06-02", "0.2|0.8|-|-|-|-|-");
	assert_row(db, "lf-sonnet", NULL, "3|15|0.3|3.75|-|-|-");
	assert_row(db, "lf-davinci", NULL, "20|20|-|-|-|-|-");
	assert_row(db, "lf-tts", NULL, "none");
	/* lf-davinci's matchPattern uses \w (a name match, not a price: not
	 * "lost"); lf-tts's input; lf-sonnet's audio price and its Large
	 * Context tier */
	unused_str(&st, got, sizeof(got));
	assert_string_equal(got, "matchPattern=1;prices.input=1;prices.input_audio_tokens=1;"
	                         "pricingTiers (not default)=1;");
	assert_int_equal(st.lost, 2); /* lf-sonnet, lf-tts */
	sqlite3_close(db);
}

/* The rows are priced like any other: name resolution strips "openai/", the
 * row in force follows startDate. */
static void test_langfuse_priced(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_import_stats st;
	ac_pricebook *pb = NULL;
	ac_err err = AC_ERR_INIT;
	double cost;
	int src;

	assert_int_equal(import_file(db, PRICES "langfuse_models_small.json", &st, NULL), 0);
	assert_int_equal(ac_pricebook_load(&pb, db, &err), 0);
	ac_cost_input in = { .step = AC_STEP_LLM, .model = "openai/lf-mini" };
	in.tok.in = 1000000;
	in.tok.out = 100000;
	in.tok.cache_read = 200000;
	/* 2025-06-01: the row without startDate: (1e6 - 2e5) x 0.15 + 2e5 x 0.075
	 * + 1e5 x 0.6 = 120000 + 15000 + 60000 = 195000 / 1e6 = 0.195 */
	in.start_ns = (int64_t)1748736000 * AC_NS_PER_SEC; /* 2025-06-01T00:00:00Z */
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_TABLE);
	assert_close(cost, 0.195);
	/* 2025-06-02: the dated row, no cache price (falls back to input):
	 * 1e6 x 0.2 + 1e5 x 0.8 = 200000 + 80000 = 280000 / 1e6 = 0.28 */
	in.start_ns = (int64_t)1748822400 * AC_NS_PER_SEC; /* 2025-06-02T00:00:00Z */
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_close(cost, 0.28);
	ac_pricebook_free(pb);
	sqlite3_close(db);
}

/* The models API's answer: {"data": [...]}, prices as {"price": x}, the
 * deprecated inputPrice beside them (ignored, not counted), a dated row. */
static void test_langfuse_api_shape(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_import_stats st;
	ac_err err = AC_ERR_INIT;
	warns w = { 0 };
	char got[512];
	const char *json =
		"{\"data\": [\n"
		" {\"id\": \"x\", \"modelName\": \"api-model\","
		" \"matchPattern\": \"(?i)^(api-model)$\",\n"
		"  \"startDate\": \"2024-07-18T00:00:00.000Z\", \"unit\": \"TOKENS\",\n"
		"  \"inputPrice\": 1e-06, \"outputPrice\": 4e-06, \"totalPrice\": null,\n"
		"  \"prices\": {\"input\": {\"price\": 1e-06}, \"output\": {\"price\": 4e-06},\n"
		"             \"output_reasoning_tokens\": {\"price\": 5e-06}}},\n"
		" {\"id\": \"y\", \"modelName\": \"old-style\", \"inputPrice\": 2e-06,"
		" \"outputPrice\": 3e-06},\n"
		" {\"id\": \"z\", \"modelName\": \"bad-date\", \"startDate\": \"yesterday\",\n"
		"  \"prices\": {\"input\": 1e-06, \"output\": 1e-06}},\n"
		" {\"id\": \"w\", \"modelName\": \"two-cache\",\n"
		"  \"prices\": {\"input\": 1e-06, \"output\": 1e-06,"
		" \"input_cached_tokens\": 1e-07,\n"
		"             \"input_cache_read\": 2e-07}},\n"
		" {\"id\": \"v\", \"matchPattern\": \"(?i)^(nameless)$\","
		" \"prices\": {\"input\": 1e-06}},\n"
		" {\"id\": \"u\", \"modelName\": \"str-price\","
		" \"prices\": {\"input\": \"1e-06\", \"output\": 1e-06}}\n"
		"], \"meta\": {\"page\": 1, \"totalItems\": 6}}\n";

	assert_int_equal(import_text(db, "api.json", json, &st, &w, &err), 0);
	assert_string_equal(st.kind, "langfuse");
	/* api-model from 2024-07-18: 1, 4, reasoning 5; old-style: 2, 3 */
	assert_int_equal(st.rows, 2);
	assert_row(db, "api-model", "2024-07-18", "1|4|-|-|5|-|-");
	/* the pattern translates: not reported (and not stored: no
	 * price_pattern table in a schema-1 database) */
	assert_row(db, "old-style", NULL, "2|3|-|-|-|-|-");
	assert_int_equal(st.skipped, 4);
	assert_int_equal(w.n, 4);
	assert_int_equal(w.line[0], 8);
	assert_non_null(strstr(w.msg[0], "startDate of bad-date"));
	assert_int_equal(w.line[1], 12); /* the second cache key */
	assert_non_null(strstr(w.msg[1], "two different prices"));
	assert_int_equal(w.line[2], 13);
	assert_non_null(strstr(w.msg[2], "without a modelName"));
	assert_int_equal(w.line[3], 14);
	assert_non_null(strstr(w.msg[3], "price is not a number"));
	unused_str(&st, got, sizeof(got));
	assert_string_equal(got, "");
	assert_int_equal(st.lost, 0);
	sqlite3_close(db);
}

static void test_langfuse_refused(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_import_stats st;
	ac_err err = AC_ERR_INIT;

	assert_int_equal(import_text(db, "e1.json", "[]", &st, NULL, &err), AC_EFORMAT);
	assert_int_equal(import_text(db, "e2.json", "[{\"a\": 1}]", &st, NULL, &err), AC_EFORMAT);
	assert_non_null(strstr(err.msg, "no object with modelName"));
	assert_int_equal(import_text(db, "e3.json", "{\"data\": {\"modelName\": \"x\"}}", &st, NULL,
	                             &err),
	                 AC_EFORMAT);
	/* a definition whose every price is refused: no valid row */
	assert_int_equal(import_text(db, "e4.json",
	                             "[{\"modelName\": \"x\", \"prices\": {\"input\": -1e-06,"
	                             " \"output\": 1e-06}}]",
	                             &st, NULL, &err),
	                 AC_EFORMAT);
	assert_int_equal(import_text(db, "e5.json", "[{\"modelName\": \"x\",", &st, NULL, &err),
	                 AC_EPARSE);
	assert_int_equal(query_int(db, "SELECT count(*) FROM price"), 0);
	sqlite3_close(db);
}

/* Patterns ---------------------------------------------------------------- */

/*
 * Langfuse's matchPattern (JavaScript RegExp, after JSON unescaping) ->
 * POSIX ERE. Each case: the pattern, whether it is taken, names it must
 * match and names it must not (by reading the pattern, not by running it).
 */
static void test_pattern_translate(void **state)
{
	(void)state;
	static const struct {
		const char *pattern;
		int ok;
		const char *yes[3], *no[3];
	} cases[] = {
		{ "(?i)^(openai/)?(gpt-4o-mini)(-2024-07-18)?$", 1,
		  { "gpt-4o-mini", "OpenAI/GPT-4o-mini-2024-07-18", NULL },
		  { "gpt-4o-mini-2024-08-06", "azure/gpt-4o-mini", "xgpt-4o-mini" } },
		{ "(?i)^(openai/)?(gpt-4(-\\d{4})?-vision-preview)$", 1,
		  { "gpt-4-vision-preview", "openai/gpt-4-1106-vision-preview", NULL },
		  { "gpt-4-11a6-vision-preview", "gpt-4-110-vision-preview", NULL } },
		{ "(?i)^(openai\\/)?(gpt-)(35|3.5)(-turbo-1106)$", 1,
		  { "gpt-35-turbo-1106", "openai/gpt-3.5-turbo-1106", "GPT-3x5-turbo-1106" },
		  { "gpt-3-turbo-1106", "gpt-35-turbo", NULL } },
		{ "(?i)^(?:claude-3)[.-]5-haiku$", 1,
		  { "claude-3.5-haiku", "CLAUDE-3-5-HAIKU", NULL },
		  { "claude-3_5-haiku", NULL, NULL } },
		{ "(?i)^a[\\.]b$", 1, { "a.b", NULL, NULL }, { "axb", NULL, NULL } },
		{ "^(gpt-4o)$", 0, { NULL }, { NULL } },          /* case-sensitive */
		{ "(?i)^gpt(?=-4)", 0, { NULL }, { NULL } },      /* look-ahead */
		{ "(?i)^gpt-\\w+$", 0, { NULL }, { NULL } },      /* \w */
		{ "(?i)^a+?$", 0, { NULL }, { NULL } },           /* lazy */
		{ "(?i)^(a)\\1$", 0, { NULL }, { NULL } },        /* back-reference */
		{ "(?i)^[\\w-]$", 0, { NULL }, { NULL } },        /* class in brackets */
		{ "(?i)[]a]", 0, { NULL }, { NULL } },            /* empty brackets */
		{ "(?i)^(a$", 0, { NULL }, { NULL } },            /* regcomp refuses */
		{ "(?i)^a(?i)b$", 0, { NULL }, { NULL } },        /* (?i) not leading */
		/* found by fuzz_prices: stacked quantifiers made glibc's regcomp
		 * build copies upon copies (2 GB); JavaScript refuses them too */
		{ "(?i)^(lf-sonnet+++++++++++++++++++++++)$", 0, { NULL }, { NULL } },
		{ "(?i)^a*+$", 0, { NULL }, { NULL } },
		{ "(?i)^a{2}{3}$", 0, { NULL }, { NULL } },
		/* counted repetitions: 10 x 10 x 10 = 1000 copies is the most */
		{ "(?i)^((a{10}){10}){10}$", 1, { NULL }, { "a", NULL, NULL } },
		{ "(?i)^((a{10}){10}){11}$", 0, { NULL }, { NULL } },
		{ "(?i)^(x{2,3}){500,}$", 0, { NULL }, { NULL } },
		/* a quantifier after an escaped character or a group is one quantifier */
		{ "(?i)^a\\.+(b)*-\\d{2}$", 1, { "a...-12", "a.bb-34", NULL }, { "a-12", "a.-1", NULL } },
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		regex_t re;
		char why[160] = "";
		int rc = ac_price_pattern_compile(&re, cases[c].pattern, why, sizeof(why));
		if ((rc == 0) != cases[c].ok) {
			print_error("%s: rc %d (%s)\n", cases[c].pattern, rc, why);
			fail();
		}
		if (rc < 0) {
			assert_true(why[0] != '\0');
			continue;
		}
		for (int k = 0; k < 3; k++) {
			if (cases[c].yes[k] && regexec(&re, cases[c].yes[k], 0, NULL, 0) != 0) {
				print_error("%s should match %s\n", cases[c].pattern, cases[c].yes[k]);
				fail();
			}
			if (cases[c].no[k] && regexec(&re, cases[c].no[k], 0, NULL, 0) == 0) {
				print_error("%s should not match %s\n", cases[c].pattern, cases[c].no[k]);
				fail();
			}
		}
		regfree(&re);
	}
}

/* The input price of the row in force for model on day, NAN when none;
 * *matched gets the name of the model it resolved to. */
static double input_on(ac_pricebook *pb, const char *model, const char *day, const char **matched)
{
	const ac_price *rows;
	int64_t d;
	assert_int_equal(ac_date_parse(day, &d), 0);
	int n = ac_pricebook_model(pb, model, &rows, matched, NULL);
	const ac_price *p = ac_price_in_force(rows, n, d);
	return p ? p->input : NAN;
}

/* Stored patterns price names that the name steps do not reach; an exact
 * imported name beats them; a later import naming the model drops them. */
static void test_pattern_resolution(void **state)
{
	(void)state;
	ac_store *s = new_store();
	sqlite3 *db = ac_store_db(s);
	ac_import_stats st;
	ac_pricebook *pb = NULL;
	ac_err err = AC_ERR_INIT;
	const char *m;

	assert_int_equal(import_file(db, PRICES "langfuse_models_small.json", &st, NULL), 0);
	/* lf-mini's and lf-sonnet's patterns kept; lf-davinci's uses \w */
	assert_int_equal(query_int(db, "SELECT count(*) FROM price_pattern"), 2);
	assert_int_equal(ac_pricebook_load(&pb, db, &err), 0);
	/* "lf-mini-latest": no date suffix to strip, the pattern's (-latest)?:
	 * lf-mini, 0.15 before 2025-06-02, 0.2 from then */
	assert_close(input_on(pb, "LF-MINI-latest", "2025-06-01", &m), 0.15);
	assert_string_equal(m, "lf-mini");
	assert_close(input_on(pb, "openai/lf-mini-latest", "2025-06-02", &m), 0.2);
	/* "anthropic/lf-sonnet" resolves either way: 3 */
	assert_close(input_on(pb, "anthropic/lf-sonnet", "2025-06-02", &m), 3);
	/* lf-davinci's pattern was refused: "lf-davinci-x1" stays unpriced */
	assert_true(isnan(input_on(pb, "lf-davinci-x1", "2025-06-02", &m)));
	assert_close(input_on(pb, "lf-davinci", "2025-06-02", &m), 20);
	ac_pricebook_free(pb);

	/* an exact imported name beats a pattern */
	assert_int_equal(import_text(db, "latest.csv",
	                             "model,input_per_mtok,output_per_mtok\nlf-mini-latest,9,9\n",
	                             &st, NULL, &err),
	                 0);
	assert_int_equal(ac_pricebook_load(&pb, db, &err), 0);
	assert_close(input_on(pb, "lf-mini-latest", "2025-06-02", &m), 9);
	assert_string_equal(m, "lf-mini-latest");
	ac_pricebook_free(pb);

	ac_store_close(s);

	/* re-importing lf-mini from a CSV replaces its rows and its pattern */
	s = new_store();
	db = ac_store_db(s);
	assert_int_equal(import_file(db, PRICES "langfuse_models_small.json", &st, NULL), 0);
	assert_int_equal(import_text(db, "mini.csv",
	                             "model,input_per_mtok,output_per_mtok\nlf-mini,1,2\n", &st,
	                             NULL, &err),
	                 0);
	assert_int_equal(
		query_int(db, "SELECT count(*) FROM price_pattern WHERE model = 'lf-mini'"), 0);
	assert_int_equal(ac_pricebook_load(&pb, db, &err), 0);
	assert_true(isnan(input_on(pb, "openai/lf-mini-latest", "2025-06-02", &m)));
	assert_close(input_on(pb, "openai/lf-mini", "2025-06-02", &m), 1);
	ac_pricebook_free(pb);
	ac_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_litellm_small_unused),
		cmocka_unit_test(test_litellm_unused_edges),
		cmocka_unit_test(test_litellm_fixture_unused),
		cmocka_unit_test(test_openlit_small),
		cmocka_unit_test(test_openlit_fixture),
		cmocka_unit_test(test_langfuse_small),
		cmocka_unit_test(test_langfuse_priced),
		cmocka_unit_test(test_langfuse_api_shape),
		cmocka_unit_test(test_langfuse_refused),
		cmocka_unit_test(test_pattern_translate),
		cmocka_unit_test(test_pattern_resolution),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
