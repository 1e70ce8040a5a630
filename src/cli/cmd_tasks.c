/*
 * agentcost tasks [--each] [--by system|task_type|both|DIM[,DIM]] [--where DIM=VALUE]...
 *                 [--histogram] [--include-eval] [--approx]
 *
 * Per group: the per-task cost distribution down to p99.9 and the fat-tail
 * view (bottom and top decile means, their ratio, spend share of the top 1%
 * and 10%, Hill tail index); LLM calls per task. --each lists the tasks.
 * Evaluation tasks are left out of distributions unless --include-eval.
 * The analysis is src/analysis/task_costs.h; this file parses and prints.
 *
 * --by system, task_type or both without --where print what they always did
 * (a task without a system or type in a group named ""), and so does
 * --where without --by (issue #17): per task type, over the tasks the
 * filters keep (ac_task_costs_run with q.where). Any other dimension or
 * pair, or --by with --where, goes through the dimensions
 * (ac_task_costs_each): the first columns are named after the dimensions
 * (ac_dim_column), tasks without a value are "(none)"; --by both with
 * --where is the pair task_type,system. --each --where lists the tasks the
 * filters keep in --each's columns.
 *
 * --approx (issue #16) reads each group as a sketch (src/analysis/sketch.h:
 * the store sends a row per group and occupied cost bin, not per task): the
 * same columns, each figure within the bound sketch.h states (with
 * --histogram: a task within 2^-8 of a bin's edge may be counted beside it).
 * Not with --each (its output is the tasks).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/dims.h"
#include "analysis/task_costs.h"
#include "cli.h"
#include "util/timeutil.h"

typedef enum { BY_TYPE, BY_SYSTEM, BY_BOTH } by_kind;

/* A group's name as printed: none is the empty name. */
static const char *name_of(const char *s)
{
	return s ? s : "";
}

/* --each's columns: tasks.sql's (task_list_by.sql's first 13). */
static const char *const EACH_NAMES[] = { "task_id", "system", "task_type", "start", "end",
	                                  "spans", "llm_calls", "tool_calls", "tokens_in",
	                                  "tokens_out", "cost", "unpriced_calls", "eval" };
static const col_type EACH_TYPES[] = { COL_STR, COL_STR, COL_STR, COL_STR, COL_STR,
	                               COL_INT, COL_INT, COL_INT, COL_INT,
	                               COL_INT, COL_USD, COL_INT, COL_INT };

/* One --each row of r; own[c]: print column c (0..2) of the first three. */
static void each_row(out_table *t, ac_rows *r, const int own[3])
{
	char st[40], e[40];
	ac_format_iso_ms(ac_rows_int(r, 3), st);
	ac_format_iso_ms(ac_rows_int(r, 4), e);
	for (int c = 0; c <= 2; c++)
		if (own[c])
			out_str(t, ac_rows_text(r, c));
	out_str(t, st);
	out_str(t, e);
	for (int c = 5; c <= 9; c++)
		out_int(t, ac_rows_int(r, c));
	out_num(t, ac_rows_double(r, 10));
	out_int(t, ac_rows_int(r, 11));
	out_int(t, ac_rows_int(r, 12));
}

/* --each: tasks.sql's rows as they come. */
static int list_each(ac_store *s, const common_opts *co)
{
	static const int all[3] = { 1, 1, 1 };
	ac_rows *r;
	ac_err err = AC_ERR_INIT;
	if (ac_store_rows(s, "tasks.sql", co->since_ns, co->until_ns, co->system, 0, &r, &err)) {
		cli_error("tasks: %s", err.msg);
		return EXIT_FAIL;
	}
	ac_rows_bind_int(r, 4, 1); /* the eval flag in its own column */
	out_table *t = out_table_new(EACH_NAMES, EACH_TYPES, 13);
	int rc;
	while ((rc = ac_rows_next(r, &err)) == 1)
		each_row(t, r, all);
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

/* The distribution columns after the group's keys (print_groups' too). */
static const char *const DIST_NAMES[] = {
	"tasks", "cost_total", "mean", "p50", "p90", "p95", "p99", "p999", "max",
	"bottom10_mean", "top10_mean", "tail_ratio", "top1_share", "top10_share",
	"llm_calls_p50", "llm_calls_p99", "llm_calls_max", "tail_index", "tail_index_se"
};
#define NDIST (sizeof(DIST_NAMES) / sizeof(DIST_NAMES[0]))
static const char *const BIN_NAMES[] = { "bin_lo", "bin_hi", "tasks", "ccdf" };
static const col_type BIN_TYPES[] = { COL_NUM, COL_NUM, COL_INT, COL_NUM };

/* Column names and types of a table with the dimensions first: the table
 * keeps pointers to them, so they live as long as it. */
typedef struct cols {
	const char *nm[AC_DIMS_MAX_BY + 32];
	col_type ty[AC_DIMS_MAX_BY + 32];
} cols;

/* A table whose first columns are the dimensions of q->by (as strings),
 * then the given ones; c holds the columns. */
static out_table *dims_table(const ac_query *q, const char *const *names, const col_type *types,
                             size_t n, cols *c)
{
	size_t k = 0;
	for (size_t i = 0; i < q->nby; i++, k++) {
		c->nm[k] = ac_dim_column(&q->by[i]);
		c->ty[k] = COL_STR;
	}
	for (size_t i = 0; i < n; i++, k++) {
		c->nm[k] = names[i];
		c->ty[k] = types[i];
	}
	return out_table_new(c->nm, c->ty, (int)k);
}

typedef struct dims_out {
	out_stream st;
	int hist;
} dims_out;

/* One group of the dimensions path: its row, or its histogram's rows. */
static int dims_group(void *ctx, const char *const *keys, size_t nkeys, const ac_task_group *g)
{
	dims_out *o = ctx;
	out_table *t = o->st.t;
	if (o->hist) {
		ac_cost_bin *bins;
		size_t nb;
		if (ac_task_histogram(g, &bins, &nb))
			return AC_ENOMEM;
		for (size_t b = 0; b < nb; b++) {
			for (size_t k = 0; k < nkeys; k++)
				out_str(t, keys[k]);
			out_num(t, bins[b].lo);
			out_num(t, bins[b].hi);
			out_int(t, bins[b].tasks);
			out_num(t, bins[b].ccdf);
			out_stream_row(&o->st, stdout);
		}
		free(bins);
		return 0;
	}
	ac_task_dist d;
	ac_task_dist_of(&d, g);
	for (size_t k = 0; k < nkeys; k++)
		out_str(t, keys[k]);
	out_int(t, (long long)g->n);
	const double v[] = { d.total, d.mean, d.p50, d.p90, d.p95, d.p99, d.p999, d.max,
		             d.bottom10_mean, d.top10_mean, d.tail_ratio, d.top1_share,
		             d.top10_share, d.calls_p50, d.calls_p99, d.calls_max,
		             d.tail_index, d.tail_index_se };
	for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
		out_num(t, v[k]);
	out_stream_row(&o->st, stdout);
	return 0;
}

/* The groups printed as they come (CSV and JSON in parts: a row per user
 * can be a million rows); an error after a part is out leaves that part. */
static int print_dims(ac_store *s, const ac_query *q, int hist, int flags, out_format fmt)
{
	static col_type dist_types[NDIST];
	dist_types[0] = COL_INT;
	for (size_t c = 1; c < NDIST; c++)
		dist_types[c] = c <= 10 ? COL_USD : COL_NUM;
	cols cl;
	dims_out o = { { hist ? dims_table(q, BIN_NAMES, BIN_TYPES, 4, &cl)
	                      : dims_table(q, DIST_NAMES, dist_types, NDIST, &cl),
		         fmt, hist ? "bins" : "groups", 0 },
		       hist };
	if (!o.st.t) {
		cli_error("tasks: out of memory");
		return EXIT_FAIL;
	}
	ac_err err = AC_ERR_INIT;
	int rc = ac_task_costs_each(s, q, flags, dims_group, &o, &err);
	if (rc) {
		if (rc == AC_ENOMEM && !err.msg[0])
			ac_err_set(&err, AC_ENOMEM, "out of memory");
		cli_error("tasks: %s", err.msg);
		out_stream_abort(&o.st);
		return rc == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	}
	out_stream_end(&o.st, stdout);
	return EXIT_OK;
}

/* --each with dimensions: task_list_by.sql (tasks.sql's columns, then the --by
 * values) over the tasks the filters keep; the --by values first. */
static int list_each_dims(ac_store *s, const common_opts *co, const ac_query *q)
{
	const char *const *names = EACH_NAMES;
	const col_type *types = EACH_TYPES;
	ac_err err = AC_ERR_INIT;
	ac_dims_info info;
	ac_rows *r;
	if (ac_dims_prepare(s, q, &info, &err) ||
	    ac_store_rows(s, "task_list_by.sql", co->since_ns, co->until_ns, co->system, AC_ROWS_SCAN,
	                  &r, &err)) {
		cli_error("tasks: %s", err.msg);
		return err.code == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	}
	/* the task's own system and task_type, unless a dimension's column has
	 * the name (no key twice in a JSON object) */
	int own[3] = { 1, 1, 1 };
	for (size_t k = 0; k < q->nby; k++)
		for (int c = 1; c <= 2; c++)
			if (!strcmp(ac_dim_column(&q->by[k]), names[c]))
				own[c] = 0;
	const char *keep[13];
	col_type keep_ty[13];
	size_t nk = 0;
	for (int c = 0; c < 13; c++)
		if (c > 2 || own[c]) {
			keep[nk] = names[c];
			keep_ty[nk++] = types[c];
		}
	cols cl;
	out_table *t = dims_table(q, keep, keep_ty, nk, &cl);
	int rc;
	while ((rc = ac_rows_next(r, &err)) == 1) {
		for (size_t k = 0; k < q->nby; k++)
			out_str(t, ac_rows_text(r, 13 + (int)k));
		each_row(t, r, own);
	}
	ac_rows_free(r);
	if (rc) {
		cli_error("tasks: %s", err.msg);
		ac_table_free(t);
		return EXIT_FAIL;
	}
	out_table_print(t, stdout, co->format, "tasks");
	return EXIT_OK;
}

static void usage(void)
{
	fprintf(stderr, "usage: agentcost tasks [--each] [--by system|task_type|both|DIM[,DIM]] "
	                "[--where DIM=VALUE]... [--histogram] [--include-eval] [--approx] "
	                "[--format table|csv|json]\n");
}

/* Take "--by both" out of argv (the dimensions' parser does not know it). */
static int take_both(int *argc, char **argv)
{
	int both = 0, out = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strncmp(argv[i], "--by=", 5) && !strcmp(argv[i] + 5, "both")) {
			both = 1;
		} else if (!strcmp(argv[i], "--by") && i + 1 < *argc && !strcmp(argv[i + 1], "both")) {
			both = 1;
			i++;
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	return both;
}

/* The plain groups (task type, system or both without a filter; task type
 * with --where alone): the table as it always was. */
static int legacy(const cli_dims *d, int both, by_kind *by)
{
	if ((d->nwhere && (d->nby || both)) || d->nby > 1 || (both && d->nby))
		return 0;
	*by = both ? BY_BOTH : BY_TYPE;
	if (d->nby == 1) {
		if (d->by[0].kind == AC_DIM_SYSTEM)
			*by = BY_SYSTEM;
		else if (d->by[0].kind != AC_DIM_TASK_TYPE)
			return 0;
	}
	return 1;
}

/* 1: model is among --by or --where. */
static int names_model(const cli_dims *d)
{
	for (size_t i = 0; i < d->nby + d->nwhere; i++) {
		const ac_dim *x = i < d->nby ? &d->by[i] : &d->where[i - d->nby].dim;
		if (x->kind == AC_DIM_MODEL)
			return 1;
	}
	return 0;
}

int cmd_tasks(int argc, char **argv)
{
	common_opts co;
	cli_dims d;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	int both = take_both(&argc, argv);
	if (cli_dims_parse(&argc, argv, "tasks", &d))
		return EXIT_USAGE;
	int each = 0, hist = 0, include_eval = 0, approx = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--each"))
			each = 1;
		else if (!strcmp(argv[i], "--approx"))
			approx = 1;
		else if (!strcmp(argv[i], "--histogram"))
			hist = 1;
		else if (!strcmp(argv[i], "--include-eval"))
			include_eval = 1;
		else {
			cli_error("tasks: unknown option '%s'", argv[i]);
			usage();
			return EXIT_USAGE;
		}
	}
	if (approx && each) {
		cli_error("tasks: --approx summarizes each group's distribution; --each lists every "
		          "task exactly (drop --approx)");
		return EXIT_USAGE;
	}
	int flags = (include_eval ? AC_UNITS_EVAL : 0) | (approx ? AC_UNITS_APPROX : 0);
	if (both && d.nby) {
		cli_error("tasks: --by both is the pair task_type,system: not with another --by");
		return EXIT_USAGE;
	}
	by_kind by = BY_TYPE;
	int old = legacy(&d, both, &by);
	if (both && !old) { /* with --where: the pair through the dimensions */
		d.by[0] = (ac_dim){ AC_DIM_TASK_TYPE, NULL, NULL };
		d.by[1] = (ac_dim){ AC_DIM_SYSTEM, NULL, NULL };
		d.nby = 2;
	}
	if (each && d.nwhere)
		old = 0; /* the tasks the filters keep: task_list_by.sql */
	if (!old && each && names_model(&d)) {
		cli_error("tasks: --each lists tasks, and model is each call's own, not a task's: "
		          "use tasks --by model for the tasks' calls per model");
		return EXIT_USAGE;
	}
	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	ac_query q = cli_query(&co);
	int status;
	if (!old) {
		cli_dims_apply(&d, &q);
		status = each ? list_each_dims(s, &co, &q)
		              : print_dims(s, &q, hist, flags, co.format);
		ac_store_close(s);
		return status;
	}
	if (each) {
		status = list_each(s, &co);
		ac_store_close(s);
		return status;
	}
	static const ac_dim type_dim[] = { { AC_DIM_TASK_TYPE, NULL, NULL }, { AC_DIM_SYSTEM, NULL, NULL } };
	q.by = by == BY_SYSTEM ? type_dim + 1 : type_dim;
	q.nby = by == BY_BOTH ? 2 : 1;
	q.where = d.where; /* --where alone: the filters, the groups kept */
	q.nwhere = d.nwhere;
	ac_task_costs r;
	ac_err err = AC_ERR_INIT;
	status = EXIT_OK;
	if (ac_task_costs_run(s, &q, flags, &r, &err)) {
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
