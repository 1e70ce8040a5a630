/*
 * agentcost tasks [--each] [--by system|task_type|both] [--histogram] [--include-eval]
 *
 * Per group: the per-task cost distribution down to p99.9 and the fat-tail
 * view (bottom and top decile means, their ratio, spend share of the top 1%
 * and 10%, Hill tail index); LLM calls per task. --each lists the tasks.
 * Evaluation tasks are left out of distributions unless --include-eval.
 * The analysis is src/analysis/task_costs.h; this file parses and prints.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/task_costs.h"
#include "cli.h"
#include "util/timeutil.h"

typedef enum { BY_TYPE, BY_SYSTEM, BY_BOTH } by_kind;

/* A group's name as printed: none is the empty name. */
static const char *name_of(const char *s)
{
	return s ? s : "";
}

/* --each: tasks.sql's rows as they come. */
static int list_each(ac_store *s, const common_opts *co)
{
	static const char *const names[] = { "task_id", "system", "task_type", "start", "end",
		                             "spans", "llm_calls", "tool_calls", "tokens_in",
		                             "tokens_out", "cost", "unpriced_calls", "eval" };
	static const col_type types[] = { COL_STR, COL_STR, COL_STR, COL_STR, COL_STR,
		                          COL_INT, COL_INT, COL_INT, COL_INT,
		                          COL_INT, COL_USD, COL_INT, COL_INT };
	ac_rows *r;
	ac_err err = AC_ERR_INIT;
	if (ac_store_rows(s, "tasks.sql", co->since_ns, co->until_ns, co->system, 0, &r, &err)) {
		cli_error("tasks: %s", err.msg);
		return EXIT_FAIL;
	}
	ac_rows_bind_int(r, 4, 1); /* the eval flag in its own column */
	out_table *t = out_table_new(names, types, 13);
	int rc;
	while ((rc = ac_rows_next(r, &err)) == 1) {
		char st[40], e[40];
		ac_format_iso_ms(ac_rows_int(r, 3), st);
		ac_format_iso_ms(ac_rows_int(r, 4), e);
		out_str(t, ac_rows_text(r, 0));
		out_str(t, ac_rows_text(r, 1));
		out_str(t, ac_rows_text(r, 2));
		out_str(t, st);
		out_str(t, e);
		for (int c = 5; c <= 9; c++)
			out_int(t, ac_rows_int(r, c));
		out_num(t, ac_rows_double(r, 10));
		out_int(t, ac_rows_int(r, 11));
		out_int(t, ac_rows_int(r, 12));
	}
	ac_rows_free(r);
	out_table_print(t, stdout, co->format, "tasks");
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

static void group_keys(out_table *t, const ac_task_group *g, by_kind by)
{
	if (by != BY_SYSTEM)
		out_str(t, name_of(g->task_type));
	if (by != BY_TYPE)
		out_str(t, name_of(g->system));
}

/* Log-binned histogram, five bins per decade, and the complementary CDF at
 * each bin's lower edge (share of tasks costing at least that). */
static int print_histogram(const ac_task_costs *r, by_kind by, out_format fmt)
{
	static const char *const hn[] = { "task_type", "system", "bin_lo", "bin_hi", "tasks", "ccdf" };
	static const col_type ht[] = { COL_STR, COL_STR, COL_NUM, COL_NUM, COL_INT, COL_NUM };
	static const char *const hn2[] = { "task_type", "bin_lo", "bin_hi", "tasks", "ccdf" };
	static const col_type ht2[] = { COL_STR, COL_NUM, COL_NUM, COL_INT, COL_NUM };
	out_table *t = by == BY_TYPE ? out_table_new(hn2, ht2, 5)
	                             : out_table_new(hn + (by == BY_SYSTEM), ht + (by == BY_SYSTEM),
	                                             by == BY_BOTH ? 6 : 5);
	for (size_t g = 0; g < r->n; g++) {
		ac_cost_bin *bins;
		size_t nb;
		if (ac_task_histogram(&r->v[g], &bins, &nb)) {
			cli_error("tasks: out of memory");
			return EXIT_FAIL;
		}
		for (size_t b = 0; b < nb; b++) {
			group_keys(t, &r->v[g], by);
			out_num(t, bins[b].lo);
			out_num(t, bins[b].hi);
			out_int(t, bins[b].tasks);
			out_num(t, bins[b].ccdf);
		}
		free(bins);
	}
	out_table_print(t, stdout, fmt, "bins");
	return EXIT_OK;
}

static void print_groups(const ac_task_costs *r, by_kind by, out_format fmt)
{
	static const char *const names[] = {
		"task_type", "system", "tasks", "cost_total", "mean", "p50", "p90", "p95", "p99",
		"p999", "max", "bottom10_mean", "top10_mean", "tail_ratio", "top1_share",
		"top10_share", "llm_calls_p50", "llm_calls_p99", "llm_calls_max", "tail_index",
		"tail_index_se"
	};
	static const col_type types[] = { COL_STR, COL_STR, COL_INT, COL_USD, COL_USD, COL_USD,
		                          COL_USD, COL_USD, COL_USD, COL_USD, COL_USD, COL_USD,
		                          COL_USD, COL_NUM, COL_NUM, COL_NUM, COL_NUM, COL_NUM,
		                          COL_NUM, COL_NUM, COL_NUM };
	/* one key column for --by task_type / system, both for --by both */
	const char *nm[21];
	col_type ty[21];
	int nc = 0;
	for (int c = 0; c < 21; c++) {
		if ((c == 0 && by == BY_SYSTEM) || (c == 1 && by == BY_TYPE))
			continue;
		nm[nc] = names[c];
		ty[nc++] = types[c];
	}
	out_table *t = out_table_new(nm, ty, nc);
	for (size_t g = 0; g < r->n; g++) {
		ac_task_dist d;
		ac_task_dist_of(&d, &r->v[g]);
		group_keys(t, &r->v[g], by);
		out_int(t, (long long)r->v[g].n);
		const double v[] = { d.total, d.mean, d.p50, d.p90, d.p95, d.p99, d.p999, d.max,
			             d.bottom10_mean, d.top10_mean, d.tail_ratio, d.top1_share,
			             d.top10_share, d.calls_p50, d.calls_p99, d.calls_max,
			             d.tail_index, d.tail_index_se };
		for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
			out_num(t, v[k]);
	}
	out_table_print(t, stdout, fmt, "groups");
}

int cmd_tasks(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	int each = 0, hist = 0, include_eval = 0;
	by_kind by = BY_TYPE;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--each"))
			each = 1;
		else if (!strcmp(argv[i], "--histogram"))
			hist = 1;
		else if (!strcmp(argv[i], "--include-eval"))
			include_eval = 1;
		else if (!strcmp(argv[i], "--by") && i + 1 < argc) {
			const char *v = argv[++i];
			if (!strcmp(v, "system"))
				by = BY_SYSTEM;
			else if (!strcmp(v, "task_type"))
				by = BY_TYPE;
			else if (!strcmp(v, "both"))
				by = BY_BOTH;
			else {
				cli_error("tasks: --by takes system, task_type or both, not '%s'", v);
				return EXIT_USAGE;
			}
		} else {
			cli_error("tasks: unknown option '%s'", argv[i]);
			fprintf(stderr, "usage: agentcost tasks [--each] [--by system|task_type|both] "
			                "[--histogram] [--include-eval] [--format table|csv|json]\n");
			return EXIT_USAGE;
		}
	}
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	if (each) {
		int status = list_each(s, &co);
		ac_store_close(s);
		return status;
	}
	static const ac_dim type_dim[] = { { AC_DIM_TASK_TYPE, NULL, NULL }, { AC_DIM_SYSTEM, NULL, NULL } };
	ac_query q = cli_query(&co);
	q.by = by == BY_SYSTEM ? type_dim + 1 : type_dim;
	q.nby = by == BY_BOTH ? 2 : 1;
	ac_task_costs r;
	ac_err err = AC_ERR_INIT;
	int status = EXIT_OK;
	if (ac_task_costs_run(s, &q, include_eval, &r, &err)) {
		cli_error("tasks: %s", err.msg);
		status = EXIT_FAIL; /* print nothing half-read */
	} else if (hist) {
		status = print_histogram(&r, by, co.format);
	} else {
		print_groups(&r, by, co.format);
	}
	ac_task_costs_free(&r);
	ac_store_close(s);
	return status;
}
