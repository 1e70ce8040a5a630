/*
 * Unit tests for src/analysis/models.c's figures of a row against the
 * previous window (ac_models_change_of), worked out by hand.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/models.h"

/*
 * Row 1: 10 calls for $3 now, 4 calls for $1 before; 0/1 scores 4 of 5 now
 * (0.8), 2 of 4 before (0.5): calls change 10 - 4 = 6, cost 3 - 1 = 2,
 * accuracy 0.8 - 0.5 = 0.3. Cost per call now 3 / 10 = 0.3, its share of
 * the window's $6 is 3 / 6 = 0.5.
 * Row 2: no score before: the accuracy change is undefined (NAN).
 */
static void test_change(void **state)
{
	(void)state;
	ac_models_row v[2];
	memset(v, 0, sizeof(v));
	v[0].calls[0] = 10;
	v[0].calls[1] = 4;
	v[0].cost[0] = 3;
	v[0].cost[1] = 1;
	v[0].sc[0] = (ac_score_sums){ 5, 0, 4, 4 };
	v[0].sc[1] = (ac_score_sums){ 4, 0, 2, 2 };
	v[1].calls[0] = 2;
	v[1].cost[0] = 3;
	v[1].sc[0] = (ac_score_sums){ 2, 0, 1, 1 };
	ac_models_result r;
	memset(&r, 0, sizeof(r));
	r.v = v;
	r.n = 2;
	r.total_cost = 6;
	ac_models_change ch;
	ac_models_change_of(&ch, &r, &v[0]);
	assert_int_equal(ch.calls, 6);
	assert_true(fabs(ch.cost - 2) < 1e-15);
	assert_true(fabs(ch.now.acc.mean - 0.8) < 1e-15);
	assert_true(fabs(ch.prev.acc.mean - 0.5) < 1e-15);
	assert_true(fabs(ch.accuracy - 0.3) < 1e-12);
	assert_true(fabs(ch.now.cost_per_call - 0.3) < 1e-15);
	assert_true(fabs(ch.now.cost_share - 0.5) < 1e-15);
	assert_true(isnan(ch.prev.cost_share)); /* a share of the window only */
	ac_models_change_of(&ch, &r, &v[1]);
	assert_int_equal(ch.calls, 2);
	assert_true(isnan(ch.prev.acc.mean));
	assert_true(isnan(ch.accuracy));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
