/*
 * Unit tests of the table type and its writers (src/util/table.h): the
 * commands' CSV (formula guard by column), JSON and aligned text, and the
 * reports' CSV (formula guard by cell), HTML and Markdown. Every expected
 * output is written out by hand below from the rules in table.h.
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

#include "util/table.h"

/* What a writer printed, through a memory stream. */
typedef struct capture {
	FILE *fp;
	char *data;
	size_t n;
} capture;

static FILE *cap_open(capture *c)
{
	c->data = NULL;
	c->n = 0;
	c->fp = open_memstream(&c->data, &c->n);
	assert_non_null(c->fp);
	return c->fp;
}

static const char *cap_text(capture *c)
{
	fclose(c->fp);
	return c->data;
}

static const char *const NAMES[] = { "name", "n", "cost" };
static const ac_col_type TYPES[] = { AC_COL_TEXT, AC_COL_INT, AC_COL_USD };

/* Two rows of a command's table: a formula-looking name, a null cost. */
static ac_table *command_table(void)
{
	ac_table *t = ac_table_new(NAMES, TYPES, 3);
	assert_non_null(t);
	ac_table_text(t, "=1+2");
	ac_table_int(t, -3);
	ac_table_num(t, 0.5);
	ac_table_text(t, "a,b");
	ac_table_int(t, 7);
	ac_table_num(t, NAN);
	assert_int_equal(ac_table_rows(t), 2);
	return t;
}

static void test_csv_guard_by_column(void **state)
{
	(void)state;
	ac_table *t = command_table();
	capture c;
	ac_table_write_csv(cap_open(&c), t);
	/* "=1+2" is text: a leading '; -3 is a number: no guard; "a,b" quoted;
	 * NAN is null: an empty cell */
	assert_string_equal(cap_text(&c), "name,n,cost\n'=1+2,-3,0.5\n\"a,b\",7,\n");
	free(c.data);
	ac_table_free(t);
}

static void test_json(void **state)
{
	(void)state;
	ac_table *t = command_table();
	capture c;
	ac_table_write_json(cap_open(&c), t, "rows");
	/* text quoted (no guard in JSON), numbers bare, null for NAN */
	assert_string_equal(cap_text(&c), "{\"rows\":[\n"
	                                  "{\"name\":\"=1+2\",\"n\":-3,\"cost\":0.5},\n"
	                                  "{\"name\":\"a,b\",\"n\":7,\"cost\":null}\n"
	                                  "]}\n");
	free(c.data);
	ac_table_free(t);
}

/* The table in parts (one row, then one more, then none): the same bytes
 * as the whole-table writers above, and the rows dropped after each part. */
static void test_parts(void **state)
{
	(void)state;
	for (int json = 0; json <= 1; json++) {
		ac_table *t = ac_table_new(NAMES, TYPES, 3);
		assert_non_null(t);
		capture c;
		FILE *fp = cap_open(&c);
		ac_table_text(t, "=1+2");
		ac_table_int(t, -3);
		ac_table_num(t, 0.5);
		ac_table_write_part(fp, t, json, "rows", AC_TABLE_FIRST);
		assert_int_equal(ac_table_rows(t), 0);
		ac_table_text(t, "a,b");
		ac_table_int(t, 7);
		ac_table_num(t, NAN);
		ac_table_write_part(fp, t, json, "rows", 0);
		ac_table_write_part(fp, t, json, "rows", AC_TABLE_LAST);
		assert_string_equal(cap_text(&c),
		                    json ? "{\"rows\":[\n"
		                           "{\"name\":\"=1+2\",\"n\":-3,\"cost\":0.5},\n"
		                           "{\"name\":\"a,b\",\"n\":7,\"cost\":null}\n"
		                           "]}\n"
		                         : "name,n,cost\n'=1+2,-3,0.5\n\"a,b\",7,\n");
		free(c.data);
		ac_table_free(t);
	}
}

static void test_text(void **state)
{
	(void)state;
	ac_table *t = command_table();
	capture c;
	ac_table_write_text(cap_open(&c), t);
	/* widths: name 4 ("=1+2", "a,b" 3), n 2 ("-3"), cost 6 ("0.5000");
	 * text left-aligned, numbers right-aligned, money to 4 places, "-" for
	 * null; the last text column would not be padded (here it is the first) */
	assert_string_equal(cap_text(&c), "name  n   cost  \n"
	                                  "=1+2  -3  0.5000\n"
	                                  "a,b    7       -\n");
	free(c.data);
	ac_table_free(t);
}

/* A report's table: no column kinds, each cell says how it is shown. */
static void test_report_writers(void **state)
{
	(void)state;
	static const char *const cols[] = { "who", "share", "usd" };
	ac_table *t = ac_table_new(cols, NULL, 3);
	ac_table_text(t, "-x<y>");
	ac_table_num_as(t, AC_CELL_SHARE, 0.125);
	ac_table_num_as(t, AC_CELL_USD, 1234.5);
	ac_table_text(t, "@b|c");
	ac_table_num_as(t, AC_CELL_SHARE, INFINITY); /* null */
	ac_table_num_as(t, AC_CELL_INT, 2.6);        /* rounded: 3 */
	capture c;
	ac_table_write_csv(cap_open(&c), t);
	/* text cells guarded, numbers in full (%.12g), the int as rounded */
	assert_string_equal(cap_text(&c), "who,share,usd\n'-x<y>,0.125,1234.5\n'@b|c,,3\n");
	free(c.data);

	ac_buf b = AC_BUF_INIT;
	ac_table_write_md(&b, t, "t1", "Cap", 0);
	/* 12.5%; $1,234.50 (two places from $1, thousands grouped); | escaped;
	 * numeric columns right-aligned (---:) */
	assert_string_equal(ac_buf_cstr(&b), "**Cap**\n\n"
	                                     "| who | share | usd |\n"
	                                     "|---|---:|---:|\n"
	                                     "| -x&lt;y&gt; | 12.5% | $1,234.50 |\n"
	                                     "| @b\\|c | - | 3 |\n"
	                                     "\n_As CSV: [t1.csv](t1.csv)_\n\n");
	ac_buf_reset(&b);
	ac_table_write_html(&b, t, "t1", NULL, 1);
	assert_string_equal(ac_buf_cstr(&b),
	                    "<div class=\"tbl\"><table id=\"t-t1\">\n"
	                    "<thead><tr><th>who</th><th class=\"n\">share</th>"
	                    "<th class=\"n\">usd</th></tr></thead>\n<tbody>\n"
	                    "<tr><td>-x&lt;y&gt;</td><td class=\"n\">12.5%</td>"
	                    "<td class=\"n\">$1,234.50</td></tr>\n"
	                    "</tbody></table></div>\n"
	                    "<p class=\"more\">Showing 1 of 2 rows; all of them are in "
	                    "<a href=\"t1.csv\">t1.csv</a>.</p>\n");
	ac_buf_release(&b);
	ac_table_free(t);
}

static void test_cells(void **state)
{
	(void)state;
	capture c;
	FILE *fp = cap_open(&c);
	ac_json_put_str(fp, "a\"<\n");
	fputc(' ', fp);
	ac_json_put_str(fp, NULL);
	fputc(' ', fp);
	ac_json_put_num(fp, NAN);
	fputc(' ', fp);
	ac_csv_cell(fp, " x", 1); /* an edge space: quoted, not guarded */
	fputc(' ', fp);
	ac_csv_cell(fp, "+1", 0); /* not text: no guard */
	/* '<' as \u003c keeps the JSON safe inside HTML */
	assert_string_equal(cap_text(&c), "\"a\\\"\\u003c\\n\" null null \" x\" +1");
	free(c.data);
	char out[32];
	ac_cell_format(out, sizeof(out), AC_CELL_PP, -0.0123);
	assert_string_equal(out, "-1.2 pp");
	ac_cell_format(out, sizeof(out), AC_CELL_RATIO, 12.34);
	assert_string_equal(out, "12.3x");
	ac_cell_format(out, sizeof(out), AC_CELL_USD, 0.0045);
	assert_string_equal(out, "$0.004500");
	/* a NULL table takes cells and counts no rows */
	ac_table_text(NULL, "x");
	assert_int_equal(ac_table_rows(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_guard_by_column),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_report_writers),
		cmocka_unit_test(test_cells),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
