/*
 * agentcost budget check FILE [--now TIME] [--format table|csv|json]
 *
 * Each budget of FILE (CSV scope,value,period,limit_usd; src/analysis/
 * budget.h has the rules and the forecast method) checked at --now (default:
 * just after the newest span's start): per budget and value, period_start,
 * spent, limit, share, forecast and status (ok, warn, over). JSON:
 * {"budgets":[{"scope", "value", "period", "period_start", "spent", "limit",
 * "share", "forecast", "status"}]}. Exit 4 when any budget is over, after
 * printing them all, so a cron job or a CI step can act on it; a bad budget
 * file is refused (each bad row as FILE:LINE: reason, exit 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/budget.h"
#include "cli.h"
#include "util/timeutil.h"

static void usage(void)
{
	fprintf(stderr, "usage: agentcost budget check FILE [--now TIME] [--db PATH] "
	                "[--format table|csv|json]\n");
}

static void bad_row(const ac_err *e, void *payload)
{
	(void)payload;
	cli_error("%s", e->msg);
}

static void print(const ac_budget_list *l, const ac_budget_result *r, out_format fmt)
{
	static const char *const names[] = { "scope", "value", "period", "period_start", "spent",
		                             "limit", "share", "forecast", "status" };
	static const col_type types[] = { COL_STR, COL_STR, COL_STR, COL_STR, COL_USD,
		                          COL_USD, COL_NUM, COL_USD, COL_STR };
	out_table *t = out_table_new(names, types, 9);
	if (!t)
		return;
	for (size_t i = 0; i < r->n; i++) {
		const ac_budget_row *w = &r->rows[i];
		const ac_budget *b = &l->b[w->budget];
		char day[11];
		ac_format_day(w->period_start_ns / AC_NS_PER_DAY, day);
		out_str(t, b->scope);
		out_str(t, w->value);
		out_str(t, ac_budget_period_name(b->period));
		out_str(t, day);
		out_num(t, w->spent);
		out_num(t, w->limit);
		out_num(t, w->share);
		out_num(t, w->forecast);
		out_str(t, ac_budget_status_name(w->status));
	}
	out_table_print(t, stdout, fmt, "budgets");
}

/* The arguments after the common options: "check", FILE and --now. */
static int parse(int argc, char **argv, const char **file, int64_t *now_ns)
{
	int bad = 0, words = 0;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cli_optval(argc, argv, &i, "--now", &bad, "budget"))) {
			if (ac_time_parse_iso(v, strlen(v), now_ns)) {
				cli_error("budget: --now takes an ISO time (2025-06-04T12:00:00Z) or date, "
				          "not '%s'", v);
				return -1;
			}
		} else if (bad) {
			return -1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			cli_error("budget: unknown option '%s'", argv[i]);
			return -1;
		} else if (words == 0) {
			if (strcmp(argv[i], "check")) {
				cli_error("budget: unknown subcommand '%s' (budget check FILE)", argv[i]);
				return -1;
			}
			words++;
		} else if (words == 1) {
			*file = argv[i];
			words++;
		} else {
			cli_error("budget: unexpected '%s'", argv[i]);
			return -1;
		}
	}
	if (!*file) {
		cli_error(words ? "budget check: which budgets? name a FILE (CSV "
		                  "scope,value,period,limit_usd)"
		                : "budget: what to do? budget check FILE");
		return -1;
	}
	return 0;
}

int cmd_budget(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	const char *file = NULL;
	int64_t now_ns = INT64_MIN;
	if (parse(argc, argv, &file, &now_ns)) {
		usage();
		return EXIT_USAGE;
	}
	if (co.since_ns != INT64_MIN || co.until_ns != INT64_MAX || co.system) {
		cli_error("budget: --since, --until and --system do not apply (each budget's period "
		          "holds --now)");
		return EXIT_USAGE;
	}
	ac_budget_list l = AC_BUDGET_LIST_INIT;
	ac_budget_result r;
	ac_err err = AC_ERR_INIT;
	memset(&r, 0, sizeof(r));
	int rc = ac_budget_read(&l, file, bad_row, NULL, &err);
	if (rc) {
		cli_error("%s", err.msg);
		ac_budget_list_release(&l);
		return rc == AC_EPARSE || rc == AC_EFORMAT ? EXIT_USAGE : EXIT_FAIL;
	}
	ac_store *s = cli_open_store(&co, 0);
	if (!s) {
		ac_budget_list_release(&l);
		return EXIT_FAIL;
	}
	int status = EXIT_OK;
	if (ac_budget_run(s, &l, now_ns, &r, &err)) {
		cli_error("budget: %s", err.msg);
		status = err.code == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	} else {
		print(&l, &r, co.format);
		if (r.over)
			status = EXIT_OVER;
	}
	ac_budget_result_free(&r);
	ac_budget_list_release(&l);
	ac_store_close(s);
	return status;
}
