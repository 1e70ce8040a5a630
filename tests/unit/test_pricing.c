/*
 * Unit tests of the pricing module (src/pricing): the cost formula of
 * pricing.h, price rows in force by effective_from, model name resolution,
 * the cost decision, CSV / tool CSV / LiteLLM import, the built-in table
 * against LiteLLM's model_prices_and_context_window.json, and re-pricing a
 * small store. Every expected cost is worked out by hand in a comment
 * (prices in USD per million tokens, so a sum of tokens x price is divided
 * by 1e6). Each test uses a fresh ":memory:" database created from
 * schema/001_init.sql; files go to a mkdtemp directory removed at the end.
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

#include "pricing/pricing.h"
#include "util/timeutil.h"

#ifndef AC_SOURCE_DIR
#define AC_SOURCE_DIR "/work/main"
#endif
#ifndef AC_SHARED_DIR
#define AC_SHARED_DIR AC_SOURCE_DIR "/../shared"
#endif
#define LITELLM_JSON AC_SHARED_DIR "/fixtures/third_party/litellm_model_prices.json"

/* The LiteLLM table lives in ../shared, beside the repository; a clone alone
 * has no ../shared, and the tests that read it are skipped with a message. */
static int no_shared(void)
{
	if (access(LITELLM_JSON, R_OK) == 0)
		return 0;
	print_message("skipped: %s is absent (no ../shared beside the repository)\n", LITELLM_JSON);
	return 1;
}

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

#define EPS 1e-12 /* relative tolerance for sums of a few products */

static ac_price price(double in, double out, double cr, double cw, double rs, double in200,
                      double out200)
{
	ac_price p = { AC_DAY_ALWAYS, in, out, cr, cw, rs, in200, out200, 0, NULL };
	return p;
}

static ac_tokens toks(int64_t in, int64_t out, int64_t cr, int64_t cw, int64_t rs)
{
	ac_tokens t = { in, out, cr, cw, rs, 0, 0, 0, AC_CONV_AUTO };
	return t;
}

static int64_t day_of(const char *ymd)
{
	int64_t d;
	assert_int_equal(ac_date_parse(ymd, &d), 0);
	return d;
}

static char tmpdir[64];
static char created[64][256];
static int ncreated;

static int group_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ac_test_pricing_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	for (int i = 0; i < ncreated; i++)
		unlink(created[i]);
	return rmdir(tmpdir);
}

/* Write text to tmpdir/name; the path goes to out (256 bytes). */
static void write_tmp(char *out, const char *name, const char *text)
{
	snprintf(out, 256, "%s/%s", tmpdir, name);
	FILE *f = fopen(out, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	for (int i = 0; i < ncreated; i++) {
		if (strcmp(created[i], out) == 0)
			return;
	}
	assert_true(ncreated < 64);
	snprintf(created[ncreated++], 256, "%s", out);
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

/* A fresh in-memory store with the schema applied. */
static sqlite3 *new_db(void)
{
	sqlite3 *db;
	char *sql = slurp(AC_SOURCE_DIR "/schema/001_init.sql");
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	return db;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		print_error("sql failed: %s: %s\n", sql, msg ? msg : "?");
		sqlite3_free(msg);
		fail();
	}
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

/* Column col of the single row of sql; NAN for NULL. */
static double query_double(sqlite3 *db, const char *sql, int col)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	double v = sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	return v;
}

typedef struct warns {
	int n;
	long long line[32];
	char msg[32][512];
} warns;

static void collect(const ac_err *e, void *payload)
{
	warns *w = payload;
	if (w->n < 32) {
		w->line[w->n] = e->line;
		snprintf(w->msg[w->n], sizeof(w->msg[0]), "%s", e->msg);
	}
	w->n++;
}

/* Import text written to tmpdir/name; returns the code. */
static int import_text(sqlite3 *db, const char *name, const char *text, ac_import_stats *st,
                       warns *w, ac_err *err)
{
	char path[256];
	write_tmp(path, name, text);
	return ac_prices_import(db, path, st, w ? collect : NULL, w, err);
}

static ac_pricebook *load(sqlite3 *db)
{
	ac_pricebook *pb = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_pricebook_load(&pb, db, &err), 0);
	assert_non_null(pb);
	return pb;
}

/* The input price of the row in force for model on day, NAN when none. */
static double input_price(ac_pricebook *pb, const char *model, int64_t day)
{
	const ac_price *rows;
	int n = ac_pricebook_model(pb, model, &rows, NULL, NULL);
	const ac_price *p = ac_price_in_force(rows, n, day);
	return p ? p->input : NAN;
}

/* The formula ------------------------------------------------------------ */

static void test_formula_all_parts(void **state)
{
	(void)state;
	/* 3 / 15, cache read 0.30, cache write 3.75, reasoning 20 */
	ac_price p = price(3, 15, 0.30, 3.75, 20, NAN, NAN);
	ac_tokens t = toks(10000, 2000, 4000, 1000, 500);
	/* (10000-4000-1000)*3 = 15000; 4000*0.30 = 1200; 1000*3.75 = 3750;
	 * (2000-500)*15 = 22500; 500*20 = 10000; sum 52450 -> 0.05245 */
	assert_close(ac_cost_llm(&p, &t), 0.05245, EPS, 0);

	/* gpt-4o-mini-like, 1000 in 100 out: 1000*0.15 + 100*0.60 = 210 -> 0.00021 */
	p = price(0.15, 0.60, 0.075, NAN, NAN, NAN, NAN);
	t = toks(1000, 100, 0, 0, 0);
	assert_close(ac_cost_llm(&p, &t), 0.00021, EPS, 0);

	/* no tokens: 0 */
	t = toks(0, 0, 0, 0, 0);
	assert_close(ac_cost_llm(&p, &t), 0, 0, 0);
}

static void test_formula_fallbacks(void **state)
{
	(void)state;
	/* 2 / 8, no cache or reasoning price: all input tokens at 2, all output at 8 */
	ac_price p = price(2, 8, NAN, NAN, NAN, NAN, NAN);
	ac_tokens t = toks(10000, 2000, 4000, 1000, 500);
	/* 5000*2 + 4000*2 + 1000*2 = 20000; 1500*8 + 500*8 = 16000; 36000 -> 0.036 */
	assert_close(ac_cost_llm(&p, &t), 0.036, EPS, 0);

	/* cache read priced, cache write not (OpenAI): write falls back to input.
	 * in 1000 = 500 plain + 400 read + 100 written, 100 out:
	 * 500*0.15 = 75; 400*0.075 = 30; 100*0.15 = 15; 100*0.60 = 60; 180 -> 0.00018 */
	p = price(0.15, 0.60, 0.075, NAN, NAN, NAN, NAN);
	t = toks(1000, 100, 400, 100, 0);
	assert_close(ac_cost_llm(&p, &t), 0.00018, EPS, 0);

	/* reasoning price absent: reasoning at the output price.
	 * 1000 in at 1 = 1000; out 300 incl. 200 reasoning at 4 = 1200; 2200 -> 0.0022 */
	p = price(1, 4, NAN, NAN, NAN, NAN, NAN);
	t = toks(1000, 300, 0, 0, 200);
	assert_close(ac_cost_llm(&p, &t), 0.0022, EPS, 0);
}

static void test_formula_above_200k(void **state)
{
	(void)state;
	/* claude-sonnet-4-like: 3 / 15, cache 0.30 / 3.75, above 200k 6 / 22.5 */
	ac_price p = price(3, 15, 0.30, 3.75, NAN, 6, 22.5);

	/* exactly 200,000 in: base prices. 200000*3 = 600000; 1000*15 = 15000;
	 * 615000 -> 0.615 */
	ac_tokens t = toks(200000, 1000, 0, 0, 0);
	assert_close(ac_cost_llm(&p, &t), 0.615, EPS, 0);

	/* 200,001 in: the tier prices. 200001*6 = 1200006; 1000*22.5 = 22500;
	 * 1222506 -> 1.222506 */
	t = toks(200001, 1000, 0, 0, 0);
	assert_close(ac_cost_llm(&p, &t), 1.222506, EPS, 0);

	/* cache prices stay: 200001 in of which 100001 read: 100000*6 = 600000;
	 * 100001*0.30 = 30000.3; 1000*22.5 = 22500; 652500.3 -> 0.6525003 */
	t = toks(200001, 1000, 100001, 0, 0);
	assert_close(ac_cost_llm(&p, &t), 0.6525003, EPS, 0);

	/* a row without tier prices keeps its base prices: 300000*0.15 = 45000 -> 0.045 */
	p = price(0.15, 0.60, NAN, NAN, NAN, NAN, NAN);
	t = toks(300000, 0, 0, 0, 0);
	assert_close(ac_cost_llm(&p, &t), 0.045, EPS, 0);

	/* tier and fallbacks together: 1 / 2, tier 2 / 4, no cache or reasoning
	 * price: the fallbacks take the tier prices. in 250000 incl. 50000 read;
	 * out 1000 incl. 100 reasoning: 200000*2 = 400000; 50000*2 = 100000;
	 * 900*4 = 3600; 100*4 = 400; 504000 -> 0.504 */
	p = price(1, 2, NAN, NAN, NAN, 2, 4);
	t = toks(250000, 1000, 50000, 0, 100);
	assert_close(ac_cost_llm(&p, &t), 0.504, EPS, 0);
}

static void test_formula_clamp(void **state)
{
	(void)state;
	/* A producer that did not count cache tokens in input (issue #18 item
	 * 7): in 100 < cache read 300, so input excludes the cache and all 100
	 * are fresh input (never clamped to 0). Output 10, reasoning 50 ->
	 * plain output counts 0. Price 1 / 2, cache read 0.5, reasoning falls
	 * back to 2: 100*1 = 100; 300*0.5 = 150; 0 + 50*2 = 100; 350 -> 0.00035 */
	ac_price p = price(1, 2, 0.5, NAN, NAN, NAN, NAN);
	ac_tokens t = toks(100, 10, 300, 0, 50);
	assert_close(ac_cost_llm(&p, &t), 0.00035, EPS, 0);

	/* negative counts count as 0 */
	t = toks(-5, -5, -5, -5, -5);
	assert_close(ac_cost_llm(&p, &t), 0, 0, 0);
}

/* Effective dates ------------------------------------------------------- */

static void test_in_force_rows(void **state)
{
	(void)state;
	ac_price dated[2] = { price(1, 1, NAN, NAN, NAN, NAN, NAN),
		              price(2, 2, NAN, NAN, NAN, NAN, NAN) };
	dated[0].from_day = day_of("2025-01-01");
	dated[1].from_day = day_of("2025-03-01");

	/* before the first dated row: nothing in force */
	assert_null(ac_price_in_force(dated, 2, day_of("2024-12-31")));
	assert_ptr_equal(ac_price_in_force(dated, 2, day_of("2025-01-01")), &dated[0]);
	assert_ptr_equal(ac_price_in_force(dated, 2, day_of("2025-02-28")), &dated[0]);
	/* the change happens on the exact day */
	assert_ptr_equal(ac_price_in_force(dated, 2, day_of("2025-03-01")), &dated[1]);
	assert_ptr_equal(ac_price_in_force(dated, 2, day_of("2026-01-01")), &dated[1]);
	assert_null(ac_price_in_force(dated, 0, day_of("2026-01-01")));

	/* an undated row is in force before every dated one */
	ac_price mixed[2] = { price(9, 9, NAN, NAN, NAN, NAN, NAN),
		              price(1, 1, NAN, NAN, NAN, NAN, NAN) };
	mixed[1].from_day = day_of("2025-01-01");
	assert_ptr_equal(ac_price_in_force(mixed, 2, day_of("1970-01-01")), &mixed[0]);
	assert_ptr_equal(ac_price_in_force(mixed, 2, day_of("2024-12-31")), &mixed[0]);
	assert_ptr_equal(ac_price_in_force(mixed, 2, day_of("2025-01-01")), &mixed[1]);
}

static void test_in_force_imported(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	/* rows out of date order in the file; one model dated only, one with
	 * an undated row too */
	assert_int_equal(import_text(db, "dated.csv",
	                             "model,input_per_mtok,output_per_mtok,effective_from\n"
	                             "acme-dated,2,20,2025-03-01\n"
	                             "acme-dated,1,10,2025-01-01\n"
	                             "acme-mixed,5,50,2025-01-01\n"
	                             "acme-mixed,4,40,\n",
	                             NULL, NULL, &err),
	                 0);
	ac_pricebook *pb = load(db);
	const ac_price *rows;
	int n = ac_pricebook_model(pb, "acme-dated", &rows, NULL, NULL);
	assert_int_equal(n, 2);
	assert_true(rows[0].from_day < rows[1].from_day);

	assert_true(isnan(input_price(pb, "acme-dated", day_of("2024-12-31"))));
	assert_close(input_price(pb, "acme-dated", day_of("2025-01-01")), 1, 0, 0);
	assert_close(input_price(pb, "acme-dated", day_of("2025-02-28")), 1, 0, 0);
	assert_close(input_price(pb, "acme-dated", day_of("2025-03-01")), 2, 0, 0);
	assert_close(input_price(pb, "acme-mixed", day_of("2024-06-01")), 4, 0, 0);
	assert_close(input_price(pb, "acme-mixed", day_of("2025-01-01")), 5, 0, 0);

	/* The span's start day is its UTC day: one nanosecond before
	 * 2025-03-01T00:00Z is still priced with the January row.
	 * 1000 in, 0 out: 1000*1 = 1000 -> 0.001; on the day: 1000*2 -> 0.002 */
	ac_cost_input in = { 0 };
	double cost;
	int src;
	in.step = AC_STEP_LLM;
	in.model = "acme-dated";
	in.tok = toks(1000, 0, 0, 0, 0);
	in.start_ns = day_of("2025-03-01") * AC_NS_PER_DAY - 1;
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_TABLE);
	assert_close(cost, 0.001, EPS, 0);
	in.start_ns = day_of("2025-03-01") * AC_NS_PER_DAY;
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_close(cost, 0.002, EPS, 0);

	/* before the first dated row, with a producer cost: the producer's */
	in.start_ns = day_of("2024-12-31") * AC_NS_PER_DAY;
	in.has_producer_cost = 1;
	in.producer_cost = 0.25;
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_PRODUCER);
	assert_close(cost, 0.25, 0, 0);

	ac_pricebook_free(pb);
	sqlite3_close(db);
}

/* Resolution ------------------------------------------------------------- */

static void expect_model(ac_pricebook *pb, const char *name, const char *want_match,
                         int want_imported, double want_input)
{
	const ac_price *rows;
	const char *matched;
	int imported;
	int n = ac_pricebook_model(pb, name, &rows, &matched, &imported);
	if (!want_match) {
		if (n != 0)
			print_error("%s resolved to %s\n", name, matched);
		assert_int_equal(n, 0);
		assert_null(rows);
		return;
	}
	if (n == 0)
		print_error("%s did not resolve\n", name);
	assert_true(n > 0);
	assert_string_equal(matched, want_match);
	assert_int_equal(imported, want_imported);
	assert_close(rows[n - 1].input, want_input, 0, 0);
}

static void test_resolution_order(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	ac_pricebook *pb = load(db);

	/* built-ins only */
	expect_model(pb, "gpt-4o-mini", "gpt-4o-mini", 0, 0.15);
	expect_model(pb, "gpt-4o-mini-2024-07-18", "gpt-4o-mini", 0, 0.15);
	expect_model(pb, "openai/gpt-4o-mini-2024-07-18", "gpt-4o-mini", 0, 0.15);
	expect_model(pb, "GPT-4o-Mini", "gpt-4o-mini", 0, 0.15);
	expect_model(pb, "claude-3-5-haiku-20241022", "claude-3-5-haiku", 0, 0.80);
	expect_model(pb, "anthropic/claude-3-5-haiku@20241022", "claude-3-5-haiku", 0, 0.80);
	expect_model(pb, "gemini-2.5-pro", "gemini-2.5-pro", 0, 1.25);
	/* a dated snapshot with its own price beats the stripped name */
	expect_model(pb, "gpt-4o-2024-05-13", "gpt-4o-2024-05-13", 0, 5.00);
	expect_model(pb, "gpt-4o-2024-08-06", "gpt-4o", 0, 2.50);
	/* no fuzzy matching, no non-date suffixes */
	expect_model(pb, "gpt-4o-min", NULL, 0, 0);
	expect_model(pb, "gpt-4-0613", NULL, 0, 0);
	expect_model(pb, "gpt-4o-mini-2024-13-45", NULL, 0, 0);
	expect_model(pb, "gpt-4o-mini-20241345", NULL, 0, 0);
	expect_model(pb, "gpt-4o-mini-v2", NULL, 0, 0);
	expect_model(pb, "", NULL, 0, 0);
	expect_model(pb, NULL, NULL, 0, 0);
	ac_pricebook_free(pb);

	/* an imported gpt-4o-mini beats the built-in at every step */
	assert_int_equal(import_text(db, "mini.csv",
	                             "model,input_per_mtok,output_per_mtok\ngpt-4o-mini,1,2\n",
	                             NULL, NULL, &err),
	                 0);
	pb = load(db);
	expect_model(pb, "gpt-4o-mini", "gpt-4o-mini", 1, 1);
	expect_model(pb, "gpt-4o-mini-2024-07-18", "gpt-4o-mini", 1, 1);
	expect_model(pb, "openai/gpt-4o-mini-2024-07-18", "gpt-4o-mini", 1, 1);
	expect_model(pb, "gpt-4o-mini@20240718", "gpt-4o-mini", 1, 1);
	expect_model(pb, "gpt-4o-mini-20240718", "gpt-4o-mini", 1, 1);
	/* other models still resolve to the built-ins */
	expect_model(pb, "gpt-4o", "gpt-4o", 0, 2.50);
	ac_pricebook_free(pb);

	/* exact beats stripped */
	assert_int_equal(import_text(db, "exact.csv",
	                             "model,input_per_mtok,output_per_mtok\n"
	                             "gpt-4o-mini-2024-07-18,9,9\n"
	                             "openai/gpt-4o-mini,3,3\n",
	                             NULL, NULL, &err),
	                 0);
	pb = load(db);
	expect_model(pb, "gpt-4o-mini-2024-07-18", "gpt-4o-mini-2024-07-18", 1, 9);
	expect_model(pb, "openai/gpt-4o-mini-2024-07-18", "gpt-4o-mini-2024-07-18", 1, 9);
	expect_model(pb, "openai/gpt-4o-mini", "openai/gpt-4o-mini", 1, 3);
	expect_model(pb, "azure/gpt-4o-mini", "gpt-4o-mini", 1, 1);
	expect_model(pb, "gpt-4o-mini-2024-09-01", "gpt-4o-mini", 1, 1);
	/* cached: the same rows again */
	const ac_price *r1, *r2;
	assert_int_equal(ac_pricebook_model(pb, "azure/gpt-4o-mini", &r1, NULL, NULL), 1);
	assert_int_equal(ac_pricebook_model(pb, "AZURE/gpt-4o-mini", &r2, NULL, NULL), 1);
	assert_ptr_equal(r1, r2);
	ac_pricebook_free(pb);
	sqlite3_close(db);
}

static void test_null_db(void **state)
{
	(void)state;
	ac_pricebook *pb = load(NULL);
	double usd = -1;
	expect_model(pb, "claude-3-5-sonnet-20241022", "claude-3-5-sonnet", 0, 3.00);
	assert_int_equal(ac_pricebook_tool(pb, "web_search", 0, &usd), 0);
	ac_pricebook_free(pb);
	ac_pricebook_free(NULL);
}

/* The cost decision ------------------------------------------------------ */

static void test_cost_decision(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	assert_int_equal(import_text(db, "tools.csv", "tool,per_call\nweb_search,0.01\n", NULL, NULL,
	                             &err),
	                 0);
	ac_pricebook *pb = load(db);
	ac_cost_input in;
	double cost;
	int src;

	/* priced LLM: 1000*0.15 + 100*0.60 = 210 -> 0.00021; a producer cost
	 * does not override the table */
	memset(&in, 0, sizeof(in));
	in.step = AC_STEP_LLM;
	in.model = "gpt-4o-mini-2024-07-18";
	in.start_ns = day_of("2025-06-01") * AC_NS_PER_DAY;
	in.tok = toks(1000, 100, 0, 0, 0);
	in.has_producer_cost = 1;
	in.producer_cost = 0.5;
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_TABLE);
	assert_close(cost, 0.00021, EPS, 0);

	/* unpriced with a producer cost */
	in.model = "mystery-model";
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_PRODUCER);
	assert_close(cost, 0.5, 0, 0);

	/* unpriced without: NULL cost */
	in.has_producer_cost = 0;
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_UNPRICED);
	assert_true(isnan(cost));

	/* no model at all */
	in.model = NULL;
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_UNPRICED);
	assert_true(isnan(cost));

	/* tool with a price (case-insensitive), without, and without a name */
	memset(&in, 0, sizeof(in));
	in.step = AC_STEP_TOOL;
	in.tool = "Web_Search";
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_TABLE);
	assert_close(cost, 0.01, 0, 0);
	in.tool = "calculator";
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_NONE);
	assert_close(cost, 0, 0, 0);
	in.tool = NULL;
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_NONE);
	/* tool names resolve exactly: no prefix stripping */
	in.tool = "mcp/web_search";
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_NONE);

	/* not billable steps, even with a priced model */
	memset(&in, 0, sizeof(in));
	in.step = AC_STEP_AGENT;
	in.model = "gpt-4o-mini";
	in.tok = toks(1000, 100, 0, 0, 0);
	in.has_producer_cost = 1;
	in.producer_cost = 3;
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_NONE);
	assert_close(cost, 0, 0, 0);

	ac_pricebook_free(pb);
	sqlite3_close(db);
}

/* Import ----------------------------------------------------------------- */

static void test_import_model_csv(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	ac_import_stats st;
	warns w = { 0 };
	/* BOM, CRLF, spaces around cells, a quoted name, a blank line, the
	 * optional columns in another order */
	const char *csv =
		"\xEF\xBB\xBF"
		"model, input_per_mtok ,output_per_mtok,effective_from,cache_write_per_mtok,"
		"cache_read_per_mtok,reasoning_per_mtok,output_above_200k_per_mtok,"
		"input_above_200k_per_mtok\r\n"
		"acme-large, 3 ,15,2025-01-01,3.75,0.30,20,22.5,6\r\n"
		"\r\n"
		"\"acme/small\",0.5,1.5,,,,,,\r\n";

	assert_int_equal(import_text(db, "acme prices.csv", csv, &st, &w, &err), 0);
	assert_string_equal(st.kind, "model-csv");
	assert_int_equal(st.rows, 2);
	assert_int_equal(st.names, 2);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(w.n, 0);

	const char *q = "SELECT input_per_mtok, output_per_mtok, cache_read_per_mtok,"
	                " cache_write_per_mtok, reasoning_per_mtok, input_above_200k_per_mtok,"
	                " output_above_200k_per_mtok FROM price WHERE model = 'acme-large'";
	double want[7] = { 3, 15, 0.30, 3.75, 20, 6, 22.5 };
	for (int i = 0; i < 7; i++)
		assert_close(query_double(db, q, i), want[i], 0, 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM price WHERE model = 'acme-large'"
	                               " AND effective_from = '2025-01-01'"
	                               " AND source = 'acme prices.csv'"
	                               " AND imported_at GLOB '20[0-9][0-9]-[01][0-9]-[0-3][0-9]T*Z'"),
	                 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM price WHERE model = 'acme/small'"
	                               " AND cache_read_per_mtok IS NULL AND effective_from IS NULL"),
	                 1);

	/* priced through the pricebook: 10000 in incl. 2000 read and 1000
	 * written, 1000 out incl. 100 reasoning, on 2025-06-01:
	 * 7000*3 = 21000; 2000*0.30 = 600; 1000*3.75 = 3750; 900*15 = 13500;
	 * 100*20 = 2000; sum 40850 -> 0.04085 */
	ac_pricebook *pb = load(db);
	const ac_price *rows;
	int n = ac_pricebook_model(pb, "acme-large", &rows, NULL, NULL);
	assert_int_equal(n, 1);
	const ac_price *p = ac_price_in_force(rows, n, day_of("2025-06-01"));
	assert_non_null(p);
	ac_tokens t = toks(10000, 1000, 2000, 1000, 100);
	assert_close(ac_cost_llm(p, &t), 0.04085, EPS, 0);
	ac_pricebook_free(pb);
	sqlite3_close(db);
}

static void test_import_tool_csv(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	ac_import_stats st;
	warns w = { 0 };

	assert_int_equal(import_text(db, "tools.csv",
	                             "tool,per_call,effective_from\n"
	                             "web_search,0.01,\n"
	                             "web_search,0.02,2025-06-01\n"
	                             "code_exec, 0.005 ,\n"
	                             "dated_only,1,2025-01-01\n",
	                             &st, &w, &err),
	                 0);
	assert_string_equal(st.kind, "tool-csv");
	assert_int_equal(st.rows, 4);
	assert_int_equal(st.names, 3);
	assert_int_equal(w.n, 0);

	ac_pricebook *pb = load(db);
	double usd = 0;
	assert_int_equal(ac_pricebook_tool(pb, "web_search", day_of("2025-05-31"), &usd), 1);
	assert_close(usd, 0.01, 0, 0);
	assert_int_equal(ac_pricebook_tool(pb, "WEB_SEARCH", day_of("2025-06-01"), &usd), 1);
	assert_close(usd, 0.02, 0, 0);
	assert_int_equal(ac_pricebook_tool(pb, "code_exec", day_of("2020-01-01"), &usd), 1);
	assert_close(usd, 0.005, 0, 0);
	assert_int_equal(ac_pricebook_tool(pb, "dated_only", day_of("2024-12-31"), &usd), 0);
	assert_int_equal(ac_pricebook_tool(pb, "dated_only", day_of("2025-01-01"), &usd), 1);
	assert_int_equal(ac_pricebook_tool(pb, "web", day_of("2025-01-01"), &usd), 0);
	ac_pricebook_free(pb);

	/* two columns only; header in capitals */
	assert_int_equal(import_text(db, "t2.csv", "Tool,Per_Call\nfetch,0.001\n", &st, NULL, &err), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM tool_price WHERE tool = 'fetch'"), 1);

	/* missing per_call, unknown column */
	assert_int_equal(import_text(db, "t3.csv", "tool,effective_from\nx,\n", &st, NULL, &err),
	                 AC_EFORMAT);
	assert_non_null(strstr(err.msg, "missing column per_call"));
	assert_int_equal(import_text(db, "t4.csv", "tool,per_call,currency\nx,1,usd\n", &st, NULL,
	                             &err),
	                 AC_EFORMAT);
	assert_non_null(strstr(err.msg, "unknown column \"currency\""));
	sqlite3_close(db);
}

static void test_import_litellm_fixture(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	ac_import_stats st;
	warns w = { 0 };

	if (no_shared()) {
		sqlite3_close(db);
		skip();
	}
	int rc = ac_prices_import(db, LITELLM_JSON, &st, collect, &w, &err);
	if (rc)
		print_error("%s\n", err.msg);
	assert_int_equal(rc, 0);
	assert_string_equal(st.kind, "litellm");
	/* 1,803 entries + sample_spec; 1,514 have both token prices (10 of
	 * them from the first range of their tiered_pricing), of which
	 * "together_ai/BAAI/bge-base-en-v1.5" (line 22338) repeats
	 * "together_ai/baai/bge-base-en-v1.5" but for case */
	assert_int_equal(st.rows, 1513);
	assert_int_equal(st.names, 1513);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.line[0], 22338);
	assert_non_null(strstr(w.msg[0], "duplicate row for together_ai/BAAI/bge-base-en-v1.5"));
	assert_int_equal(query_int(db, "SELECT count(*) FROM price WHERE model = 'sample_spec'"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM price WHERE source ="
	                               " 'litellm_model_prices.json' AND effective_from IS NULL"),
	                 1513);

	/* 1.5e-07 per token -> exactly 0.15 per MTok (no binary noise) */
	const char *q = "SELECT input_per_mtok, output_per_mtok, cache_read_per_mtok,"
	                " cache_write_per_mtok, reasoning_per_mtok, input_above_200k_per_mtok,"
	                " output_above_200k_per_mtok FROM price WHERE model = ";
	char sql[512];
	snprintf(sql, sizeof(sql), "%s'gpt-4o-mini'", q);
	assert_true(query_double(db, sql, 0) == 0.15);
	assert_true(query_double(db, sql, 1) == 0.60);
	assert_true(query_double(db, sql, 2) == 0.075);
	assert_true(isnan(query_double(db, sql, 3)));

	snprintf(sql, sizeof(sql), "%s'claude-3-5-haiku-20241022'", q);
	assert_true(query_double(db, sql, 0) == 0.8);
	assert_true(query_double(db, sql, 1) == 4.0);
	assert_true(query_double(db, sql, 2) == 0.08);
	assert_true(query_double(db, sql, 3) == 1.0);

	snprintf(sql, sizeof(sql), "%s'claude-sonnet-4-5'", q);
	assert_true(query_double(db, sql, 5) == 6.0);
	assert_true(query_double(db, sql, 6) == 22.5);

	snprintf(sql, sizeof(sql), "%s'gemini-2.5-flash'", q);
	assert_true(query_double(db, sql, 4) == 2.5);

	/* the LiteLLM quirk: -latest priced at the launch price */
	snprintf(sql, sizeof(sql), "%s'claude-3-5-haiku-latest'", q);
	assert_true(query_double(db, sql, 0) == 1.0);
	sqlite3_close(db);
}

static void test_import_litellm_small(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	ac_import_stats st;
	warns w = { 0 };
	const char *json =
		"{\n"
		"  \"sample_spec\": {\"input_cost_per_token\": 0.0, \"output_cost_per_token\": 0.0},\n"
		"  \"m-ok\": {\"input_cost_per_token\": 3e-06, \"output_cost_per_token\": 1.5e-05,\n"
		"            \"cache_read_input_token_cost\": null, \"mode\": \"chat\",\n"
		"            \"tiered\": [{\"input_cost_per_token\": \"x\"}]},\n"
		"  \"m-string\": {\"input_cost_per_token\": \"0.000001\", \"output_cost_per_token\": 1e-06},\n"
		"  \"m-neg\": {\"input_cost_per_token\": 1e-06,\n"
		"             \"output_cost_per_token\": -1e-06},\n"
		"  \"m-image\": {\"input_cost_per_image\": 0.04, \"output_cost_per_token\": 1e-06},\n"
		"  \"=evil\": {\"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 1e-06},\n"
		"  \"m-list\": [1, 2]\n"
		"}\n";

	assert_int_equal(import_text(db, "mini.json", json, &st, &w, &err), 0);
	assert_string_equal(st.kind, "litellm");
	assert_int_equal(st.rows, 1);
	assert_int_equal(st.skipped, 3);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.line[0], 6);
	assert_non_null(strstr(w.msg[0], "price is not a number"));
	assert_non_null(strstr(w.msg[0], "m-string"));
	assert_int_equal(w.line[1], 8);
	assert_non_null(strstr(w.msg[1], "price is negative"));
	assert_int_equal(w.line[2], 10);
	assert_non_null(strstr(w.msg[2], "looks like a formula"));
	/* 3e-06 -> 3, 1.5e-05 -> 15; null cache price -> NULL */
	assert_true(query_double(db, "SELECT input_per_mtok FROM price WHERE model = 'm-ok'", 0) == 3);
	assert_true(query_double(db, "SELECT output_per_mtok FROM price WHERE model = 'm-ok'", 0) == 15);
	assert_true(isnan(query_double(db, "SELECT cache_read_per_mtok FROM price WHERE model = 'm-ok'", 0)));

	/* JSON that is not LiteLLM's, and broken JSON */
	assert_int_equal(import_text(db, "other.json", "{\"a\": {\"b\": 1}}", &st, NULL, &err),
	                 AC_EFORMAT);
	assert_int_equal(import_text(db, "arr.json", "{\"a\": [1]}", &st, NULL, &err), AC_EFORMAT);
	assert_int_equal(import_text(db, "broken.json", "{\"a\": {\"input_cost_per_token\": 1e-06}, oops}",
	                             &st, NULL, &err),
	                 AC_EPARSE);
	assert_int_equal(import_text(db, "trunc.json", "{\"a\": {\n\"input_cost_per_token\": 1e-06",
	                             &st, NULL, &err),
	                 AC_EPARSE);
	assert_int_equal(query_int(db, "SELECT count(*) FROM price"), 1);
	sqlite3_close(db);
}

static void test_import_replace(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	ac_import_stats st;

	assert_int_equal(import_text(db, "a.csv",
	                             "model,input_per_mtok,output_per_mtok,effective_from\n"
	                             "m1,1,1,\n"
	                             "m1,2,2,2025-01-01\n"
	                             "m2,3,3,\n",
	                             &st, NULL, &err),
	                 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM price"), 3);

	/* b names m1 (in other case) only: both m1 rows go, m2 stays */
	assert_int_equal(import_text(db, "b.csv", "model,input_per_mtok,output_per_mtok\nM1,5,5\n",
	                             &st, NULL, &err),
	                 0);
	assert_int_equal(st.rows, 1);
	assert_int_equal(st.names, 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM price"), 2);
	assert_int_equal(query_int(db, "SELECT count(*) FROM price WHERE model = 'M1'"
	                               " AND input_per_mtok = 5 AND source = 'b.csv'"),
	                 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM price WHERE model = 'm2'"
	                               " AND source = 'a.csv'"),
	                 1);

	ac_pricebook *pb = load(db);
	assert_close(input_price(pb, "m1", day_of("2026-01-01")), 5, 0, 0);
	ac_pricebook_free(pb);

	/* tools the same way */
	assert_int_equal(import_text(db, "ta.csv", "tool,per_call\nx,1\ny,2\n", &st, NULL, &err), 0);
	assert_int_equal(import_text(db, "tb.csv", "tool,per_call\nx,3\n", &st, NULL, &err), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM tool_price"), 2);
	assert_int_equal(query_int(db, "SELECT per_call FROM tool_price WHERE tool = 'x'"), 3);

	/* the import joins a transaction the caller has open */
	exec(db, "BEGIN");
	assert_int_equal(import_text(db, "c.csv", "model,input_per_mtok,output_per_mtok\nm2,7,7\n",
	                             &st, NULL, &err),
	                 0);
	exec(db, "ROLLBACK");
	assert_int_equal(query_int(db, "SELECT input_per_mtok FROM price WHERE model = 'm2'"), 3);
	sqlite3_close(db);
}

static void test_import_bad_rows(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	ac_import_stats st;
	warns w = { 0 };
	const char *csv =
		"model,input_per_mtok,output_per_mtok,effective_from\n" /* 1 */
		"good,1,2,\n"                                          /* 2 kept */
		"=cmd|' /C calc'!A0,1,2,\n"                            /* 3 formula */
		"neg,-1,2,\n"                                          /* 4 negative */
		"calc,=1+2,2,\n"                                       /* 5 not a number */
		"big,1e400,2,\n"                                       /* 6 not finite */
		"baddate,1,2,2025-02-30\n"                             /* 7 bad date */
		"good,3,4,\n"                                          /* 8 duplicate of 2 */
		"\n"                                                   /* 9 blank */
		"\"GOOD\",5,6,2025-01-01\n"                            /* 10 kept: other date */
		"@sum,1,2,\n"                                          /* 11 formula */
		"+x,1,2,\n"                                            /* 12 formula */
		"-x,1,2,\n"                                            /* 13 formula */
		"no-out,1,,\n"                                         /* 14 missing output */
		"hexy,0x10,1,\n"                                       /* 15 not a number */
		"\"multi\n"                                            /* 16 */
		"line\",abc,1,\n"                                      /* 17: row of line 16 */
		"extra,1,2,,junk\n"                                    /* 18 extra cell */
		"inf,inf,1,\n"                                         /* 19 not a number */
		",1,2,\n"                                              /* 20 empty name */
		"good,1,2,2025-01-01\n";                               /* 21 duplicate of 10 */

	assert_int_equal(import_text(db, "bad.csv", csv, &st, &w, &err), 0);
	assert_int_equal(st.rows, 2);
	assert_int_equal(st.names, 1);
	assert_int_equal(st.skipped, 16);
	assert_int_equal(w.n, 16);

	static const struct {
		long long line;
		const char *msg;
	} want[] = {
		{ 3, "model name looks like a formula: \"=cmd|' /C calc'!A0\"" },
		{ 4, "price is negative: \"-1\" in input_per_mtok" },
		{ 5, "price is not a number: \"=1+2\" in input_per_mtok" },
		{ 6, "price is not a finite number: \"1e400\"" },
		{ 7, "effective_from is not a date (YYYY-MM-DD): \"2025-02-30\"" },
		{ 8, "duplicate row for good, first at line 2" },
		{ 11, "model name looks like a formula: \"@sum\"" },
		{ 12, "model name looks like a formula" },
		{ 13, "model name looks like a formula" },
		{ 14, "output_per_mtok is empty" },
		{ 15, "price is not a number: \"0x10\"" },
		{ 16, "price is not a number: \"abc\"" },
		{ 18, "row has 5 cells, the header has 4" },
		{ 19, "price is not a number: \"inf\"" },
		{ 20, "empty model name" },
		{ 21, "duplicate row for good (effective_from 2025-01-01), first at line 10" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (w.line[i] != want[i].line || !strstr(w.msg[i], want[i].msg))
			print_error("warning %zu: %lld: %s\n", i, w.line[i], w.msg[i]);
		assert_int_equal(w.line[i], want[i].line);
		assert_non_null(strstr(w.msg[i], want[i].msg));
	}
	sqlite3_close(db);
}

static void test_import_fatal(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	ac_import_stats st;
	warns w = { 0 };
	char path[256];

	assert_int_equal(import_text(db, "base.csv", "model,input_per_mtok,output_per_mtok\nm,1,2\n",
	                             &st, NULL, &err),
	                 0);

	/* missing required column: error, table unchanged */
	assert_int_equal(import_text(db, "f1.csv",
	                             "model,input_per_mtok,effective_from\nm,9,\n", &st, NULL, &err),
	                 AC_EFORMAT);
	assert_non_null(strstr(err.msg, "missing column output_per_mtok"));
	/* unknown columns named */
	assert_int_equal(import_text(db, "f2.csv",
	                             "model,input_per_mtok,output_per_mtok,colour,size\nm,9,9,red,1\n",
	                             &st, NULL, &err),
	                 AC_EFORMAT);
	assert_non_null(strstr(err.msg, "unknown columns \"colour\", \"size\""));
	/* a repeated column */
	assert_int_equal(import_text(db, "f3.csv",
	                             "model,input_per_mtok,output_per_mtok,input_per_mtok\nm,9,9,9\n",
	                             &st, NULL, &err),
	                 AC_EFORMAT);
	/* no valid row: error, the warnings still reported */
	assert_int_equal(import_text(db, "f4.csv", "model,input_per_mtok,output_per_mtok\nm,-9,9\n",
	                             &st, &w, &err),
	                 AC_EFORMAT);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(err.msg, "no valid price row"));
	assert_int_equal(import_text(db, "f5.csv", "model,input_per_mtok,output_per_mtok\n", &st,
	                             NULL, &err),
	                 AC_EFORMAT);
	/* not a price file; empty; unterminated quote */
	assert_int_equal(import_text(db, "f6.csv", "name,price\nm,1\n", &st, NULL, &err), AC_EFORMAT);
	assert_int_equal(import_text(db, "f7.csv", " \n\n", &st, NULL, &err), AC_EFORMAT);
	assert_int_equal(import_text(db, "f8.csv",
	                             "model,input_per_mtok,output_per_mtok\n\"m,1,2\n", &st, NULL, &err),
	                 AC_EPARSE);
	/* unreadable */
	snprintf(path, sizeof(path), "%s/does-not-exist.csv", tmpdir);
	assert_int_equal(ac_prices_import(db, path, &st, NULL, NULL, &err), AC_EIO);

	assert_int_equal(query_int(db, "SELECT count(*) FROM price"), 1);
	assert_int_equal(query_int(db, "SELECT input_per_mtok FROM price WHERE model = 'm'"), 1);
	sqlite3_close(db);
}

/* Built-in table --------------------------------------------------------- */

static const ac_builtin_price *builtin(const char *name)
{
	int n;
	const ac_builtin_price *b = ac_pricing_builtins(&n);
	for (int i = 0; i < n; i++) {
		if (strcmp(b[i].model, name) == 0)
			return &b[i];
	}
	return NULL;
}

static void expect_builtin(const char *name, double in, double out, double cr, double cw)
{
	const ac_builtin_price *b = builtin(name);
	if (!b)
		print_error("no built-in %s\n", name);
	assert_non_null(b);
	assert_true(b->price.input == in);
	assert_true(b->price.output == out);
	assert_true(isnan(cr) ? isnan(b->price.cache_read) : b->price.cache_read == cr);
	assert_true(isnan(cw) ? isnan(b->price.cache_write) : b->price.cache_write == cw);
}

static void test_builtins_table(void **state)
{
	(void)state;
	int n;
	const ac_builtin_price *b = ac_pricing_builtins(&n);

	expect_builtin("gpt-4o-mini", 0.15, 0.60, 0.075, NAN);
	expect_builtin("claude-3-5-haiku", 0.80, 4.00, 0.08, 1.00);
	expect_builtin("claude-3-5-sonnet", 3.00, 15.00, 0.30, 3.75);
	assert_true(builtin("claude-sonnet-4-5")->price.input_above_200k == 6.0);
	assert_true(builtin("gemini-2.5-pro")->price.output_above_200k == 15.0);

	assert_true(n >= 30);
	for (int i = 0; i < n; i++) {
		/* lower case, unique, undated, sane */
		for (const char *c = b[i].model; *c; c++)
			assert_false(*c >= 'A' && *c <= 'Z');
		for (int j = i + 1; j < n; j++)
			assert_string_not_equal(b[i].model, b[j].model);
		assert_true(b[i].price.from_day == AC_DAY_ALWAYS);
		assert_true(b[i].price.input > 0 && b[i].price.output >= 0);
		/* a "-latest" alias costs what its base costs */
		const char *l = strstr(b[i].model, "-latest");
		if (l && l[7] == '\0') {
			char base[64];
			snprintf(base, sizeof(base), "%.*s", (int)(l - b[i].model), b[i].model);
			const ac_builtin_price *bb = builtin(base);
			assert_non_null(bb);
			assert_memory_equal(&bb->price, &b[i].price, sizeof(ac_price));
		}
	}
}

/* Effective prices (after the fallbacks) of one price row. */
static void effective(const ac_price *p, double out[7])
{
	out[0] = p->input;
	out[1] = p->output;
	out[2] = isnan(p->cache_read) ? p->input : p->cache_read;
	out[3] = isnan(p->cache_write) ? p->input : p->cache_write;
	out[4] = isnan(p->reasoning) ? p->output : p->reasoning;
	out[5] = p->input_above_200k;
	out[6] = p->output_above_200k;
}

/*
 * Every LiteLLM entry of the providers' own APIs (no prefix, or "openai/",
 * "anthropic/") that resolves to a built-in must price the same after the
 * fallbacks. Entries of other platforms (azure/, vertex_ai/, bedrock/,
 * gemini/ ...) may price differently and are not compared; LiteLLM's
 * unprefixed gemini-* entries are Vertex AI's, which match Google's price
 * list. Deliberate differences, documented in builtin_prices.c:
 *   claude-3-5-haiku-latest: LiteLLM 1.00/5.00, the launch price; the dated
 *     claude-3-5-haiku-20241022 entry has 0.80/4.00.
 *   gemini-1.5-pro, gemini-1.5-flash: Google's prices with cache reads and
 *     the 128k tier; LiteLLM's Vertex entries have no cache read price and
 *     a different flash price above 128k (not compared; the 128k tier is
 *     checked in test_pricing_tiers.c).
 * Every built-in must be checked by at least one entry.
 */
static void test_builtins_agree_with_litellm(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	ac_import_stats st;
	sqlite3_stmt *q;
	int nb, compared = 0;
	const ac_builtin_price *b = ac_pricing_builtins(&nb);
	int *covered = calloc((size_t)nb, sizeof(int));
	ac_pricebook *pb = load(NULL);

	assert_non_null(covered);
	if (no_shared()) {
		free(covered);
		ac_pricebook_free(pb);
		sqlite3_close(db);
		skip();
	}
	assert_int_equal(ac_prices_import(db, LITELLM_JSON, &st, NULL, NULL, &err), 0);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT model, input_per_mtok, output_per_mtok,"
	                                    " cache_read_per_mtok, cache_write_per_mtok,"
	                                    " reasoning_per_mtok, input_above_200k_per_mtok,"
	                                    " output_above_200k_per_mtok FROM price ORDER BY model",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		const ac_price *rows;
		const char *matched;
		if (strchr(name, '/') && strncmp(name, "openai/", 7) != 0 &&
		    strncmp(name, "anthropic/", 10) != 0)
			continue;
		/* Bedrock ids ("-v1:0") have their own check, without cache prices:
		 * test_pricing_names.c, test_bedrock_agrees_with_litellm */
		if (strchr(name, ':'))
			continue;
		if (ac_pricebook_model(pb, name, &rows, &matched, NULL) == 0)
			continue;
		for (int i = 0; i < nb; i++) {
			if (strcmp(b[i].model, matched) == 0)
				covered[i] = 1;
		}
		if (strcmp(name, "claude-3-5-haiku-latest") == 0 || strncmp(matched, "gemini-1.5-", 11) == 0)
			continue;
		ac_price lp = { 0 };
		lp.from_day = AC_DAY_ALWAYS;
		double *f[7] = { &lp.input, &lp.output, &lp.cache_read, &lp.cache_write,
			         &lp.reasoning, &lp.input_above_200k, &lp.output_above_200k };
		for (int k = 0; k < 7; k++)
			*f[k] = sqlite3_column_type(q, k + 1) == SQLITE_NULL ? NAN
			                                                   : sqlite3_column_double(q, k + 1);
		double want[7], have[7];
		effective(&lp, want);
		effective(&rows[0], have);
		for (int k = 0; k < 7; k++) {
			int same = isnan(want[k]) ? isnan(have[k])
			                          : (!isnan(have[k]) &&
			                             fabs(want[k] - have[k]) <= 1e-12 * want[k]);
			if (!same)
				print_error("%s (built-in %s): price %d is %.9g, LiteLLM has %.9g\n", name,
				            matched, k, have[k], want[k]);
			assert_true(same);
		}
		compared++;
	}
	sqlite3_finalize(q);
	for (int i = 0; i < nb; i++) {
		if (!covered[i])
			print_error("built-in %s has no LiteLLM entry to check it\n", b[i].model);
		assert_true(covered[i]);
	}
	assert_true(compared >= nb);
	free(covered);
	ac_pricebook_free(pb);
	sqlite3_close(db);
}

/* Re-pricing ------------------------------------------------------------- */

static void add_span(sqlite3 *db, int id, int step, const char *model, const char *tool,
                     int64_t tin, int64_t tout, int64_t tcr, const char *producer,
                     const char *cost, int src)
{
	char sql[1024];
	/* 2025-06-01T00:00:00Z = day 20240 */
	snprintf(sql, sizeof(sql),
	         "INSERT INTO span (id, span_id, file, start_ns, end_ns, step,"
	         " status, model, tool, tokens_in, tokens_out, tokens_cache_read,"
	         " producer_cost_usd, cost_usd, cost_src) VALUES (%d, x'0102030405060708', 1,"
	         " 20240 * 86400000000000, 20240 * 86400000000000 + 1000, %d, 0,"
	         " (SELECT id FROM model WHERE name = %s%s%s),"
	         " (SELECT id FROM tool WHERE name = %s%s%s), %lld, %lld, %lld, %s, %s, %d)",
	         id, step, model ? "'" : "", model ? model : "NULL", model ? "'" : "",
	         tool ? "'" : "", tool ? tool : "NULL", tool ? "'" : "", (long long)tin,
	         (long long)tout, (long long)tcr, producer, cost, src);
	exec(db, sql);
}

static void expect_span(sqlite3 *db, int id, double cost, int src)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT cost_usd, cost_src FROM span WHERE id = %d", id);
	double c = query_double(db, sql, 0);
	if (isnan(cost))
		assert_true(isnan(c));
	else
		assert_close(c, cost, EPS, 0);
	assert_int_equal((int)query_double(db, sql, 1), src);
}

static void test_reprice(void **state)
{
	(void)state;
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	long long changed = -1;

	exec(db, "INSERT INTO model (id, name) VALUES (1, 'gpt-4o-mini-2024-07-18'),"
	         " (2, 'acme-1'), (3, 'acme-2');"
	         "INSERT INTO tool (id, name) VALUES (1, 'web_search'), (2, 'calc');"
	         /* count the UPDATEs that really happen */
	         "CREATE TEMP TABLE writes (n INTEGER); INSERT INTO writes VALUES (0);"
	         "CREATE TEMP TRIGGER count_writes AFTER UPDATE ON span"
	         " BEGIN UPDATE writes SET n = n + 1; END;");
	/* id step model          tool        in   out  cr   producer cost  src */
	add_span(db, 1, 1, "gpt-4o-mini-2024-07-18", NULL, 2000, 1000, 1000, "NULL", "NULL", 3);
	add_span(db, 2, 1, "acme-1", NULL, 1000, 1000, 0, "0.5", "0.5", 2);
	add_span(db, 3, 1, "acme-2", NULL, 1000, 1000, 0, "NULL", "NULL", 3);
	add_span(db, 4, 2, NULL, "web_search", 0, 0, 0, "NULL", "0", 0);
	add_span(db, 5, 2, NULL, "calc", 0, 0, 0, "NULL", "0", 0);
	add_span(db, 6, 0, "gpt-4o-mini-2024-07-18", NULL, 1000, 1000, 0, "NULL", "9.99", 1);
	add_span(db, 7, 1, NULL, NULL, 10, 10, 0, "NULL", "0", 0);

	/* built-ins only: span 1 becomes
	 * (2000-1000)*0.15 = 150; 1000*0.075 = 75; 1000*0.60 = 600; 825 -> 0.000825;
	 * span 7 (no model, no producer cost) becomes unpriced; the rest are right */
	ac_pricebook *pb = load(db);
	assert_int_equal(ac_pricing_reprice(db, pb, &changed, &err), 0);
	assert_int_equal(changed, 2);
	assert_int_equal(query_int(db, "SELECT n FROM writes"), 2);
	expect_span(db, 1, 0.000825, AC_COST_TABLE);
	expect_span(db, 2, 0.5, AC_COST_PRODUCER);
	expect_span(db, 3, NAN, AC_COST_UNPRICED);
	expect_span(db, 4, 0, AC_COST_NONE);
	expect_span(db, 5, 0, AC_COST_NONE);
	expect_span(db, 6, 9.99, 1); /* not an LLM or tool span: untouched */
	expect_span(db, 7, NAN, AC_COST_UNPRICED);

	/* again: nothing changes, nothing is written */
	assert_int_equal(ac_pricing_reprice(db, pb, &changed, &err), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(query_int(db, "SELECT n FROM writes"), 2);
	ac_pricebook_free(pb);

	/* import acme-1 at 1 / 2 and web_search at 0.01 per call:
	 * span 2: 1000*1 + 1000*2 = 3000 -> 0.003; span 4: 0.01 */
	assert_int_equal(import_text(db, "acme.csv", "model,input_per_mtok,output_per_mtok\nacme-1,1,2\n",
	                             NULL, NULL, &err),
	                 0);
	assert_int_equal(import_text(db, "tool.csv", "tool,per_call\nweb_search,0.01\n", NULL, NULL,
	                             &err),
	                 0);
	pb = load(db);
	assert_int_equal(ac_pricing_reprice(db, pb, &changed, &err), 0);
	assert_int_equal(changed, 2);
	assert_int_equal(query_int(db, "SELECT n FROM writes"), 4);
	expect_span(db, 2, 0.003, AC_COST_TABLE);
	expect_span(db, 4, 0.01, AC_COST_TABLE);
	expect_span(db, 1, 0.000825, AC_COST_TABLE);
	expect_span(db, 3, NAN, AC_COST_UNPRICED);
	ac_pricebook_free(pb);

	/* in the caller's transaction: a rollback undoes it */
	pb = load(NULL);
	exec(db, "BEGIN");
	assert_int_equal(ac_pricing_reprice(db, pb, &changed, &err), 0);
	assert_int_equal(changed, 2); /* spans 2 and 4 lose their imported price */
	expect_span(db, 2, 0.5, AC_COST_PRODUCER);
	expect_span(db, 4, 0, AC_COST_NONE);
	assert_int_equal(sqlite3_get_autocommit(db), 0);
	exec(db, "ROLLBACK");
	expect_span(db, 2, 0.003, AC_COST_TABLE);
	expect_span(db, 4, 0.01, AC_COST_TABLE);
	ac_pricebook_free(pb);
	sqlite3_close(db);
}

static void test_reprice_many(void **state)
{
	(void)state;
	/* more spans than one read batch: every one is priced once.
	 * 1000 in at 0.15 = 150 -> 0.00015 each */
	sqlite3 *db = new_db();
	ac_err err = AC_ERR_INIT;
	long long changed = 0;
	exec(db, "INSERT INTO model (id, name) VALUES (1, 'gpt-4o-mini');"
	         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)"
	         " INSERT INTO span (id, span_id, file, start_ns, end_ns, step,"
	         " status, model, tokens_in, tokens_out, cost_src)"
	         " SELECT i, x'01', 1, 0, 0, 1, 0, 1, 1000, 0, 3 FROM n");
	ac_pricebook *pb = load(db);
	assert_int_equal(ac_pricing_reprice(db, pb, &changed, &err), 0);
	assert_int_equal(changed, 10000);
	assert_int_equal(query_int(db, "SELECT count(*) FROM span WHERE cost_src = 1"
	                               " AND abs(cost_usd - 0.00015) < 1e-15"),
	                 10000);
	ac_pricebook_free(pb);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formula_all_parts),
		cmocka_unit_test(test_formula_fallbacks),
		cmocka_unit_test(test_formula_above_200k),
		cmocka_unit_test(test_formula_clamp),
		cmocka_unit_test(test_in_force_rows),
		cmocka_unit_test(test_in_force_imported),
		cmocka_unit_test(test_resolution_order),
		cmocka_unit_test(test_null_db),
		cmocka_unit_test(test_cost_decision),
		cmocka_unit_test(test_import_model_csv),
		cmocka_unit_test(test_import_tool_csv),
		cmocka_unit_test(test_import_litellm_fixture),
		cmocka_unit_test(test_import_litellm_small),
		cmocka_unit_test(test_import_replace),
		cmocka_unit_test(test_import_bad_rows),
		cmocka_unit_test(test_import_fatal),
		cmocka_unit_test(test_builtins_table),
		cmocka_unit_test(test_builtins_agree_with_litellm),
		cmocka_unit_test(test_reprice),
		cmocka_unit_test(test_reprice_many),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
