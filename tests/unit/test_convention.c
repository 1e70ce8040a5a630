/*
 * Token conventions (src/pricing/convention.h, issue #18 item 7): fresh
 * input and prompt by convention, the cost formula with them, the stated
 * conventions' precedence (scope over system) and their storage. Expected
 * costs by hand in the comments.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <sqlite3.h>

#ifndef AC_SOURCE_DIR
#define AC_SOURCE_DIR "/work/main"
#endif

#include "pricing/convention.h"
#include "pricing/pricing.h"

static void assert_rel(double got, double want)
{
	double d = fabs(got - want), m = fabs(want) > 1e-300 ? fabs(want) : 1;
	if (d / m > 1e-12) {
		print_error("got %.17g, expected %.17g\n", got, want);
		fail();
	}
}

static ac_tokens toks(int64_t in, int64_t out, int64_t cr, int64_t cw, int conv)
{
	ac_tokens t = { in, out, cr, cw, 0, 0, 0, 0, conv };
	return t;
}

/* claude-3-5-sonnet-like: 3 / 15, cache read 0.3, cache write 3.75; above
 * 200k: 6 / 22.5 */
static ac_price sonnet(void)
{
	ac_price p = { AC_DAY_ALWAYS, 3, 15, 0.3, 3.75, NAN, 6, 22.5, 0, NULL };
	return p;
}

static void test_fresh_and_prompt(void **state)
{
	(void)state;
	/* auto, input 100 < cache 1000 + 0: excludes */
	ac_tokens t = toks(100, 0, 1000, 0, AC_CONV_AUTO);
	assert_int_equal(ac_tokens_input_excludes_cache(&t), 1);
	assert_rel(ac_tokens_fresh_input(&t), 100);
	assert_rel(ac_tokens_prompt(&t), 1100);
	/* auto, input 2000 >= 1000 + 500: includes: fresh 500, prompt 2000 */
	t = toks(2000, 0, 1000, 500, AC_CONV_AUTO);
	assert_int_equal(ac_tokens_input_excludes_cache(&t), 0);
	assert_rel(ac_tokens_fresh_input(&t), 500);
	assert_rel(ac_tokens_prompt(&t), 2000);
	/* exactly equal: includes, fresh 0 */
	t = toks(1500, 0, 1000, 500, AC_CONV_AUTO);
	assert_int_equal(ac_tokens_input_excludes_cache(&t), 0);
	assert_rel(ac_tokens_fresh_input(&t), 0);
	/* stated excludes: fresh = input 2000, prompt 3500 */
	t = toks(2000, 0, 1000, 500, AC_CONV_EXCLUDES);
	assert_int_equal(ac_tokens_input_excludes_cache(&t), 1);
	assert_rel(ac_tokens_fresh_input(&t), 2000);
	assert_rel(ac_tokens_prompt(&t), 3500);
	/* stated includes, contradicted by the numbers: excludes all the same */
	t = toks(100, 0, 1000, 0, AC_CONV_INCLUDES);
	assert_int_equal(ac_tokens_input_excludes_cache(&t), 1);
	assert_rel(ac_tokens_fresh_input(&t), 100);
}

static void test_cost_vercel_anthropic(void **state)
{
	(void)state;
	ac_price p = sonnet();
	/* Vercel AI SDK / Anthropic raw usage: input 100, cache read 1000,
	 * output 50: 100*3 = 300; 1000*0.3 = 300; 50*15 = 750; 1350 -> 0.00135 */
	ac_tokens t = toks(100, 50, 1000, 0, AC_CONV_AUTO);
	assert_rel(ac_cost_llm(&p, &t), 0.00135);
	/* with a cache write too: input 100, read 1000, write 2000, output 50:
	 * 300 + 300 + 2000*3.75 = 7500 + 750 = 8850 -> 0.00885 */
	t = toks(100, 50, 1000, 2000, AC_CONV_AUTO);
	assert_rel(ac_cost_llm(&p, &t), 0.00885);
	/* ambiguous input 2000, read 1000, output 50: includes (auto):
	 * 1000*3 = 3000 + 300 + 750 = 4050 -> 0.00405; excludes: 2000*3 = 6000
	 * + 300 + 750 = 7050 -> 0.00705 */
	t = toks(2000, 50, 1000, 0, AC_CONV_AUTO);
	assert_rel(ac_cost_llm(&p, &t), 0.00405);
	t.conv = AC_CONV_EXCLUDES;
	assert_rel(ac_cost_llm(&p, &t), 0.00705);
}

/* Token conventions with audio (issue #18 items 4 and 7 merged, pricing.h):
 * audio is a part of the input under both conventions; the cache is outside
 * the input under excludes. sonnet() plus audio in 40 / audio out 80. */
static void test_cost_audio_and_convention(void **state)
{
	(void)state;
	ac_price p = sonnet();
	ac_price_var v = { AC_TIER_STANDARD, 0, { NAN, NAN, NAN, NAN, NAN, NAN, 40, 80 } };
	p.nvar = 1;
	p.var = &v;
	/* auto, input 600 < read 1000: excludes; audio 200 of the 600:
	 * fresh 600 - 200 = 400: 400*3 = 1200; 200*40 = 8000; 1000*0.3 = 300;
	 * 50*15 = 750; 10250 -> 0.01025; prompt 600 + 1000 = 1600 */
	ac_tokens t = toks(600, 50, 1000, 0, AC_CONV_AUTO);
	t.audio_in = 200;
	assert_rel(ac_tokens_fresh_input(&t), 400);
	assert_rel(ac_tokens_audio_in(&t), 200);
	assert_int_equal(ac_prompt_tokens(&t), 1600);
	assert_rel(ac_cost_llm(&p, &t), 0.01025);
	/* auto, input 2000 >= read 1000: includes; fresh 2000 - 1000 - 200 =
	 * 800: 2400 + 8000 + 300 + 750 = 11450 -> 0.01145; prompt 2000 */
	t = toks(2000, 50, 1000, 0, AC_CONV_AUTO);
	t.audio_in = 200;
	assert_rel(ac_tokens_fresh_input(&t), 800);
	assert_int_equal(ac_prompt_tokens(&t), 2000);
	assert_rel(ac_cost_llm(&p, &t), 0.01145);
	/* the same numbers stated excludes: fresh 2000 - 200 = 1800: 5400 +
	 * 8000 + 300 + 750 = 14450 -> 0.01445; prompt 2000 + 1000 = 3000 */
	t.conv = AC_CONV_EXCLUDES;
	assert_rel(ac_tokens_fresh_input(&t), 1800);
	assert_int_equal(ac_prompt_tokens(&t), 3000);
	assert_rel(ac_cost_llm(&p, &t), 0.01445);
	/* includes, audio 500 more than the 1200 - 1000 = 200 beside the cache:
	 * audio counts 200 (a part is at most its whole), fresh 0:
	 * 200*40 = 8000 + 300 + 750 = 9050 -> 0.00905 */
	t = toks(1200, 50, 1000, 0, AC_CONV_AUTO);
	t.audio_in = 500;
	assert_rel(ac_tokens_fresh_input(&t), 0);
	assert_rel(ac_tokens_audio_in(&t), 200);
	assert_rel(ac_cost_llm(&p, &t), 0.00905);
	/* context tier by the excludes prompt: input 150000 (audio 10000) <
	 * read 200001: prompt 350001 > 200000: input 6, output 22.5 (audio and
	 * cache read have no above-200k price: 40 and 0.3). fresh 150000 -
	 * 10000 = 140000*6 = 840000; 10000*40 = 400000; 200001*0.3 = 60000.3;
	 * 1000*22.5 = 22500; 1322500.3 -> 1.3225003 */
	t = toks(150000, 1000, 200001, 0, AC_CONV_AUTO);
	t.audio_in = 10000;
	assert_rel(ac_cost_llm(&p, &t), 1.3225003);
}

static void test_cost_context_tier(void **state)
{
	(void)state;
	ac_price p = sonnet();
	/* input 150000, read 60000, output 1000. includes: prompt 150000, not
	 * above 200k: 90000*3 = 270000; 60000*0.3 = 18000; 1000*15 = 15000;
	 * 303000 -> 0.303 */
	ac_tokens t = toks(150000, 1000, 60000, 0, AC_CONV_INCLUDES);
	assert_rel(ac_cost_llm(&p, &t), 0.303);
	/* excludes: prompt 210000 > 200000: 150000*6 = 900000; 18000;
	 * 1000*22.5 = 22500; 940500 -> 0.9405 */
	t.conv = AC_CONV_EXCLUDES;
	assert_rel(ac_cost_llm(&p, &t), 0.9405);
	/* auto, detected: input 150000 < read 200001: prompt 350001 > 200k:
	 * 150000*6 = 900000; 200001*0.3 = 60000.3; 22500; 982500.3 */
	t = toks(150000, 1000, 200001, 0, AC_CONV_AUTO);
	assert_rel(ac_cost_llm(&p, &t), 982500.3 / 1e6);
}

static sqlite3 *conv_db(void)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                              "CREATE TABLE token_convention (kind TEXT NOT NULL, name TEXT"
	                              " NOT NULL, convention TEXT NOT NULL, set_at TEXT NOT NULL,"
	                              " PRIMARY KEY (kind, name))",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	return db;
}

static void test_precedence_and_store(void **state)
{
	(void)state;
	sqlite3 *db = conv_db();
	ac_err err = AC_ERR_INIT;
	ac_conv_set *cs = NULL;
	int changed = -1;

	assert_int_equal(ac_conv_store(db, "system", "app", AC_CONV_EXCLUDES, &changed, &err), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(ac_conv_store(db, "system", "app", AC_CONV_EXCLUDES, &changed, &err), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(ac_conv_store(db, "scope", "ai", AC_CONV_INCLUDES, &changed, &err), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(ac_conv_load(&cs, db, &err), 0);
	assert_int_equal(ac_conv_of(cs, "app", NULL), AC_CONV_EXCLUDES);
	assert_int_equal(ac_conv_of(cs, "app", "other"), AC_CONV_EXCLUDES);
	assert_int_equal(ac_conv_of(cs, "app", "ai"), AC_CONV_INCLUDES); /* scope wins */
	assert_int_equal(ac_conv_of(cs, "App", NULL), AC_CONV_AUTO);     /* exact names */
	assert_int_equal(ac_conv_of(cs, NULL, NULL), AC_CONV_AUTO);
	ac_conv_free(cs);
	/* auto removes the statement */
	assert_int_equal(ac_conv_store(db, "scope", "ai", AC_CONV_AUTO, &changed, &err), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(ac_conv_load(&cs, db, &err), 0);
	assert_int_equal(ac_conv_of(cs, "app", "ai"), AC_CONV_EXCLUDES);
	ac_conv_free(cs);
	sqlite3_close(db);

	/* no table (a store before schema 9), no db: nothing stated */
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(ac_conv_load(&cs, db, &err), 0);
	assert_int_equal(ac_conv_of(cs, "app", "ai"), AC_CONV_AUTO);
	ac_conv_free(cs);
	sqlite3_close(db);
	assert_int_equal(ac_conv_load(&cs, NULL, &err), 0);
	ac_conv_free(cs);
}

static void test_parse(void **state)
{
	(void)state;
	assert_int_equal(ac_conv_parse("auto"), AC_CONV_AUTO);
	assert_int_equal(ac_conv_parse("includes"), AC_CONV_INCLUDES);
	assert_int_equal(ac_conv_parse("excludes"), AC_CONV_EXCLUDES);
	assert_int_equal(ac_conv_parse("Excludes"), -1);
	assert_int_equal(ac_conv_parse(""), -1);
	assert_int_equal(ac_conv_parse(NULL), -1);
	assert_string_equal(ac_conv_name(AC_CONV_EXCLUDES), "excludes");
}

static void exec_file(sqlite3 *db, const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char sql[1 << 16];
	size_t n = fread(sql, 1, sizeof(sql) - 1, f);
	fclose(f);
	sql[n] = '\0';
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* the pricebook applies the convention stated for the span's service */
static void test_pricebook_cost(void **state)
{
	(void)state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	exec_file(db, AC_SOURCE_DIR "/schema/001_init.sql");
	exec_file(db, AC_SOURCE_DIR "/schema/009_token_convention.sql");
	ac_err err = AC_ERR_INIT;
	ac_pricebook *pb = NULL;
	int changed, src;
	double cost;
	assert_int_equal(ac_conv_store(db, "system", "vercel-app", AC_CONV_EXCLUDES, &changed, &err),
	                 0);
	assert_int_equal(ac_pricebook_load(&pb, db, &err), 0);
	ac_cost_input in = { 0 };
	in.step = AC_STEP_LLM;
	in.model = "claude-3-5-sonnet-20241022"; /* built-in 3 / 15 / 0.3 / 3.75 */
	in.start_ns = 1748779200000000000LL;
	in.tok = toks(2000, 50, 1000, 0, AC_CONV_AUTO);
	/* no service: auto = includes: 0.00405 (above) */
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_int_equal(src, AC_COST_TABLE);
	assert_rel(cost, 0.00405);
	/* service vercel-app, stated excludes: 0.00705 */
	in.service = "vercel-app";
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_rel(cost, 0.00705);
	/* the span's own statement (tok.conv) is not overridden */
	in.tok.conv = AC_CONV_INCLUDES;
	ac_pricebook_cost(pb, &in, &cost, &src);
	assert_rel(cost, 0.00405);
	ac_pricebook_free(pb);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_and_prompt),
		cmocka_unit_test(test_cost_vercel_anthropic),
		cmocka_unit_test(test_cost_context_tier),
		cmocka_unit_test(test_cost_audio_and_convention),
		cmocka_unit_test(test_precedence_and_store),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_pricebook_cost),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
