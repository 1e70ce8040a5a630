/*
 * Unit tests of the bill parsers and the matching key (src/analysis/
 * reconcile.c): format detection from the header (OpenAI costs export,
 * Anthropic cost export, day,model,cost_usd), the adding-up of line items per
 * day x model, the liberal dates (ISO date, ISO date-time with zone, unix
 * seconds), the strict numbers, the refusals, and the model key rule. The
 * join against a store is in tests/cli/t_reconcile.sh; here only its window
 * over a bill with no traces. Expected sums are added by hand in comments.
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

#include "analysis/reconcile.h"
#include "store/store.h"
#include "util/timeutil.h"

/* Debian 12's cmocka compares floats as float: compare doubles here. */
#define assert_close(a, b) assert_close_at((a), (b), #a, __FILE__, __LINE__)

static void assert_close_at(double a, double b, const char *what, const char *file, int line)
{
	if (fabs(a - b) <= 1e-12)
		return;
	print_error("%s = %.17g, expected %.17g\n", what, a, b);
	_fail(file, line);
}

typedef struct warns {
	int n;
	long long line[8];
	char msg[8][512];
} warns;

static void collect(const ac_err *e, void *payload)
{
	warns *w = payload;
	if (w->n < 8) {
		w->line[w->n] = e->line;
		snprintf(w->msg[w->n], sizeof(w->msg[0]), "%s", e->msg);
	}
	w->n++;
}

static int parse(ac_bill *b, const char *text, warns *w, ac_err *err)
{
	memset(w, 0, sizeof(*w));
	return ac_bill_parse(b, text, strlen(text), "bill.csv", collect, w, err);
}

static int64_t day_of(const char *ymd)
{
	int64_t d;
	assert_int_equal(ac_date_parse(ymd, &d), 0);
	return d;
}

static void assert_row(const ac_bill *b, size_t i, const char *ymd, const char *model, double usd)
{
	assert_true(i < b->n);
	assert_int_equal(b->rows[i].day, day_of(ymd));
	assert_string_equal(b->rows[i].model, model);
	assert_close(b->rows[i].cost_usd, usd);
}

/* OpenAI: columns in another order than the export's, line items of one
 * model added up, an empty bucket skipped, the ISO start used when the unix
 * one is empty, CRLF and a byte order mark. */
static void test_openai(void **state)
{
	(void)state;
	const char *csv =
	        "\xEF\xBB\xBF"
	        "line_item,amount_currency,amount_value,project_id,start_time,start_time_iso\r\n"
	        "\"gpt-4o-mini-2024-07-18, input\",usd,0.25,p,1748736000,\r\n"
	        "\"gpt-4o-mini-2024-07-18, output\",USD,0.5,p,1748739600,\r\n"
	        ",,,,1748822400,\r\n"
	        "\"gpt-4o-mini-2024-07-18, cached input\",usd,0.125,p,,"
	        "2025-06-01T00:00:00+00:00\r\n"
	        "\"gpt-4.1, input\",,1e-3,p,1748822400,\r\n"
	        "web search tool calls,usd,0.03,p,1748822400,\r\n"
	        "\"o1-2024-12-17, input\",usd,0.003835980000000000000000000000,p,1748822400,\r\n";
	ac_bill b = AC_BILL_INIT;
	ac_err err = AC_ERR_INIT;
	warns w;
	assert_int_equal(parse(&b, csv, &w, &err), 0);
	assert_int_equal(b.kind, AC_BILL_OPENAI);
	assert_int_equal(w.n, 0);
	assert_int_equal(b.skipped, 0);
	assert_int_equal(b.n, 4);
	/* 06-01 gpt-4o-mini: 0.25 + 0.5 + 0.125 = 0.875 (1748739600 is 01:00 on 06-01) */
	assert_row(&b, 0, "2025-06-01", "gpt-4o-mini-2024-07-18", 0.875);
	/* "gpt-4.1" keeps its dot (not a display name); an empty currency is usd */
	assert_row(&b, 1, "2025-06-02", "gpt-4.1", 0.001);
	/* a line item without a comma is its own model */
	/* the export's 30-decimal amounts */
	assert_row(&b, 2, "2025-06-02", "o1-2024-12-17", 0.00383598);
	assert_row(&b, 3, "2025-06-02", "web search tool calls", 0.03);
	ac_bill_release(&b);
}

/* Anthropic: display names, one row per token type added up, the aliases
 * date and total_cost, an empty model. */
static void test_anthropic(void **state)
{
	(void)state;
	const char *csv = "usage_date_utc,model,workspace,api_key,token_type,cost_usd,"
	                  "list_price_usd\n"
	                  "2025-06-01,Claude Sonnet 4.5,Default,k,input_no_cache,0.5,0.5\n"
	                  "2025-06-01,Claude Sonnet 4.5,Default,k,output,1.25,1.25\n"
	                  "2025-06-01,Claude Sonnet 4.5,Other,k2,input_cache_read,0.0625,0.0625\n"
	                  "2025-06-01,claude-3-5-haiku-20241022,Default,k,output,0.5,0.5\n"
	                  "2025-06-01,,Default,k,,0.01,0.01\n";
	ac_bill b = AC_BILL_INIT;
	ac_err err = AC_ERR_INIT;
	warns w;
	assert_int_equal(parse(&b, csv, &w, &err), 0);
	assert_int_equal(b.kind, AC_BILL_ANTHROPIC);
	assert_int_equal(b.n, 3);
	/* byte order: '(' < 'c'; "claude-3..." < "claude-s..." */
	assert_row(&b, 0, "2025-06-01", AC_BILL_UNATTRIBUTED, 0.01);
	assert_row(&b, 1, "2025-06-01", "claude-3-5-haiku-20241022", 0.5);
	/* 0.5 + 1.25 + 0.0625 = 1.8125 */
	assert_row(&b, 2, "2025-06-01", "claude-sonnet-4-5", 1.8125);
	ac_bill_release(&b);

	const char *alias = "date,model,total_cost\n2025-06-03,Claude 3.5 Haiku,2\n";
	assert_int_equal(parse(&b, alias, &w, &err), 0);
	assert_int_equal(b.kind, AC_BILL_ANTHROPIC);
	assert_int_equal(b.n, 1);
	assert_row(&b, 0, "2025-06-03", "claude-3-5-haiku", 2);
	ac_bill_release(&b);
}

/* Generic: every date form lands on its UTC day. */
static void test_generic_dates(void **state)
{
	(void)state;
	const char *csv = "model,cost_usd,day,note\n"
	                  "m,1,2025-06-01,iso date\n"
	                  "m,2,1748822399,unix seconds: 2025-06-01T23:59:59Z\n"
	                  "m,4,1748822400,unix seconds: 2025-06-02T00:00:00Z\n"
	                  "m,8,2025-06-02T01:30:00+02:00,= 2025-06-01T23:30Z\n"
	                  "m,16,2025-06-01 22:00:00-03:00,= 2025-06-02T01:00Z\n"
	                  "m,32,2025-06-02T00:00:00.5Z,fraction\n"
	                  "m,64,2025-06-02T12:00:00,no zone: UTC\n";
	ac_bill b = AC_BILL_INIT;
	ac_err err = AC_ERR_INIT;
	warns w;
	assert_int_equal(parse(&b, csv, &w, &err), 0);
	assert_int_equal(b.kind, AC_BILL_GENERIC);
	assert_int_equal(w.n, 0);
	assert_int_equal(b.n, 2);
	/* 06-01: 1 + 2 + 8 = 11; 06-02: 4 + 16 + 32 + 64 = 116 */
	assert_row(&b, 0, "2025-06-01", "m", 11);
	assert_row(&b, 1, "2025-06-02", "m", 116);
	ac_bill_release(&b);
}

/* Strict numbers and dates: each bad row named with its line, the good kept. */
static void test_bad_rows(void **state)
{
	(void)state;
	static const struct {
		const char *cost;
		const char *reason;
	} bad[] = {
		{ "$1", "cost is not a number" },    { "\"1,5\"", "cost is not a number" },
		{ "=1+1", "cost is not a number" },  { "+1", "cost is not a number" },
		{ "-0.5", "negative cost" },         { "nan", "cost is not a number" },
		{ "inf", "cost is not a number" },   { "0x10", "cost is not a number" },
		{ "1.2.3", "cost is not a number" }, { "1e", "cost is not a number" },
		{ "", "empty cost" },                { "1e999", "cost is not a number" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char csv[256];
		snprintf(csv, sizeof(csv),
		         "day,model,cost_usd\n2025-06-01,m,0.5\n2025-06-01,m,%s\n", bad[i].cost);
		ac_bill b = AC_BILL_INIT;
		ac_err err = AC_ERR_INIT;
		warns w;
		assert_int_equal(parse(&b, csv, &w, &err), 0);
		assert_int_equal(w.n, 1);
		assert_int_equal(b.skipped, 1);
		assert_int_equal(w.line[0], 3);
		if (!strstr(w.msg[0], "bill.csv:3: ") || !strstr(w.msg[0], bad[i].reason)) {
			print_error("cost [%s]: message [%s]\n", bad[i].cost, w.msg[0]);
			fail();
		}
		assert_int_equal(b.n, 1);
		assert_close(b.rows[0].cost_usd, 0.5);
		ac_bill_release(&b);
	}
	static const char *const dates[] = { "June 2", "2025-13-01", "2025-06-31", "", "20250601x",
		                             "1748822400000000" };
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		char csv[256];
		snprintf(csv, sizeof(csv), "day,model,cost_usd\n%s,m,1\n", dates[i]);
		ac_bill b = AC_BILL_INIT;
		ac_err err = AC_ERR_INIT;
		warns w;
		assert_int_equal(parse(&b, csv, &w, &err), 0);
		if (w.n != 1 || !strstr(w.msg[0], "bill.csv:2: bad date")) {
			print_error("date [%s]: %d warnings [%s]\n", dates[i], w.n,
			            w.n ? w.msg[0] : "");
			fail();
		}
		assert_int_equal(b.n, 0);
		ac_bill_release(&b);
	}
	/* OpenAI: another currency is refused, not converted */
	const char *eur = "start_time,line_item,amount_value,amount_currency\n"
	                  "1748736000,\"gpt-4o, input\",1,eur\n";
	ac_bill b = AC_BILL_INIT;
	ac_err err = AC_ERR_INIT;
	warns w;
	assert_int_equal(parse(&b, eur, &w, &err), 0);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.msg[0], "bill.csv:2: currency is not usd ('eur')"));
	assert_int_equal(b.n, 0);
	ac_bill_release(&b);
}

static void test_refused(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"date,amount,description\n2025-06-01,1,x\n",
		"day,model\n2025-06-01,m\n",       /* no cost column */
		"line_item,amount_value\nx,1\n",   /* OpenAI without a start time */
		"",                                /* empty */
		"\n\n",                            /* blank */
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ac_bill b = AC_BILL_INIT;
		ac_err err = AC_ERR_INIT;
		warns w;
		assert_int_equal(parse(&b, texts[i], &w, &err), AC_EFORMAT);
		if (i < 3 && (!strstr(err.msg, "bill.csv:1: not a cost export") ||
		              !strstr(err.msg, "OpenAI") || !strstr(err.msg, "Anthropic") ||
		              !strstr(err.msg, "day,model,cost_usd"))) {
			print_error("text %zu: [%s]\n", i, err.msg);
			fail();
		}
		ac_bill_release(&b);
	}
	ac_bill b = AC_BILL_INIT;
	ac_err err = AC_ERR_INIT;
	warns w;
	assert_int_equal(parse(&b, "usage_date_utc,model_version,usage_input_tokens_no_cache,"
	                           "usage_output_tokens\n2025-06-01,claude,1,2\n",
	                       &w, &err),
	                 AC_EFORMAT);
	assert_non_null(strstr(err.msg, "Anthropic's usage export"));
	ac_bill_release(&b);
	assert_int_equal(parse(&b, "a,\"b\nc,d\n", &w, &err), AC_EPARSE); /* open quote */
	ac_bill_release(&b);
}

static void test_key(void **state)
{
	(void)state;
	ac_pricebook *pb = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_pricebook_load(&pb, NULL, &err), 0);
	static const struct {
		const char *name, *key;
	} cases[] = {
		{ "gpt-4o-mini-2024-07-18", "gpt-4o-mini" },   /* dated -> the built-in key */
		{ "gpt-4o-mini", "gpt-4o-mini" },              /* undated: the same row */
		{ "openai/gpt-4o-mini", "gpt-4o-mini" },       /* provider prefix */
		{ "GPT-4o-Mini", "gpt-4o-mini" },              /* case */
		{ "claude-3-5-haiku-20241022", "claude-3-5-haiku" },
		{ "claude-haiku-4-5-20251001", "claude-haiku-4-5" },
		{ "gpt-4o-2024-08-06", "gpt-4o" },
		{ "my-finetune@20250101", "my-finetune" },     /* unpriced: its own name, undated */
		{ "My-Model-2025-06-01", "my-model" },
		{ "my-model-2025-13-01", "my-model-2025-13-01" }, /* month 13: no date */
		{ "=SUM(A1)", "=sum(a1)" },
		{ "", AC_BILL_UNATTRIBUTED },
		{ NULL, AC_BILL_UNATTRIBUTED },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *k = ac_reconcile_key(pb, cases[i].name);
		assert_non_null(k);
		if (strcmp(k, cases[i].key)) {
			print_error("key(%s) = [%s], expected [%s]\n",
			            cases[i].name ? cases[i].name : "NULL", k, cases[i].key);
			fail();
		}
		free(k);
	}
	ac_pricebook_free(pb);
}

/* The window over a bill in an empty store: open ends close on the bill's
 * days; rows outside an explicit window are left out; traced 0 everywhere. */
static void test_window(void **state)
{
	(void)state;
	ac_store *s = NULL;
	ac_pricebook *pb = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_store_open(&s, ":memory:", AC_STORE_CREATE, &err), 0);
	assert_int_equal(ac_pricebook_load(&pb, ac_store_db(s), &err), 0);
	const char *csv = "day,model,cost_usd\n2025-06-01,gpt-4o,1\n"
	                  "2025-06-03,gpt-4o-2024-08-06,2\n"
	                  "2025-06-03,gpt-4o,0.5\n2025-06-05,x,4\n";
	ac_bill b = AC_BILL_INIT;
	warns w;
	assert_int_equal(parse(&b, csv, &w, &err), 0);
	ac_recon r = AC_RECON_INIT;
	assert_int_equal(ac_reconcile(&r, s, pb, &b, INT64_MIN, INT64_MAX, NULL, &err), 0);
	/* the bill's rows "gpt-4o-2024-08-06" and "gpt-4o" of 06-03 share a key: 2 + 0.5 */
	assert_int_equal(r.n, 3);
	assert_int_equal(r.first_day, day_of("2025-06-01"));
	assert_int_equal(r.last_day, day_of("2025-06-05"));
	assert_string_equal(r.rows[1].key, "gpt-4o");
	assert_close(r.rows[1].billed, 2.5);
	assert_close(r.rows[1].traced, 0);
	/* nothing traced: each difference is the billed amount, all of it untraced:
	 * 2.5 - 0 = 2.5, (2.5 - 0) / 2.5 = 1 */
	assert_close(r.rows[1].difference, 2.5);
	assert_close(r.rows[1].share_untraced, 1);
	/* 1 + 2.5 + 4 = 7.5 */
	assert_close(r.billed, 7.5);
	assert_close(r.difference, 7.5);
	assert_close(r.share_untraced, 1);
	ac_recon_release(&r);
	/* [06-02, 06-04): only 06-03 */
	int64_t since = day_of("2025-06-02") * AC_NS_PER_DAY;
	int64_t until = day_of("2025-06-04") * AC_NS_PER_DAY;
	assert_int_equal(ac_reconcile(&r, s, pb, &b, since, until, NULL, &err), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.rows[0].day, day_of("2025-06-03"));
	assert_close(r.billed, 2.5);
	ac_recon_release(&r);
	ac_bill_release(&b);
	ac_pricebook_free(pb);
	ac_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openai),    cmocka_unit_test(test_anthropic),
		cmocka_unit_test(test_generic_dates), cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_refused),   cmocka_unit_test(test_key),
		cmocka_unit_test(test_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
