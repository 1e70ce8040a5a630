/*
 * Unit tests of the call packing (src/tasks/callpack.h): a task's LLM call
 * groups packed into one blob (table task_calls), and the prompt buckets
 * the groups never straddle (AC_PROMPT_BOUNDS).
 *
 * - the format-2 bytes of one group written out by hand (zigzag LEB128
 *   varints, then the cost as a little-endian IEEE double);
 * - encode / decode round trips of every field at 0, 1, -1, token counts
 *   around 100,000,000 (the largest count a span may carry), INT64_MIN /
 *   INT64_MAX (the widest varint, 10 bytes), and a thousand groups;
 * - format 1 (ten integers, grp 0 / 1) read as bucket 0 / the bucket above
 *   200,000;
 * - damaged blobs: every truncation of a valid blob, a varint that never
 *   ends, an unknown format byte, an empty blob. Each is copied into a
 *   buffer of exactly its length, so a read past the end is caught by ASan
 *   (build-asan).
 * - ac_prompt_bucket / ac_bucket_prompt at, below and above every threshold:
 *   a prompt exactly at a threshold is not above it.
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

#include "tasks/callpack.h"

/* Every field of two groups equal; the cost bit for bit (NaN included). */
static void assert_group_eq(const ac_call_group *a, const ac_call_group *b)
{
	assert_int_equal(a->complexity, b->complexity);
	assert_int_equal(a->model, b->model);
	assert_int_equal(a->day, b->day);
	assert_int_equal(a->grp, b->grp);
	assert_int_equal(a->calls, b->calls);
	assert_int_equal(a->tin, b->tin);
	assert_int_equal(a->tout, b->tout);
	assert_int_equal(a->tcr, b->tcr);
	assert_int_equal(a->tcw, b->tcw);
	assert_int_equal(a->trs, b->trs);
	assert_int_equal(a->tcw1h, b->tcw1h);
	assert_int_equal(a->tain, b->tain);
	assert_int_equal(a->taout, b->taout);
	assert_int_equal(a->tier, b->tier);
	assert_memory_equal(&a->cost, &b->cost, sizeof(double));
}

/* A copy of p[0..len) in a heap block of exactly len bytes (1 when len is
 * 0, never read), so ASan reports a read past the end. */
static unsigned char *exact(const unsigned char *p, size_t len)
{
	unsigned char *q = malloc(len ? len : 1);
	assert_non_null(q);
	if (len)
		memcpy(q, p, len);
	return q;
}

/* Encode n groups, decode them back from an exactly sized copy. */
static void round_trip(const ac_call_group *g, size_t n)
{
	unsigned char *buf = malloc(1 + n * AC_CALLPACK_GROUP_MAX);
	assert_non_null(buf);
	size_t len = ac_callpack_encode(g, n, buf);
	assert_true(len >= 1 && len <= 1 + n * AC_CALLPACK_GROUP_MAX);
	unsigned char *p = exact(buf, len);
	free(buf);
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		ac_call_group d;
		memset(&d, 0xa5, sizeof(d));
		assert_int_equal(ac_callpack_next(p, len, &at, &d), 1);
		assert_group_eq(&d, &g[i]);
	}
	ac_call_group d;
	assert_int_equal(ac_callpack_next(p, len, &at, &d), 0);
	assert_int_equal(at, len);
	/* the end stays the end */
	assert_int_equal(ac_callpack_next(p, len, &at, &d), 0);
	free(p);
}

/* Format 2, one group, byte by byte.
 * Fields: complexity 1, model 2, day 20240, grp 3, calls 1, tin 64,
 * tout -1, tcr 0, tcw 0, trs 0, tcw1h 0, tain 0, taout 0, tier 2; cost 1.0.
 * zigzag(v) = 2v for v >= 0, -2v - 1 for v < 0:
 *   1 -> 2 (02); 2 -> 4 (04); 3 -> 6 (06); 1 -> 02; 2 -> 04 (tier);
 *   64 -> 128 = 0x80: LEB128 low 7 bits 0 with the continuation bit (80),
 *         then 128 >> 7 = 1 (01);
 *   -1 -> 1 (01); 0 -> 00;
 *   20240 -> 40480 = 316 * 128 + 32: A0 (32 | 0x80), then 316 = 2 * 128 + 60:
 *         BC (60 | 0x80), then 02. Check: 32 + 60 * 128 + 2 * 16384 = 40480.
 * cost 1.0 = 0x3FF0000000000000, little-endian: 00 00 00 00 00 00 F0 3F. */
static void test_encode_bytes(void **state)
{
	(void)state;
	ac_call_group g = { .complexity = 1, .model = 2, .day = 20240, .grp = 3, .calls = 1,
		            .tin = 64, .tout = -1, .cost = 1.0, .tier = 2 };
	static const unsigned char want[] = {
		0x02,                                           /* format */
		0x02, 0x04, 0xA0, 0xBC, 0x02, 0x06, 0x02,       /* complexity model day grp calls */
		0x80, 0x01, 0x01, 0x00, 0x00, 0x00,             /* tin tout tcr tcw trs */
		0x00, 0x00, 0x00, 0x04,                         /* tcw1h tain taout tier */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F, /* cost */
	};
	unsigned char out[1 + AC_CALLPACK_GROUP_MAX];
	size_t len = ac_callpack_encode(&g, 1, out);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	round_trip(&g, 1);
	/* no groups: the format byte alone, which reads as the end */
	assert_int_equal(ac_callpack_encode(NULL, 0, out), 1);
	assert_int_equal(out[0], AC_CALLPACK_FORMAT);
	round_trip(NULL, 0);
}

/* Every field at 0, at a large token count, and at the int64 extremes. */
static void test_round_trip_extremes(void **state)
{
	(void)state;
	const int64_t vals[] = { 0,         1,         -1,       63,       64,
		                 127,       128,       99999999, 100000000, 100000001,
		                 INT64_MAX, INT64_MIN, (int64_t)1 << 40, AC_GRP_SINGLE };
	const double costs[] = { 0.0, -0.0, 1e-12, 1234.5678, 1e300, INFINITY, NAN };
	size_t nv = sizeof(vals) / sizeof(vals[0]), nc = sizeof(costs) / sizeof(costs[0]);
	/* one group per value, every field holding it */
	ac_call_group g[sizeof(vals) / sizeof(vals[0])];
	for (size_t i = 0; i < nv; i++) {
		int64_t v = vals[i];
		g[i] = (ac_call_group){ v, v, v, v, v, v, v, v, v, v, costs[i % nc], v, v, v, v };
	}
	round_trip(g, nv);
	/* INT64_MIN zigzags to 2^64 - 1: ten bytes a field, the most a group
	 * takes: 14 * 10 + 8 = AC_CALLPACK_GROUP_MAX */
	unsigned char out[1 + AC_CALLPACK_GROUP_MAX];
	for (size_t i = 0; i < nv; i++)
		if (vals[i] == INT64_MIN)
			assert_int_equal(ac_callpack_encode(&g[i], 1, out), 1 + 14 * 10 + 8);
	/* 100,000,000 zigzags to 200,000,000 < 2^28: four bytes a field
	 * (2^21 <= 200,000,000 < 2^28), so 14 * 4 + 8 bytes a group */
	ac_call_group big = { 100000000, 100000000, 100000000, 100000000, 100000000,
		              100000000, 100000000, 100000000, 100000000, 100000000,
		              2.5,       100000000, 100000000, 100000000, 100000000 };
	assert_int_equal(ac_callpack_encode(&big, 1, out), 1 + 14 * 4 + 8);
	round_trip(&big, 1);
	/* each field alone, so a field read into the wrong slot shows */
	for (int f = 0; f < 15; f++) {
		ac_call_group one;
		memset(&one, 0, sizeof(one));
		int64_t *ints[14] = { &one.complexity, &one.model, &one.day,   &one.grp,
			              &one.calls,      &one.tin,   &one.tout,  &one.tcr,
			              &one.tcw,        &one.trs,   &one.tcw1h, &one.tain,
			              &one.taout,      &one.tier };
		if (f < 14)
			*ints[f] = 99999999 - f;
		else
			one.cost = 0.125;
		round_trip(&one, 1);
	}
}

/* A thousand groups of pseudo-random values (a fixed LCG: the same every
 * run), token counts up to 100,000,000. */
static void test_round_trip_many(void **state)
{
	(void)state;
	enum { N = 1000 };
	ac_call_group *g = calloc(N, sizeof(*g));
	assert_non_null(g);
	uint64_t x = 12345;
#define NEXT() (x = x * 6364136223846793005ULL + 1442695040888963407ULL, (int64_t)(x >> 33))
	for (size_t i = 0; i < N; i++) {
		g[i].complexity = NEXT() % 4;
		g[i].model = NEXT() % 5000;
		g[i].day = 19000 + NEXT() % 2000;
		g[i].grp = i % 7 == 0 ? AC_GRP_SINGLE + NEXT() : NEXT() % 64;
		g[i].calls = 1 + NEXT() % 100000;
		g[i].tin = NEXT() % 100000001;
		g[i].tout = NEXT() % 100000001;
		g[i].tcr = NEXT() % 100000001;
		g[i].tcw = NEXT() % 100000001;
		g[i].trs = NEXT() % 100000001;
		g[i].tcw1h = NEXT() % 100000001;
		g[i].tain = NEXT() % 100000001;
		g[i].taout = NEXT() % 100000001;
		g[i].tier = NEXT() % 4;
		g[i].cost = (double)NEXT() / 1024.0;
	}
#undef NEXT
	round_trip(g, N);
	free(g);
}

/* Format 1 (before schema 8): ten integers and the cost; grp 0 means calls
 * of at most 200,000 input tokens (bucket 0), grp 1 more (the bucket above
 * 200,000: 200,001 exceeds 32k, 128k and 200k, bucket 3); another grp (a
 * span id) is kept; the four format-2 fields read as 0 (standard tier). */
static void test_format1(void **state)
{
	(void)state;
	/* complexity 1 (02), model 2 (04), day 3 (06), grp 1 (02), calls 5 (0A),
	 * tin 100 (200 = C8 01), tout 7 (0E), tcr 0, tcw 0, trs 1 (02), cost 0.5
	 * (0x3FE0000000000000) */
	static const unsigned char blob[] = { 0x01, 0x02, 0x04, 0x06, 0x02, 0x0A, 0xC8, 0x01,
		                              0x0E, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
		                              0x00, 0x00, 0xE0, 0x3F,
		                              /* a second group, grp 0 -> bucket 0 */
		                              0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
		                              0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		                              0x00, 0x00,
		                              /* a third, grp 2^24 (a span id): 2^25 zigzag,
		                               * LEB128 80 80 80 10 */
		                              0x00, 0x00, 0x00, 0x80, 0x80, 0x80, 0x10, 0x02,
		                              0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		                              0x00, 0x00, 0x00, 0x00, 0x00 };
	unsigned char *p = exact(blob, sizeof(blob));
	size_t at = 0;
	ac_call_group g;
	memset(&g, 0x5a, sizeof(g));
	assert_int_equal(ac_callpack_next(p, sizeof(blob), &at, &g), 1);
	ac_call_group want = { 1, 2, 3, 3, 5, 100, 7, 0, 0, 1, 0.5, 0, 0, 0, 0 };
	assert_group_eq(&g, &want);
	memset(&g, 0x5a, sizeof(g));
	assert_int_equal(ac_callpack_next(p, sizeof(blob), &at, &g), 1);
	ac_call_group want2 = { 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0.0, 0, 0, 0, 0 };
	assert_group_eq(&g, &want2);
	memset(&g, 0x5a, sizeof(g));
	assert_int_equal(ac_callpack_next(p, sizeof(blob), &at, &g), 1);
	ac_call_group want3 = { 0, 0, 0, AC_GRP_SINGLE, 1, 0, 0, 0, 0, 0, 0.0, 0, 0, 0, 0 };
	assert_group_eq(&g, &want3);
	assert_int_equal(ac_callpack_next(p, sizeof(blob), &at, &g), 0);
	assert_int_equal(at, sizeof(blob));
	free(p);
}

/* Every truncation of a valid blob is an error (or, cut right after the
 * format byte or between groups, a clean end), never a read past its end. */
static void test_truncated(void **state)
{
	(void)state;
	ac_call_group g[2] = {
		{ 1, 2, 20240, AC_GRP_SINGLE + 77, 3, 100000000, 99999999, 12345, 678, 90, 0.75,
		  INT64_MAX, INT64_MIN, -5, 3 },
		{ 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1e-9, 0, 0, 0, 0 },
	};
	unsigned char full[1 + 2 * AC_CALLPACK_GROUP_MAX];
	size_t len = ac_callpack_encode(g, 2, full);
	size_t len1 = ac_callpack_encode(g, 1, (unsigned char[1 + AC_CALLPACK_GROUP_MAX]){ 0 });
	for (size_t cut = 0; cut < len; cut++) {
		unsigned char *p = exact(full, cut);
		size_t at = 0;
		ac_call_group d;
		int rc, n = 0;
		while ((rc = ac_callpack_next(p, cut, &at, &d)) == 1)
			n++;
		assert_true(at <= cut);
		if (cut == 0) {
			assert_int_equal(rc, -1); /* no format byte */
		} else if (cut == 1) {
			assert_int_equal(rc, 0);
			assert_int_equal(n, 0);
		} else if (cut == len1) {
			assert_int_equal(rc, 0); /* a whole first group */
			assert_int_equal(n, 1);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(n, cut > len1 ? 1 : 0);
		}
		free(p);
	}
}

/* Damage other than truncation. */
static void test_corrupt(void **state)
{
	(void)state;
	ac_call_group d;
	size_t at;
	/* unknown formats */
	for (int f = 0; f < 256; f++) {
		if (f == 1 || f == 2)
			continue;
		unsigned char b = (unsigned char)f;
		unsigned char *p = exact(&b, 1);
		at = 0;
		assert_int_equal(ac_callpack_next(p, 1, &at, &d), -1);
		free(p);
	}
	/* a varint that never ends: eleven continuation bytes (a 64-bit value
	 * takes at most ten), then nothing */
	unsigned char cont[12];
	cont[0] = 2;
	memset(cont + 1, 0x80, 11);
	unsigned char *p = exact(cont, sizeof(cont));
	at = 0;
	assert_int_equal(ac_callpack_next(p, sizeof(cont), &at, &d), -1);
	assert_true(at <= sizeof(cont));
	free(p);
	/* continuation bytes to the very end */
	for (size_t n = 2; n <= 12; n++) {
		p = exact(cont, n);
		at = 0;
		assert_int_equal(ac_callpack_next(p, n, &at, &d), -1);
		assert_true(at <= n);
		free(p);
	}
	/* fourteen whole varints but only seven bytes of the cost */
	unsigned char shortcost[1 + 14 + 7];
	memset(shortcost, 0, sizeof(shortcost));
	shortcost[0] = 2;
	p = exact(shortcost, sizeof(shortcost));
	at = 0;
	assert_int_equal(ac_callpack_next(p, sizeof(shortcost), &at, &d), -1);
	free(p);
	/* ... and with the eighth byte it is a group of zeros */
	unsigned char zeros[1 + 14 + 8];
	memset(zeros, 0, sizeof(zeros));
	zeros[0] = 2;
	p = exact(zeros, sizeof(zeros));
	at = 0;
	assert_int_equal(ac_callpack_next(p, sizeof(zeros), &at, &d), 1);
	ac_call_group z;
	memset(&z, 0, sizeof(z));
	assert_group_eq(&d, &z);
	assert_int_equal(ac_callpack_next(p, sizeof(zeros), &at, &d), 0);
	free(p);
}

/* The bucket is how many of 32,000, 128,000, 200,000, 256,000 and 272,000
 * the prompt exceeds: at a threshold it is not above it. */
static void test_prompt_bucket(void **state)
{
	(void)state;
	static const int64_t want_bounds[AC_PROMPT_NBOUNDS] = { 32000, 128000, 200000, 256000,
		                                                272000 };
	assert_memory_equal(AC_PROMPT_BOUNDS, want_bounds, sizeof(want_bounds));
	static const struct {
		int64_t prompt;
		int bucket;
	} cases[] = {
		{ INT64_MIN, 0 }, { -1, 0 },     { 0, 0 },      { 1, 0 },
		{ 31999, 0 },     { 32000, 0 },  { 32001, 1 },  { 127999, 1 },
		{ 128000, 1 },    { 128001, 2 }, { 199999, 2 }, { 200000, 2 },
		{ 200001, 3 },    { 255999, 3 }, { 256000, 3 }, { 256001, 4 },
		{ 271999, 4 },    { 272000, 4 }, { 272001, 5 }, { 100000000, 5 },
		{ INT64_MAX, 5 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int b = ac_prompt_bucket(cases[i].prompt);
		if (b != cases[i].bucket)
			fail_msg("ac_prompt_bucket(%lld) = %d, expected %d", (long long)cases[i].prompt,
			         b, cases[i].bucket);
	}
}

/* The least prompt of each bucket: 0, then each threshold + 1; out of range
 * clamps to 0 below and to the last bucket above. */
static void test_bucket_prompt(void **state)
{
	(void)state;
	static const struct {
		int b;
		int64_t prompt;
	} cases[] = {
		{ -100, 0 },    { -1, 0 },      { 0, 0 },       { 1, 32001 },   { 2, 128001 },
		{ 3, 200001 },  { 4, 256001 },  { 5, 272001 },  { 6, 272001 },  { 1000, 272001 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t p = ac_bucket_prompt(cases[i].b);
		if (p != cases[i].prompt)
			fail_msg("ac_bucket_prompt(%d) = %lld, expected %lld", cases[i].b, (long long)p,
			         (long long)cases[i].prompt);
	}
	/* each bucket's least prompt is in it, one token less in the one below */
	for (int b = 0; b <= AC_PROMPT_NBOUNDS; b++) {
		assert_int_equal(ac_prompt_bucket(ac_bucket_prompt(b)), b);
		if (b > 0)
			assert_int_equal(ac_prompt_bucket(ac_bucket_prompt(b) - 1), b - 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_bytes),     cmocka_unit_test(test_round_trip_extremes),
		cmocka_unit_test(test_round_trip_many),  cmocka_unit_test(test_format1),
		cmocka_unit_test(test_truncated),        cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_prompt_bucket),    cmocka_unit_test(test_bucket_prompt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
