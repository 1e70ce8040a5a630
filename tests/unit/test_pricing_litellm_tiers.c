/*
 * LiteLLM's real table (../shared/fixtures/third_party/
 * litellm_model_prices.json, skipped when absent) imported into a store of
 * the current schema: for three entries per dimension (priority, flex,
 * batch, 1-hour cache write, above 128k, above 200k, audio, tiered_pricing)
 * the price rows against the values read by hand from the file (USD per
 * token there, x 1e6 here), then one call per dimension priced through the
 * pricebook, with the arithmetic in a comment.
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

#ifndef AC_SOURCE_DIR
#define AC_SOURCE_DIR "/work/main"
#endif
#ifndef AC_SHARED_DIR
#define AC_SHARED_DIR AC_SOURCE_DIR "/../shared"
#endif
#define LITELLM_JSON AC_SHARED_DIR "/fixtures/third_party/litellm_model_prices.json"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

/* A store of every schema file 001..008, as the binary migrates one. */
static sqlite3 *new_db(void)
{
	static const char *const files[] = { "001_init", "002_tasks", "003_file_quick_hash",
		                              "004_rollup", "005_task_keys", "006_model_alias",
		                              "007_price_pattern", "008_price_tiers" };
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/schema/%s.sql", AC_SOURCE_DIR, files[i]);
		char *sql = slurp(path);
		assert_non_null(sql);
		char *msg = NULL;
		if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
			print_error("%s: %s\n", files[i], msg ? msg : "?");
			fail();
		}
		free(sql);
	}
	return db;
}

static sqlite3 *db; /* the imported table, shared by the tests */

static int setup(void **state)
{
	(void)state;
	if (access(LITELLM_JSON, R_OK) != 0)
		return 0;
	ac_import_stats st;
	ac_err err = AC_ERR_INIT;
	db = new_db();
	int rc = ac_prices_import(db, LITELLM_JSON, &st, NULL, NULL, &err);
	if (rc)
		print_error("%s\n", err.msg);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	sqlite3_close(db);
	return 0;
}

#define NO_FIXTURE()                                                                   \
	do {                                                                           \
		if (!db) {                                                             \
			print_message("skipped: no %s\n", LITELLM_JSON);              \
			skip();                                                        \
		}                                                                      \
	} while (0)

/* price_tier's column col of (model, tier, above); NAN when NULL, -1 when no row. */
static double tier_price(const char *model, const char *tier, int64_t above, const char *col)
{
	char sql[512];
	sqlite3_stmt *st;
	double v = -1;
	snprintf(sql, sizeof(sql),
	         "SELECT %s FROM price_tier WHERE model = ?1 AND service_tier = ?2"
	         " AND above_tokens = ?3",
	         col);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tier, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, above);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_type(st, 0) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

#define expect_tier(model, tier, above, col, want) \
	expect_tier_at(model, tier, above, col, want, __FILE__, __LINE__)
static void expect_tier_at(const char *model, const char *tier, int64_t above, const char *col,
                           double want, const char *file, int line)
{
	double v = tier_price(model, tier, above, col);
	if (fabs(v - want) <= 1e-12 * fabs(want))
		return;
	print_error("%s %s above %lld %s = %.17g, the file has %.17g\n", model, tier,
	            (long long)above, col, v, want);
	_fail(file, line);
}

static void expect_usd(double a, double b)
{
	if (fabs(a - b) > 1e-12 * fmax(1, fabs(b))) {
		print_error("%.17g, expected %.17g\n", a, b);
		fail();
	}
}

static void test_priority_rows(void **state)
{
	(void)state;
	NO_FIXTURE();
	/* gpt-5: input_cost_per_token_priority 2.5e-06, output 2e-05, cache read 2.5e-07 */
	expect_tier("gpt-5", "priority", 0, "input_per_mtok", 2.5);
	expect_tier("gpt-5", "priority", 0, "output_per_mtok", 20);
	expect_tier("gpt-5", "priority", 0, "cache_read_per_mtok", 0.25);
	/* gpt-4o: 4.25e-06, 1.7e-05, 2.125e-06 */
	expect_tier("gpt-4o", "priority", 0, "input_per_mtok", 4.25);
	expect_tier("gpt-4o", "priority", 0, "output_per_mtok", 17);
	expect_tier("gpt-4o", "priority", 0, "cache_read_per_mtok", 2.125);
	/* o3: 3.5e-06, 1.4e-05, 8.75e-07 */
	expect_tier("o3", "priority", 0, "input_per_mtok", 3.5);
	expect_tier("o3", "priority", 0, "output_per_mtok", 14);
	expect_tier("o3", "priority", 0, "cache_read_per_mtok", 0.875);
}

static void test_flex_rows(void **state)
{
	(void)state;
	NO_FIXTURE();
	/* gpt-5: input_cost_per_token_flex 6.25e-07, output 5e-06, cache read 6.25e-08 */
	expect_tier("gpt-5", "flex", 0, "input_per_mtok", 0.625);
	expect_tier("gpt-5", "flex", 0, "output_per_mtok", 5);
	expect_tier("gpt-5", "flex", 0, "cache_read_per_mtok", 0.0625);
	/* gpt-5-mini: 1.25e-07, 1e-06, 1.25e-08 */
	expect_tier("gpt-5-mini", "flex", 0, "input_per_mtok", 0.125);
	expect_tier("gpt-5-mini", "flex", 0, "output_per_mtok", 1);
	expect_tier("gpt-5-mini", "flex", 0, "cache_read_per_mtok", 0.0125);
	/* o3: 1e-06, 4e-06, 2.5e-07 */
	expect_tier("o3", "flex", 0, "input_per_mtok", 1);
	expect_tier("o3", "flex", 0, "output_per_mtok", 4);
	expect_tier("o3", "flex", 0, "cache_read_per_mtok", 0.25);
}

static void test_batch_rows(void **state)
{
	(void)state;
	NO_FIXTURE();
	/* gpt-4o: input_cost_per_token_batches 1.25e-06, output 5e-06 */
	expect_tier("gpt-4o", "batch", 0, "input_per_mtok", 1.25);
	expect_tier("gpt-4o", "batch", 0, "output_per_mtok", 5);
	/* gpt-4.1 and azure/gpt-4.1: 1e-06, 4e-06 */
	expect_tier("gpt-4.1", "batch", 0, "input_per_mtok", 1);
	expect_tier("gpt-4.1", "batch", 0, "output_per_mtok", 4);
	expect_tier("azure/gpt-4.1", "batch", 0, "input_per_mtok", 1);
	expect_tier("azure/gpt-4.1", "batch", 0, "output_per_mtok", 4);
}

static void test_cache_1h_rows(void **state)
{
	(void)state;
	NO_FIXTURE();
	/* cache_creation_input_token_cost_above_1hr: 6e-06, 2e-06, 3e-05 */
	expect_tier("claude-3-5-haiku-20241022", "standard", 0, "cache_write_1h_per_mtok", 6);
	expect_tier("claude-haiku-4-5-20251001", "standard", 0, "cache_write_1h_per_mtok", 2);
	expect_tier("claude-opus-4-1-20250805", "standard", 0, "cache_write_1h_per_mtok", 30);
}

static void test_context_rows(void **state)
{
	(void)state;
	NO_FIXTURE();
	/* above 128k: gemini-1.5-flash input 1e-06, output 6e-07; gemini-1.5-pro
	 * 2.5e-06, 1e-05; gemini-1.5-flash-001 input 1e-06 */
	expect_tier("gemini-1.5-flash", "standard", 128000, "input_per_mtok", 1);
	expect_tier("gemini-1.5-flash", "standard", 128000, "output_per_mtok", 0.6);
	expect_tier("gemini-1.5-pro", "standard", 128000, "input_per_mtok", 2.5);
	expect_tier("gemini-1.5-pro", "standard", 128000, "output_per_mtok", 10);
	expect_tier("gemini-1.5-flash-001", "standard", 128000, "input_per_mtok", 1);
	/* above 200k, cache: claude-sonnet-4-5 and
	 * anthropic.claude-sonnet-4-20250514-v1:0 cache read 6e-07, write
	 * 7.5e-06; gemini-2.5-pro cache write 2.5e-07 (input and output above
	 * 200k stay in the price row's columns) */
	expect_tier("claude-sonnet-4-5", "standard", 200000, "cache_read_per_mtok", 0.6);
	expect_tier("claude-sonnet-4-5", "standard", 200000, "cache_write_per_mtok", 7.5);
	expect_tier("anthropic.claude-sonnet-4-20250514-v1:0", "standard", 200000,
	            "cache_read_per_mtok", 0.6);
	expect_tier("anthropic.claude-sonnet-4-20250514-v1:0", "standard", 200000,
	            "cache_write_per_mtok", 7.5);
	expect_tier("gemini-2.5-pro", "standard", 200000, "cache_write_per_mtok", 0.25);
}

static void test_audio_rows(void **state)
{
	(void)state;
	NO_FIXTURE();
	/* input_cost_per_audio_token / output_cost_per_audio_token:
	 * gpt-4o-audio-preview 0.0001 / 0.0002; gpt-4o-mini-audio-preview
	 * 1e-05 / 2e-05; gpt-realtime 3.2e-05 / 6.4e-05 */
	expect_tier("gpt-4o-audio-preview", "standard", 0, "audio_input_per_mtok", 100);
	expect_tier("gpt-4o-audio-preview", "standard", 0, "audio_output_per_mtok", 200);
	expect_tier("gpt-4o-mini-audio-preview", "standard", 0, "audio_input_per_mtok", 10);
	expect_tier("gpt-4o-mini-audio-preview", "standard", 0, "audio_output_per_mtok", 20);
	expect_tier("gpt-realtime", "standard", 0, "audio_input_per_mtok", 32);
	expect_tier("gpt-realtime", "standard", 0, "audio_output_per_mtok", 64);
}

static void test_tiered_pricing_rows(void **state)
{
	(void)state;
	NO_FIXTURE();
	/* dashscope/qwen-flash and -2025-07-28: range [0, 256000] 5e-08 / 4e-07
	 * (the price row), [256000, 1000000] 2.5e-07 / 2e-06 */
	expect_tier("dashscope/qwen-flash", "standard", 256000, "input_per_mtok", 0.25);
	expect_tier("dashscope/qwen-flash", "standard", 256000, "output_per_mtok", 2);
	expect_tier("dashscope/qwen-flash-2025-07-28", "standard", 256000, "input_per_mtok", 0.25);
	/* dashscope/qwen-plus-2025-07-28: above 256000 1.2e-06 / 3.6e-06,
	 * reasoning 1.2e-05 */
	expect_tier("dashscope/qwen-plus-2025-07-28", "standard", 256000, "input_per_mtok", 1.2);
	expect_tier("dashscope/qwen-plus-2025-07-28", "standard", 256000, "output_per_mtok", 3.6);
	expect_tier("dashscope/qwen-plus-2025-07-28", "standard", 256000, "reasoning_per_mtok", 12);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT input_per_mtok, output_per_mtok, reasoning_per_mtok"
	                                    " FROM price WHERE model = 'dashscope/qwen-plus-2025-07-28'",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	/* the first range: 4e-07, 1.2e-06, reasoning 4e-06 */
	expect_usd(sqlite3_column_double(st, 0), 0.4);
	expect_usd(sqlite3_column_double(st, 1), 1.2);
	expect_usd(sqlite3_column_double(st, 2), 4);
	sqlite3_finalize(st);
}

/* One call per dimension, priced through the pricebook. */
static void test_costs(void **state)
{
	(void)state;
	NO_FIXTURE();
	ac_pricebook *pb;
	ac_err err = AC_ERR_INIT;
	const ac_price *r;
	int fb;
	assert_int_equal(ac_pricebook_load(&pb, db, &err), 0);

	/* gpt-5 priority, in 10,000 (cache read 2,000), out 1,000:
	 * 8000 x 2.5 + 2000 x 0.25 + 1000 x 20 = 20000 + 500 + 20000 = 40500 */
	ac_tokens a = { 10000, 1000, 2000, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	assert_true(ac_pricebook_model(pb, "gpt-5", &r, NULL, NULL) > 0);
	expect_usd(ac_cost_llm_at(&r[0], &a, AC_TIER_PRIORITY, 10000, &fb), 0.0405);
	assert_int_equal(fb, 0);
	/* gpt-5 batch: no batch price in the file -> standard, a fallback:
	 * 8000 x 1.25 + 2000 x 0.125 + 1000 x 10 = 10000 + 250 + 10000 */
	expect_usd(ac_cost_llm_at(&r[0], &a, AC_TIER_BATCH, 10000, &fb), 0.02025);
	assert_int_equal(fb, 1);
	/* gpt-4o batch, in 1,000 out 1,000: 1000 x 1.25 + 1000 x 5 = 6250 */
	ac_tokens b = { 1000, 1000, 0, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	assert_true(ac_pricebook_model(pb, "gpt-4o", &r, NULL, NULL) > 0);
	expect_usd(ac_cost_llm_at(&r[0], &b, AC_TIER_BATCH, 1000, &fb), 0.00625);
	/* claude-haiku-4-5-20251001, in 10,000 of which 4,000 written, 3,000 of
	 * them 1-hour; out 100: 6000 x 1 + 1000 x 1.25 + 3000 x 2 + 100 x 5
	 * = 6000 + 1250 + 6000 + 500 = 13750 */
	ac_tokens c = { 10000, 100, 0, 4000, 0, 3000, 0, 0, AC_CONV_AUTO };
	assert_true(ac_pricebook_model(pb, "claude-haiku-4-5-20251001", &r, NULL, NULL) > 0);
	expect_usd(ac_cost_llm(&r[0], &c), 0.01375);
	/* claude-sonnet-4-5 above 200k: in 300,000 (cache read 100,000, write
	 * 50,000), out 1,000: 150000 x 6 + 100000 x 0.6 + 50000 x 7.5 + 1000 x 22.5
	 * = 900000 + 60000 + 375000 + 22500 = 1357500 */
	ac_tokens d = { 300000, 1000, 100000, 50000, 0, 0, 0, 0, AC_CONV_AUTO };
	assert_true(ac_pricebook_model(pb, "claude-sonnet-4-5", &r, NULL, NULL) > 0);
	expect_usd(ac_cost_llm(&r[0], &d), 1.3575);
	/* gemini-1.5-pro (the file's Vertex row) above 128k: in 130,000, out
	 * 1,000: 130000 x 2.5 + 1000 x 10 = 335000 */
	ac_tokens e = { 130000, 1000, 0, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	assert_true(ac_pricebook_model(pb, "gemini-1.5-pro", &r, NULL, NULL) > 0);
	expect_usd(ac_cost_llm(&r[0], &e), 0.335);
	/* gpt-4o-audio-preview, in 1,000 (audio 600), out 500 (audio 300):
	 * 400 x 2.5 + 600 x 100 + 200 x 10 + 300 x 200 = 1000+60000+2000+60000 */
	ac_tokens f = { 1000, 500, 0, 0, 0, 0, 600, 300, AC_CONV_AUTO };
	assert_true(ac_pricebook_model(pb, "gpt-4o-audio-preview", &r, NULL, NULL) > 0);
	expect_usd(ac_cost_llm(&r[0], &f), 0.123);
	/* dashscope/qwen-flash, in 300,000 out 1,000 (above 256,000):
	 * 300000 x 0.25 + 1000 x 2 = 77000; in 256,000: 256000 x 0.05 + 1000 x 0.4 */
	ac_tokens g = { 300000, 1000, 0, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	ac_tokens h = { 256000, 1000, 0, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	assert_true(ac_pricebook_model(pb, "dashscope/qwen-flash", &r, NULL, NULL) > 0);
	expect_usd(ac_cost_llm(&r[0], &g), 0.077);
	expect_usd(ac_cost_llm(&r[0], &h), 0.0132);
	ac_pricebook_free(pb);
}

/*
 * The built-in table's variant prices (service tiers, 1-hour cache write,
 * audio, above-threshold cache prices; src/pricing/builtin_prices.c)
 * against the price_tier rows LiteLLM's file gives. For every LiteLLM entry
 * of the providers' own APIs (no prefix, "openai/", "anthropic/") that
 * resolves to a built-in with variants (gemini-1.5-* excepted: Google's
 * prices, a documented difference), every tier price the entry states must
 * be in the built-in row with the same value; and every variant price of a
 * built-in must be stated by at least one such entry (no number typed
 * without the table confirming it).
 */
static double builtin_var(const ac_price *p, int tier, int64_t above, int kind)
{
	for (int i = 0; i < p->nvar; i++) {
		if (p->var[i].tier == tier && p->var[i].above == above)
			return p->var[i].v[kind];
	}
	return NAN;
}

static void test_builtin_variants_agree(void **state)
{
	(void)state;
	NO_FIXTURE();
	static const char *const cols[AC_PK_N] = { "input_per_mtok",        "output_per_mtok",
		                                   "cache_read_per_mtok",   "cache_write_per_mtok",
		                                   "cache_write_1h_per_mtok", "reasoning_per_mtok",
		                                   "audio_input_per_mtok",  "audio_output_per_mtok" };
	ac_pricebook *pb = NULL;
	ac_err err = AC_ERR_INIT;
	int nb, compared = 0;
	assert_int_equal(ac_pricebook_load(&pb, NULL, &err), 0);
	const ac_builtin_price *b = ac_pricing_builtins(&nb);
	/* confirmed[i][v][k]: variant v's price k of built-in i was stated by an entry */
	unsigned char(*confirmed)[8][AC_PK_N] = calloc((size_t)nb, sizeof(*confirmed));
	assert_non_null(confirmed);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT model, service_tier, above_tokens, input_per_mtok,"
	                                    " output_per_mtok, cache_read_per_mtok, cache_write_per_mtok,"
	                                    " cache_write_1h_per_mtok, reasoning_per_mtok,"
	                                    " audio_input_per_mtok, audio_output_per_mtok"
	                                    " FROM price_tier ORDER BY model, service_tier, above_tokens",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(q, 0);
		const ac_price *rows;
		const char *matched;
		if (strchr(name, '/') && strncmp(name, "openai/", 7) != 0 && strncmp(name, "anthropic/", 10) != 0)
			continue;
		if (strchr(name, ':') || ac_pricebook_model(pb, name, &rows, &matched, NULL) == 0)
			continue;
		if (rows[0].nvar == 0 || strncmp(matched, "gemini-1.5-", 11) == 0)
			continue;
		int bi = 0;
		while (bi < nb && strcmp(b[bi].model, matched) != 0)
			bi++;
		assert_true(bi < nb);
		int tier = ac_service_tier((const char *)sqlite3_column_text(q, 1));
		int64_t above = sqlite3_column_int64(q, 2);
		assert_true(tier >= 0);
		for (int k = 0; k < AC_PK_N; k++) {
			if (sqlite3_column_type(q, 3 + k) == SQLITE_NULL)
				continue;
			double want = sqlite3_column_double(q, 3 + k);
			double have = builtin_var(&rows[0], tier, above, k);
			if (!(fabs(have - want) <= 1e-12 * want)) {
				print_error("%s (built-in %s): %s above %lld %s is %.9g, LiteLLM has %.9g\n",
				            name, matched, sqlite3_column_text(q, 1), (long long)above,
				            cols[k], have, want);
				fail();
			}
			for (int v = 0; v < rows[0].nvar && v < 8; v++)
				if (rows[0].var[v].tier == tier && rows[0].var[v].above == above)
					confirmed[bi][v][k] = 1;
			compared++;
		}
	}
	sqlite3_finalize(q);
	for (int i = 0; i < nb; i++) {
		const ac_price *p = &b[i].price;
		if (strncmp(b[i].model, "gemini-1.5-", 11) == 0)
			continue;
		assert_true(p->nvar <= 8);
		for (int v = 0; v < p->nvar; v++)
			for (int k = 0; k < AC_PK_N; k++) {
				if (isnan(p->var[v].v[k]) || confirmed[i][v][k])
					continue;
				print_error("built-in %s: %s of tier %d above %lld (%.9g) is in no LiteLLM entry\n",
				            b[i].model, cols[k], p->var[v].tier, (long long)p->var[v].above,
				            p->var[v].v[k]);
				fail();
			}
	}
	/* gpt-4o, gpt-4o-mini: 5 prices each; gpt-5-mini: 6; claude-sonnet-4: 3;
	 * gpt-4o-mini-audio-preview: 2 -- each stated by one entry or more */
	assert_true(compared >= 21);
	free(confirmed);
	ac_pricebook_free(pb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_priority_rows),     cmocka_unit_test(test_flex_rows),
		cmocka_unit_test(test_batch_rows),        cmocka_unit_test(test_cache_1h_rows),
		cmocka_unit_test(test_context_rows),      cmocka_unit_test(test_audio_rows),
		cmocka_unit_test(test_tiered_pricing_rows), cmocka_unit_test(test_costs),
		cmocka_unit_test(test_builtin_variants_agree),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
