/*
 * Unit tests of the trace assembly buffer (src/ingest/hold.h): blobs come
 * back in arrival order, per trace; the table keeps finding every held trace
 * through any sequence of inserts and removals (checked against a plain
 * array, the independent reference); the done ring forgets exactly its
 * oldest; what is due follows the budget, the quiet time and the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/hold.h"

static void tid_of(uint64_t n, uint8_t tid[16])
{
	memset(tid, 0, 16);
	memcpy(tid + 8, &n, 8); /* ids alike in their first half, like a bad producer's */
}

typedef struct got {
	char text[256];
	int calls;
} got;

static int collect(const void *blob, size_t n, void *payload)
{
	got *g = payload;
	strncat(g->text, blob, n);
	strcat(g->text, "|");
	g->calls++;
	return 0;
}

static void test_order_and_done(void **state)
{
	(void)state;
	ac_hold *h = ac_hold_new(1 << 20);
	assert_non_null(h);
	uint8_t a[16], b[16];
	tid_of(1, a);
	tid_of(2, b);
	assert_int_equal(ac_hold_add(h, a, 100, "a1", 2), 0);
	assert_int_equal(ac_hold_add(h, b, 150, "b1", 2), 0);
	assert_int_equal(ac_hold_add(h, a, 200, "a2", 2), 0);
	assert_int_equal(ac_hold_traces(h), 2);
	assert_true(ac_hold_has(h, a));
	assert_false(ac_hold_is_done(h, a));
	got g = { "", 0 };
	assert_int_equal(ac_hold_take(h, a, collect, &g), 0);
	assert_string_equal(g.text, "a1|a2|");
	assert_int_equal(g.calls, 2);
	assert_false(ac_hold_has(h, a));
	assert_true(ac_hold_is_done(h, a));
	assert_true(ac_hold_has(h, b));
	assert_int_equal(ac_hold_traces(h), 1);
	/* taking a trace never held marks it done, calls nothing */
	uint8_t c[16];
	tid_of(3, c);
	g = (got){ "", 0 };
	assert_int_equal(ac_hold_take(h, c, collect, &g), 0);
	assert_int_equal(g.calls, 0);
	assert_true(ac_hold_is_done(h, c));
	ac_hold_free(h);
}

/* 200,000 random operations against a plain array of what is held. */
static void test_table_against_reference(void **state)
{
	(void)state;
	enum { N = 5000, OPS = 200000 };
	ac_hold *h = ac_hold_new((size_t)1 << 40);
	assert_non_null(h);
	static unsigned char ref[N];
	memset(ref, 0, sizeof(ref));
	uint64_t x = 88172645463325252ULL;
	size_t nheld = 0;
	for (int op = 0; op < OPS; op++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint64_t k = x % N;
		uint8_t t[16];
		tid_of(k, t);
		if ((x >> 32) % 3) {
			assert_int_equal(ac_hold_add(h, t, (int64_t)op, "s", 1), 0);
			nheld += !ref[k];
			ref[k] = 1;
		} else {
			got g = { "", 0 };
			assert_int_equal(ac_hold_take(h, t, collect, &g), 0);
			assert_int_equal(g.calls > 0, ref[k]);
			nheld -= ref[k];
			ref[k] = 0;
		}
		if (op % 20000 == 0 || op == OPS - 1) {
			for (uint64_t i = 0; i < N; i++) {
				uint8_t u[16];
				tid_of(i, u);
				assert_int_equal(ac_hold_has(h, u), ref[i]);
			}
			assert_int_equal(ac_hold_traces(h), nheld);
		}
	}
	ac_hold_free(h);
}

static void test_done_ring_forgets_oldest(void **state)
{
	(void)state;
	ac_hold *h = ac_hold_new(1 << 20);
	assert_non_null(h);
	uint8_t t[16];
	for (uint64_t i = 0; i < AC_HOLD_DONE + 10; i++) {
		tid_of(i, t);
		ac_hold_mark_done(h, t);
	}
	for (uint64_t i = 0; i < AC_HOLD_DONE + 10; i++) {
		tid_of(i, t);
		assert_int_equal(ac_hold_is_done(h, t), i >= 10);
	}
	ac_hold_free(h);
}

static void test_due(void **state)
{
	(void)state;
	const int64_t min = 60LL * 1000000000LL;
	ac_hold *h = ac_hold_new(1 << 20);
	assert_non_null(h);
	uint8_t a[16], b[16], t[16];
	tid_of(1, a);
	tid_of(2, b);
	ac_hold_add(h, a, 0, "a", 1);        /* fed first, ended at 0 */
	ac_hold_add(h, b, 11 * min, "b", 1); /* fed second, ended at 11 min */
	/* 10 minutes after a's last end: not yet quiet (strictly before now - 10 min) */
	assert_int_equal(ac_hold_due(h, 10 * min, 0, t), 0);
	assert_int_equal(ac_hold_due(h, 10 * min + 1, 0, t), 1);
	assert_memory_equal(t, a, 16);
	/* feeding a again makes b the least recently fed */
	ac_hold_add(h, a, 12 * min, "a", 1);
	assert_int_equal(ac_hold_due(h, 21 * min, 0, t), 0);
	assert_int_equal(ac_hold_due(h, 21 * min + 1, 0, t), 1);
	assert_memory_equal(t, b, 16);
	/* the end takes anything */
	assert_int_equal(ac_hold_due(h, 0, 1, t), 1);
	ac_hold_free(h);

	/* over the budget: the least recently fed goes, quiet or not */
	h = ac_hold_new(1500);
	assert_non_null(h);
	ac_hold_add(h, a, 0, "a", 1);
	assert_int_equal(ac_hold_due(h, 0, 0, t), 0); /* one 1 KiB buffer: under 1500 */
	ac_hold_add(h, b, 0, "b", 1);                 /* two: over */
	assert_true(ac_hold_bytes(h) > 1500);
	assert_int_equal(ac_hold_due(h, 0, 0, t), 1);
	assert_memory_equal(t, a, 16);
	got g = { "", 0 };
	ac_hold_take(h, a, collect, &g);
	assert_int_equal(ac_hold_due(h, 0, 0, t), 0);
	ac_hold_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_done),
		cmocka_unit_test(test_table_against_reference),
		cmocka_unit_test(test_done_ring_forgets_oldest),
		cmocka_unit_test(test_due),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
