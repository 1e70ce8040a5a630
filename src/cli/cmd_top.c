/*
 * agentcost top DIM [--limit N] [--include-eval] [--approx] [--where DIM=VALUE]...
 *
 * A dimension's values by spend over the window (the whole store unless
 * --since/--until): tasks, cost, share of the window's cost, per-task p50
 * and p99, and the previous period of the same length with the change
 * (src/analysis/top.h). JSON: {"dimension":..., "total_cost":...,
 * "values":N, "top":[{"<DIM>":..., "tasks", "cost", "share", "p50", "p99",
 * "previous_cost", "change"}]}. --approx: each value's per-task costs as a
 * sketch (src/analysis/sketch.h): p50 and p99 within its bound, the rest
 * exact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/dims.h"
#include "analysis/top.h"
#include "cli.h"

static void usage(void)
{
	fprintf(stderr, "usage: agentcost top DIM [--limit N] [--include-eval] [--approx] "
	                "[--where DIM=VALUE]... "
	                "[--since DAY] [--until DAY] [--system NAME] [--format table|csv|json]\n");
}

static void print_json(const ac_top_result *r, const char *dim)
{
	printf("{\"dimension\":");
	json_str(stdout, dim);
	printf(",\"values\":%lld,\"tasks\":%lld,\"total_cost\":", r->values, r->total_tasks);
	json_num(stdout, r->total_cost);
	printf(",\"top\":[");
	for (size_t i = 0; i < r->n; i++) {
		const ac_top_row *w = &r->rows[i];
		printf(i ? ",\n{" : "\n{");
		json_str(stdout, dim);
		putchar(':');
		json_str(stdout, w->value);
		printf(",\"tasks\":%lld,\"cost\":", w->tasks);
		json_num(stdout, w->cost);
		printf(",\"share\":");
		json_num(stdout, w->share);
		printf(",\"p50\":");
		json_num(stdout, w->p50);
		printf(",\"p99\":");
		json_num(stdout, w->p99);
		printf(",\"previous_cost\":");
		json_num(stdout, w->previous_cost);
		printf(",\"change\":");
		json_num(stdout, w->change);
		putchar('}');
	}
	printf("%s]}\n", r->n ? "\n" : "");
}

static void print(const ac_top_result *r, const char *dim, out_format fmt)
{
	if (fmt == FMT_JSON) {
		print_json(r, dim);
		return;
	}
	const char *names[] = { dim, "tasks", "cost", "share", "p50", "p99", "previous_cost",
		                "change" };
	static const col_type types[] = { COL_STR, COL_INT, COL_USD, COL_NUM,
		                          COL_USD, COL_USD, COL_USD, COL_NUM };
	out_table *t = out_table_new(names, types, 8);
	if (!t)
		return;
	for (size_t i = 0; i < r->n; i++) {
		const ac_top_row *w = &r->rows[i];
		out_str(t, w->value);
		out_int(t, w->tasks);
		out_num(t, w->cost);
		out_num(t, w->share);
		out_num(t, w->p50);
		out_num(t, w->p99);
		out_num(t, w->previous_cost);
		out_num(t, w->change);
	}
	out_table_print(t, stdout, fmt, "top");
}

int cmd_top(int argc, char **argv)
{
	common_opts co;
	cli_dims d;
	if (cli_common(&argc, argv, &co) || cli_dims_parse(&argc, argv, "top", &d))
		return EXIT_USAGE;
	long long limit = 20;
	int include_eval = 0, approx = 0, bad = 0;
	const char *dim = NULL;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cli_optval(argc, argv, &i, "--limit", &bad, "top"))) {
			char *end;
			limit = strtoll(v, &end, 10);
			if (*end || end == v || limit < 0) {
				cli_error("top: --limit takes a count (0: every value), not '%s'", v);
				return EXIT_USAGE;
			}
		} else if (bad) {
			return EXIT_USAGE;
		} else if (!strcmp(argv[i], "--include-eval")) {
			include_eval = 1;
		} else if (!strcmp(argv[i], "--approx")) {
			approx = 1;
		} else if (argv[i][0] == '-' || dim) {
			cli_error("top: unexpected '%s'", argv[i]);
			usage();
			return EXIT_USAGE;
		} else {
			dim = argv[i];
		}
	}
	if (!dim) {
		cli_error("top: which dimension? (user, session, agent, environment, system, "
		          "task_type, model, attr:KEY)");
		usage();
		return EXIT_USAGE;
	}
	if (d.nby) {
		cli_error("top: the dimension is the argument (agentcost top user), not --by");
		return EXIT_USAGE;
	}
	ac_dim by;
	ac_err err = AC_ERR_INIT;
	if (ac_dim_parse(dim, &by, &err)) {
		cli_error("top: %s", err.msg);
		return EXIT_USAGE;
	}
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	ac_query q = cli_query(&co);
	cli_dims_apply(&d, &q);
	q.by = &by;
	q.nby = 1;
	q.dims = 1;
	ac_top_result r;
	int status = EXIT_OK;
	int flags = (include_eval ? AC_UNITS_EVAL : 0) | (approx ? AC_UNITS_APPROX : 0);
	if (ac_top_run(s, &q, (size_t)limit, flags, &r, &err)) {
		cli_error("top: %s", err.msg);
		status = err.code == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	} else {
		print(&r, ac_dim_column(&by), co.format);
		ac_top_result_free(&r);
	}
	ac_store_close(s);
	return status;
}
