/*
 * Unit tests of the cost formula by service tier, context tier, cache
 * lifetime and audio (pricing.h, src/pricing/tiers.c). Every expected cost is
 * worked out by hand in a comment: prices are USD per million tokens, so the
 * sum of tokens x price is divided by 1e6.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pricing/pricing.h"
#include "util/timeutil.h"

#define EPS 1e-12

#define expect_usd(a, b) expect_usd_at((a), (b), #a, __FILE__, __LINE__)
static void expect_usd_at(double a, double b, const char *what, const char *file, int line)
{
	if (fabs(a - b) <= EPS * fmax(1, fabs(b)))
		return;
	print_error("%s = %.17g, expected %.17g\n", what, a, b);
	_fail(file, line);
}

#define N NAN
/* variant: tier, above, input, output, cache read, cache write, 1h write,
 * reasoning, audio in, audio out */
#define V(t, a, in, out, cr, cw, cw1h, rs, ain, aout) \
	{ t, a, { in, out, cr, cw, cw1h, rs, ain, aout } }

/* The test row "m": base input 2, output 8, cache read 0.50, cache write
 * 2.50, no reasoning price; standard 1h write 4, audio 40 / 80; above 128k
 * input 3; above 200k input 4, output 12, cache read 1; priority input 3.50,
 * output 14, cache read 0.875, above 200k input 7; flex input 1, output 4;
 * no batch price. */
static const ac_price_var m_var[] = {
	V(AC_TIER_STANDARD, 0, N, N, N, N, 4.00, N, 40.00, 80.00),
	V(AC_TIER_STANDARD, 128000, 3.00, N, N, N, N, N, N, N),
	V(AC_TIER_STANDARD, 200000, 4.00, 12.00, 1.00, N, N, N, N, N),
	V(AC_TIER_PRIORITY, 0, 3.50, 14.00, 0.875, N, N, N, N, N),
	V(AC_TIER_PRIORITY, 200000, 7.00, N, N, N, N, N, N, N),
	V(AC_TIER_FLEX, 0, 1.00, 4.00, N, N, N, N, N, N),
};

static ac_price m_row(void)
{
	ac_price p = { AC_DAY_ALWAYS, 2.00, 8.00, 0.50, 2.50, N, N, N,
		       (int)(sizeof(m_var) / sizeof(m_var[0])), m_var };
	return p;
}

/* in 10,000 of which cache read 2,000, cache write 1,000 (400 of them 1h),
 * audio 500; out 3,000 of which reasoning 1,000, audio 200. */
static ac_tokens mixed(void)
{
	ac_tokens t = { 10000, 3000, 2000, 1000, 1000, 400, 500, 200, AC_CONV_AUTO };
	return t;
}

static void test_service_tier_values(void **state)
{
	(void)state;
	assert_int_equal(ac_service_tier(NULL), AC_TIER_STANDARD);
	assert_int_equal(ac_service_tier(""), AC_TIER_STANDARD);
	assert_int_equal(ac_service_tier("default"), AC_TIER_STANDARD);
	assert_int_equal(ac_service_tier("auto"), AC_TIER_STANDARD);
	assert_int_equal(ac_service_tier("scale"), AC_TIER_STANDARD);
	assert_int_equal(ac_service_tier("standard"), AC_TIER_STANDARD);
	assert_int_equal(ac_service_tier("flex"), AC_TIER_FLEX);
	assert_int_equal(ac_service_tier("Priority"), AC_TIER_PRIORITY);
	assert_int_equal(ac_service_tier("batch"), AC_TIER_BATCH);
	assert_int_equal(ac_service_tier("on_demand"), -1);
	assert_int_equal(ac_service_tier("flexible"), -1);
}

/* Standard tier, every kind of token, no context tier. */
static void test_standard_all_kinds(void **state)
{
	(void)state;
	ac_price p = m_row();
	ac_tokens t = mixed();
	int fb = -1;
	/* fresh 10000-2000-1000-500 = 6500 x 2     = 13000
	 * audio in 500 x 40                         = 20000
	 * cache read 2000 x 0.50                    =  1000
	 * 5-minute writes (1000-400) 600 x 2.50     =  1500
	 * 1-hour writes 400 x 4                     =  1600
	 * text out 3000-1000-200 = 1800 x 8         = 14400
	 * reasoning 1000 x 8 (no price: output's)   =  8000
	 * audio out 200 x 80                        = 16000
	 * total 75500 / 1e6 */
	expect_usd(ac_cost_llm_at(&p, &t, AC_TIER_STANDARD, 10000, &fb), 0.0755);
	assert_int_equal(fb, 0);
	expect_usd(ac_cost_llm(&p, &t), 0.0755);
	/* an unknown tier value is standard, not a fallback */
	expect_usd(ac_cost_llm_at(&p, &t, -1, 10000, &fb), 0.0755);
	assert_int_equal(fb, 0);
}

/* Priority: its own prices where present, standard ones for the rest. */
static void test_priority_tier(void **state)
{
	(void)state;
	ac_price p = m_row();
	ac_tokens t = mixed();
	int fb = -1;
	/* fresh 6500 x 3.50                     = 22750
	 * audio in 500 x 40 (standard's)         = 20000
	 * cache read 2000 x 0.875                =  1750
	 * 5-minute writes 600 x 2.50 (standard)  =  1500
	 * 1-hour writes 400 x 4 (standard)       =  1600
	 * text out 1800 x 14                     = 25200
	 * reasoning 1000 x 14 (priority output)  = 14000
	 * audio out 200 x 80                     = 16000
	 * total 102800 / 1e6 */
	expect_usd(ac_cost_llm_at(&p, &t, AC_TIER_PRIORITY, 10000, &fb), 0.1028);
	assert_int_equal(fb, 0);
}

/* The terms of the formula (ac_cost_llm_split, what export focus bills per
 * token kind): test_priority_tier's figures, one term each, in the formula's
 * order; the cost returned is ac_cost_llm_at's to the bit. */
static void test_split_terms(void **state)
{
	(void)state;
	ac_price p = m_row();
	ac_tokens t = mixed();
	ac_cost_split sp;
	static const struct {
		int kind;
		double tokens, per_mtok;
	} want[AC_PK_N] = {
		{ AC_PK_INPUT, 6500, 3.50 },       /* fresh 10000-2000-1000-500 */
		{ AC_PK_AUDIO_IN, 500, 40 },       /* standard's */
		{ AC_PK_CACHE_READ, 2000, 0.875 },
		{ AC_PK_CACHE_WRITE, 600, 2.50 },  /* 1000 - 400 1-hour, standard's */
		{ AC_PK_CACHE_WRITE_1H, 400, 4 },  /* standard's */
		{ AC_PK_OUTPUT, 1800, 14 },        /* 3000 - 1000 reasoning - 200 audio */
		{ AC_PK_REASONING, 1000, 14 },     /* no reasoning price: priority output */
		{ AC_PK_AUDIO_OUT, 200, 80 },
	};
	double usd = ac_cost_llm_split(&p, &t, AC_TIER_PRIORITY, 10000, &sp);
	double sum = 0;
	for (int i = 0; i < AC_PK_N; i++) {
		assert_int_equal(sp.term[i].kind, want[i].kind);
		expect_usd(sp.term[i].tokens, want[i].tokens);
		expect_usd(sp.term[i].per_mtok, want[i].per_mtok);
		sum += sp.term[i].tokens * sp.term[i].per_mtok / 1e6;
	}
	expect_usd(usd, 0.1028); /* 102800 / 1e6, test_priority_tier */
	expect_usd(sum, 0.1028);
	assert_true(usd == ac_cost_llm_at(&p, &t, AC_TIER_PRIORITY, 10000, NULL));
	assert_int_equal(sp.tier, AC_TIER_PRIORITY);
	assert_true(sp.above == 0);
	assert_int_equal(sp.fellback, 0);
	/* an unknown tier value (-1) is standard, not a fallback */
	expect_usd(ac_cost_llm_split(&p, &t, -1, 10000, &sp), 0.0755);
	assert_int_equal(sp.tier, AC_TIER_STANDARD);
	assert_int_equal(sp.fellback, 0);
	/* batch has no price: priced standard, said so */
	usd = ac_cost_llm_split(&p, &t, AC_TIER_BATCH, 10000, &sp);
	expect_usd(usd, 0.0755);
	assert_int_equal(sp.tier, AC_TIER_STANDARD);
	assert_int_equal(sp.fellback, 1);
	expect_usd(sp.term[0].per_mtok, 2);
	/* priority above 200k (test_tier_times_context): input at 7, cache read
	 * and output at the standard 200k prices 1 and 12 */
	ac_tokens c = { 250000, 1000, 50000, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	usd = ac_cost_llm_split(&p, &c, AC_TIER_PRIORITY, 250000, &sp);
	expect_usd(usd, 1.462);
	assert_true(sp.above == 200000);
	expect_usd(sp.term[0].tokens, 200000);
	expect_usd(sp.term[0].per_mtok, 7);
	expect_usd(sp.term[2].per_mtok, 1);
	expect_usd(sp.term[5].per_mtok, 12);
	assert_true(usd == ac_cost_llm_at(&p, &c, AC_TIER_PRIORITY, 250000, NULL));
}

/* Batch: the row has no batch price at all -> standard, counted. */
static void test_tier_fallback(void **state)
{
	(void)state;
	ac_price p = m_row();
	ac_tokens t = mixed();
	int fb = 0;
	expect_usd(ac_cost_llm_at(&p, &t, AC_TIER_BATCH, 10000, &fb), 0.0755);
	assert_int_equal(fb, 1);
	assert_int_equal(ac_price_has_tier(&p, AC_TIER_BATCH), 0);
	assert_int_equal(ac_price_has_tier(&p, AC_TIER_FLEX), 1);
	/* a row without variants: every non-standard tier falls back */
	ac_price plain = { AC_DAY_ALWAYS, 2.00, 8.00, N, N, N, N, N, 0, NULL };
	ac_tokens s = { 1000, 100, 0, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	/* 1000 x 2 + 100 x 8 = 2800 */
	expect_usd(ac_cost_llm_at(&plain, &s, AC_TIER_FLEX, 1000, &fb), 0.0028);
	assert_int_equal(fb, 1);
}

/* Context tiers: the highest threshold exceeded wins; "above" is strict. */
static void test_context_tiers(void **state)
{
	(void)state;
	ac_price p = m_row();
	int fb;
	ac_tokens a = { 128000, 0, 0, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	ac_tokens b = { 128001, 1000, 0, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	ac_tokens c = { 250000, 1000, 50000, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	assert_true(ac_price_context(&p, 128000) == 0);
	assert_true(ac_price_context(&p, 128001) == 128000);
	assert_true(ac_price_context(&p, 200000) == 128000);
	assert_true(ac_price_context(&p, 200001) == 200000);
	/* 128000 x 2 = 256000 */
	expect_usd(ac_cost_llm_at(&p, &a, AC_TIER_STANDARD, 128000, &fb), 0.256);
	/* 128001 x 3 + 1000 x 8 (no 128k output price) = 384003 + 8000 */
	expect_usd(ac_cost_llm_at(&p, &b, AC_TIER_STANDARD, 128001, &fb), 0.392003);
	/* above 200k: fresh 200000 x 4 + cache read 50000 x 1 + out 1000 x 12
	 * = 800000 + 50000 + 12000 = 862000 */
	expect_usd(ac_cost_llm_at(&p, &c, AC_TIER_STANDARD, 250000, &fb), 0.862);
	expect_usd(ac_cost_llm(&p, &c), 0.862);
}

/* Tier x context tier: tier + context, then context, then tier, then standard. */
static void test_tier_times_context(void **state)
{
	(void)state;
	ac_price p = m_row();
	int fb = -1;
	ac_tokens c = { 250000, 1000, 50000, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	/* priority above 200k: fresh 200000 x 7 (priority 200k)
	 * + cache read 50000 x 1 (standard 200k beats priority 0.875)
	 * + out 1000 x 12 (standard 200k beats priority 14)
	 * = 1400000 + 50000 + 12000 = 1462000 */
	expect_usd(ac_cost_llm_at(&p, &c, AC_TIER_PRIORITY, 250000, &fb), 1.462);
	assert_int_equal(fb, 0);
	/* flex above 200k: input 200000 x 4 + cache 50000 x 1 + out 1000 x 12
	 * (flex has no 200k prices; the context tier's standard ones win)
	 * = 800000 + 50000 + 12000 = 862000 */
	expect_usd(ac_cost_llm_at(&p, &c, AC_TIER_FLEX, 250000, &fb), 0.862);
	assert_int_equal(fb, 0);
	/* flex at 150k: input 150000 x 3 (standard 128k) + out 1000 x 4 (flex)
	 * = 450000 + 4000 */
	ac_tokens d = { 150000, 1000, 0, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	expect_usd(ac_cost_llm_at(&p, &d, AC_TIER_FLEX, 150000, &fb), 0.454);
	/* cache write above 200k: no price at any level for 200k -> base 2.50;
	 * 1h writes: standard base 4; 300000 in, 100000 written of which 40000 1h:
	 * fresh 200000 x 4 + 60000 x 2.50 + 40000 x 4 = 800000 + 150000 + 160000 */
	ac_tokens e = { 300000, 0, 0, 100000, 0, 40000, 0, 0, AC_CONV_AUTO };
	expect_usd(ac_cost_llm_at(&p, &e, AC_TIER_STANDARD, 300000, &fb), 1.11);
}

/* The fallbacks between kinds: 1h write -> cache write -> input; audio ->
 * text price. */
static void test_kind_fallbacks(void **state)
{
	(void)state;
	ac_price p = { AC_DAY_ALWAYS, 2.00, 8.00, N, 2.50, N, N, N, 0, NULL };
	ac_tokens t = { 1000, 500, 0, 300, 0, 100, 200, 100, AC_CONV_AUTO };
	int fb;
	/* fresh 1000-300-200 = 500 x 2 = 1000; audio in 200 x 2 = 400;
	 * 5m writes 200 x 2.50 = 500; 1h writes 100 x 2.50 = 250;
	 * text out 500-100 = 400 x 8 = 3200; audio out 100 x 8 = 800
	 * total 6150 */
	expect_usd(ac_cost_llm_at(&p, &t, AC_TIER_STANDARD, 1000, &fb), 0.00615);
	ac_price q = { AC_DAY_ALWAYS, 2.00, 8.00, N, N, N, N, N, 0, NULL };
	/* every input kind at 2: 1000 x 2 = 2000; output 500 x 8 = 4000 */
	expect_usd(ac_cost_llm_at(&q, &t, AC_TIER_STANDARD, 1000, &fb), 0.006);
	/* the 1h part is at most the writes: 1h 500 of 300 writes counts 300 */
	ac_tokens u = { 1000, 0, 0, 300, 0, 500, 0, 0, AC_CONV_AUTO };
	/* fresh 700 x 2 + 300 x 2.50 (1h falls back to the write price) = 1400 + 750 */
	expect_usd(ac_cost_llm_at(&p, &u, AC_TIER_STANDARD, 1000, &fb), 0.00215);
}

/* Old rows (above-200k columns only) price as before. */
static void test_legacy_above_200k(void **state)
{
	(void)state;
	ac_price p = { AC_DAY_ALWAYS, 3.00, 15.00, 0.30, 3.75, N, 6.00, 22.50, 0, NULL };
	ac_tokens t = { 210000, 1000, 10000, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	int fb;
	/* fresh 200000 x 6 + 10000 x 0.30 + 1000 x 22.50 = 1200000 + 3000 + 22500 */
	expect_usd(ac_cost_llm_at(&p, &t, AC_TIER_STANDARD, 210000, &fb), 1.2255);
	expect_usd(ac_cost_llm_tier(&p, &t, 1), 1.2255);
	/* below: 200000 x 3 + 3000 + 1000 x 15 = 600000 + 3000 + 15000 */
	expect_usd(ac_cost_llm_tier(&p, &t, 0), 0.618);
}

/* A price change inside the window: the row in force on each day, with
 * the tier prices of that row. */
static void test_price_change_in_window(void **state)
{
	(void)state;
	int64_t d1, d2;
	assert_int_equal(ac_date_parse("2025-03-01", &d1), 0);
	assert_int_equal(ac_date_parse("2025-04-01", &d2), 0);
	static const ac_price_var old_var[] = { V(AC_TIER_PRIORITY, 0, 5.00, 20.00, N, N, N, N, N, N) };
	static const ac_price_var new_var[] = { V(AC_TIER_PRIORITY, 0, 4.00, 16.00, N, N, N, N, N, N) };
	ac_price rows[2] = {
		{ d1, 2.00, 8.00, N, N, N, N, N, 1, old_var },
		{ d2, 1.50, 6.00, N, N, N, N, N, 1, new_var },
	};
	ac_tokens t = { 1000, 1000, 0, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	int fb;
	const ac_price *march = ac_price_in_force(rows, 2, d2 - 1);
	const ac_price *april = ac_price_in_force(rows, 2, d2);
	assert_ptr_equal(march, &rows[0]);
	assert_ptr_equal(april, &rows[1]);
	/* March priority: 1000 x 5 + 1000 x 20 = 25000; April: 4000 + 16000 */
	expect_usd(ac_cost_llm_at(march, &t, AC_TIER_PRIORITY, 1000, &fb), 0.025);
	expect_usd(ac_cost_llm_at(april, &t, AC_TIER_PRIORITY, 1000, &fb), 0.020);
	/* standard: 1000 x 2 + 1000 x 8 = 10000; April 1500 + 6000 */
	expect_usd(ac_cost_llm_at(march, &t, AC_TIER_STANDARD, 1000, &fb), 0.010);
	expect_usd(ac_cost_llm_at(april, &t, AC_TIER_STANDARD, 1000, &fb), 0.0075);
	assert_null(ac_price_in_force(rows, 2, d1 - 1));
}

/* gemini-1.5 is back in the built-in table with its 128k tier. */
static void test_builtin_gemini_15(void **state)
{
	(void)state;
	ac_pricebook *pb = NULL;
	ac_err err = AC_ERR_INIT;
	const ac_price *rows;
	assert_int_equal(ac_pricebook_load(&pb, NULL, &err), 0);
	assert_int_equal(ac_pricebook_model(pb, "gemini-1.5-pro", &rows, NULL, NULL), 1);
	ac_tokens small = { 100000, 1000, 20000, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	ac_tokens big = { 150000, 1000, 20000, 0, 0, 0, 0, 0, AC_CONV_AUTO };
	/* 80000 x 1.25 + 20000 x 0.3125 + 1000 x 5 = 100000 + 6250 + 5000 */
	expect_usd(ac_cost_llm(&rows[0], &small), 0.11125);
	/* 130000 x 2.50 + 20000 x 0.625 + 1000 x 10 = 325000 + 12500 + 10000 */
	expect_usd(ac_cost_llm(&rows[0], &big), 0.3475);
	assert_int_equal(ac_pricebook_model(pb, "gemini-1.5-flash", &rows, NULL, NULL), 1);
	/* 130000 x 0.15 + 20000 x 0.0375 + 1000 x 0.60 = 19500 + 750 + 600 */
	expect_usd(ac_cost_llm(&rows[0], &big), 0.02085);
	ac_pricebook_free(pb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service_tier_values),
		cmocka_unit_test(test_standard_all_kinds),
		cmocka_unit_test(test_priority_tier),
		cmocka_unit_test(test_split_terms),
		cmocka_unit_test(test_tier_fallback),
		cmocka_unit_test(test_context_tiers),
		cmocka_unit_test(test_tier_times_context),
		cmocka_unit_test(test_kind_fallbacks),
		cmocka_unit_test(test_legacy_above_200k),
		cmocka_unit_test(test_price_change_in_window),
		cmocka_unit_test(test_builtin_gemini_15),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
