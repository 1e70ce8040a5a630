/*
 * Unit tests of ac_recommend_table_fill (src/router/recommend.c), the one
 * filler of the recommendation's class table for `agentcost recommend` and
 * the weekly report: every column name maps to its field, an unknown name is
 * a null cell, calls and calls_moved are the same field, an accuracy without
 * scores (NAN) is null, and shows[k] says how a report shows a number. The
 * recommendation is built by hand; expected cells are written out below from
 * the rules in router.h and util/table.h.
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

#include "router/router.h"
#include "util/table.h"

/* Two classes: qa/simple moved from gpt-4o to gpt-4o-mini (7 of its 10 calls),
 * code/complex kept on claude (no recommended scores). */
static void two_classes(ac_recommendation *r, ac_recommend_class c[2])
{
	memset(r, 0, sizeof(*r));
	memset(c, 0, 2 * sizeof(*c));
	c[0].task_type = "qa";
	c[0].complexity = "simple";
	c[0].current_model = "gpt-4o";
	c[0].recommended_model = (char *)"gpt-4o-mini";
	c[0].moved = 1;
	snprintf(c[0].reason, sizeof(c[0].reason), "=within tolerance");
	c[0].class_calls = 10;
	c[0].calls = 7;
	c[0].current = (ac_accuracy){ 0.9, 10, 0.6, 0.98, 1 };
	c[0].recommended = (ac_accuracy){ 0.875, 8, 0.5, 0.97, 1 };
	c[0].current_cost = 1.5;
	c[0].recommended_cost = 0.25;
	c[0].monthly_savings = 37.5;
	c[1].task_type = "code";
	c[1].complexity = NULL;
	c[1].current_model = "claude";
	c[1].recommended_model = (char *)"claude";
	c[1].moved = 0;
	c[1].class_calls = 4;
	c[1].calls = 0;
	c[1].current = (ac_accuracy){ 0.5, 4, 0.1, 0.9, 0 };
	c[1].recommended = (ac_accuracy){ NAN, 0, NAN, NAN, 0 };
	c[1].current_cost = 2;
	c[1].recommended_cost = 2;
	c[1].monthly_savings = 0;
	r->classes = c;
	r->nclasses = 2;
}

static char *csv_of(const ac_table *t)
{
	char *data = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&data, &n);
	assert_non_null(fp);
	ac_table_write_csv(fp, t);
	fclose(fp);
	return data;
}

/*
 * Every field by name, plain numbers (the command's call: shows NULL). CSV
 * writes numbers in full (%.12g), nulls empty, and guards the text cell
 * "=within tolerance" with a leading '. Row 1: qa, simple, gpt-4o,
 * gpt-4o-mini, yes, 10, 7, 7 (calls_moved = calls), 0.9, 10, 0.6, 0.98,
 * 0.875, 8, 0.5, 0.97, 1.5, 0.25, 37.5, the reason, then "nosuch": null.
 * Row 2: code, null complexity, claude, claude, no, 4, 0, 0, 0.5, 4, 0.1,
 * 0.9, then the recommended accuracy, lo and hi NAN (null) with n 0, 2, 2,
 * 0, an empty reason, null.
 */
static void test_all_fields(void **state)
{
	(void)state;
	static const char *const names[] = {
		"task_type",      "complexity",     "current_model",        "recommended_model",
		"moved",          "class_calls",    "calls",                "calls_moved",
		"current_accuracy", "current_n",    "current_lo",           "current_hi",
		"recommended_accuracy", "recommended_n", "recommended_lo",  "recommended_hi",
		"current_cost",   "recommended_cost", "monthly_savings",    "reason",
		"nosuch",
	};
	static const ac_col_type types[] = {
		AC_COL_TEXT, AC_COL_TEXT, AC_COL_TEXT, AC_COL_TEXT, AC_COL_TEXT, AC_COL_INT,
		AC_COL_INT,  AC_COL_INT,  AC_COL_NUM,  AC_COL_INT,  AC_COL_NUM,  AC_COL_NUM,
		AC_COL_NUM,  AC_COL_INT,  AC_COL_NUM,  AC_COL_NUM,  AC_COL_USD,  AC_COL_USD,
		AC_COL_USD,  AC_COL_TEXT, AC_COL_TEXT,
	};
	ac_recommendation r;
	ac_recommend_class c[2];
	two_classes(&r, c);
	ac_table *t = ac_table_new(names, types, 21);
	assert_non_null(t);
	ac_recommend_table_fill(t, &r, names, NULL, 21);
	assert_int_equal(ac_table_rows(t), 2);
	char *csv = csv_of(t);
	assert_string_equal(csv,
	                    "task_type,complexity,current_model,recommended_model,moved,class_calls,"
	                    "calls,calls_moved,current_accuracy,current_n,current_lo,current_hi,"
	                    "recommended_accuracy,recommended_n,recommended_lo,recommended_hi,"
	                    "current_cost,recommended_cost,monthly_savings,reason,nosuch\n"
	                    "qa,simple,gpt-4o,gpt-4o-mini,yes,10,7,7,0.9,10,0.6,0.98,"
	                    "0.875,8,0.5,0.97,1.5,0.25,37.5,'=within tolerance,\n"
	                    "code,,claude,claude,no,4,0,0,0.5,4,0.1,0.9,,0,,,2,2,0,,\n");
	free(csv);
	ac_table_free(t);
}

/*
 * A report's choice of columns (any order, a subset) with shows: the
 * accuracy as a share (0.9 -> 90.0%), the savings as money ($37.50), the
 * class calls as a plain number. In Markdown (whose writer escapes the
 * headers' '_', one of its specials |`\*_[]), row 1: | gpt-4o-mini | 90.0% |
 * $37.50 | 10 |; row 2: the recommended accuracy is NAN: "-", no savings
 * $0.00.
 */
static void test_shows(void **state)
{
	(void)state;
	static const char *const names[] = { "recommended_model", "recommended_accuracy",
		                             "monthly_savings", "class_calls" };
	static const ac_cell_type shows[] = { AC_CELL_TEXT, AC_CELL_SHARE, AC_CELL_USD,
		                              AC_CELL_INT };
	ac_recommendation r;
	ac_recommend_class c[2];
	two_classes(&r, c);
	c[0].recommended.mean = 0.9;
	ac_table *t = ac_table_new(names, NULL, 4);
	assert_non_null(t);
	ac_recommend_table_fill(t, &r, names, shows, 4);
	ac_buf b = AC_BUF_INIT;
	ac_table_write_md(&b, t, "rec", NULL, 0);
	assert_string_equal(ac_buf_cstr(&b), "| recommended\\_model | recommended\\_accuracy |"
	                                     " monthly\\_savings | class\\_calls |\n"
	                                     "|---|---:|---:|---:|\n"
	                                     "| gpt-4o-mini | 90.0% | $37.50 | 10 |\n"
	                                     "| claude | - | $0.00 | 4 |\n"
	                                     "\n_As CSV: [rec.csv](rec.csv)_\n\n");
	ac_buf_release(&b);
	ac_table_free(t);

	/* no classes: no rows */
	r.nclasses = 0;
	t = ac_table_new(names, NULL, 4);
	ac_recommend_table_fill(t, &r, names, shows, 4);
	assert_int_equal(ac_table_rows(t), 0);
	ac_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_fields),
		cmocka_unit_test(test_shows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
