/*
 * Unit tests for src/analysis/models.c's figures of a row against the
 * previous window (ac_models_change_of), worked out by hand.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

/*
 * The row filler (ac_models_table_fill), columns chosen by name: one row of
 * 8 calls for $2 in a window of $8: cost_share 2 / 8 = 0.25, cost_per_call
 * 2 / 8 = 0.25; no score: accuracy null; prev_calls 3 as set; an unknown
 * name is a null cell. Shown as AC_CELL_INT, the cost 2 is the integer 2
 * (CSV "2" either way) and the shares stay full values in CSV.
 */
static void test_table_fill(void **state)
{
	(void)state;
	ac_models_row v;
	memset(&v, 0, sizeof(v));
	v.model = "m1";
	v.calls[0] = 8;
	v.calls[1] = 3;
	v.cost[0] = 2;
	ac_models_result r;
	memset(&r, 0, sizeof(r));
	r.v = &v;
	r.n = 1;
	r.total_cost = 8;
	static const char *const names[] = { "model",         "calls",    "prev_calls", "cost_share",
		                             "cost_per_call", "accuracy", "no_such" };
	static const ac_cell_type shows[] = { AC_CELL_TEXT,  AC_CELL_INT,   AC_CELL_INT,
		                              AC_CELL_SHARE, AC_CELL_SHARE, AC_CELL_SHARE,
		                              AC_CELL_NUM };
	const ac_cell_type *const each[] = { NULL, shows };
	for (int k = 0; k < 2; k++) {
		ac_table *t = ac_table_new(names, NULL, 7);
		assert_non_null(t);
		ac_models_table_fill(t, &r, names, each[k], 7);
		assert_int_equal(ac_table_rows(t), 1);
		char *data = NULL;
		size_t n = 0;
		FILE *fp = open_memstream(&data, &n);
		assert_non_null(fp);
		ac_table_write_csv(fp, t);
		fclose(fp);
		assert_string_equal(data, "model,calls,prev_calls,cost_share,cost_per_call,accuracy,"
		                          "no_such\nm1,8,3,0.25,0.25,,\n");
		free(data);
		ac_table_free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_change),
		cmocka_unit_test(test_table_fill),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
