/*
 * agentcost outliers [--factor F] [--repeat N] [--runaways]
 *
 * Task-level guardrails, after the fact, over the production tasks of the
 * window (evaluation tasks are not user work; a task is in the window when it
 * starts in it):
 *   outlier   cost > F x the median cost (type 7) of its task type; with what
 *             dominated it (the model and the step purpose with the largest
 *             cost, the tool called most often, ties by name) and what a
 *             guardrail halting the task at the threshold would have saved:
 *             cost - threshold. Ranked by cost, largest first, ties by task_id.
 *   runaway   LLM calls > the p99.9 (type 7) of LLM calls of its task type
 *             (reason "call_count"), or the same step (tool, or LLM span name)
 *             more than N times in a row, task.max_repeat > N (reason
 *             "repeated_step"). Ordered by task type, then task_id.
 * "Greater than" the cost threshold is decided with a relative tolerance of
 * 1e-12, so a sum of costs that lands on the threshold up to rounding does not
 * count (src/analysis/spc.h does the same).
 *
 * JSON prints everything; table and CSV print the outlier rows, or with
 * --runaways the runaway rows (reasons joined by ';'); the table adds the
 * totals below.
 *
 * --by DIM[,DIM] (issue #17): the same judge per group of tasks with equal
 * --by values instead of per task type (ac_guard_by_run); the dimensions'
 * values come first in every row and JSON object, named after the
 * dimensions (ac_dim_column); runaways are ordered by group, then task_id.
 * --where DIM=VALUE filters: the judge over the tasks it keeps; alone it
 * keeps the plain judge (per task type) and the plain output.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/dims.h"
#include "analysis/guard.h"
#include "cli.h"

static void reasons_json(FILE *fp, const ac_gtask *t)
{
	int first = 1;
	fputc('[', fp);
	if (t->by_calls) {
		json_str(fp, "call_count");
		first = 0;
	}
	if (t->by_repeat) {
		if (!first)
			fputc(',', fp);
		json_str(fp, "repeated_step");
	}
	fputc(']', fp);
}

static const char *reasons_text(const ac_gtask *t)
{
	if (t->by_calls && t->by_repeat)
		return "call_count;repeated_step";
	return t->by_calls ? "call_count" : "repeated_step";
}

/* The dimensions of --by (none without): the first columns and keys. A
 * task's own system or task_type column is left out when a dimension has
 * its name (no key twice in a JSON object). */
typedef struct dimcols {
	const char *name[2];
	size_t n;
} dimcols;

/* 1: column `name` is one of the dimensions'. */
static int shadowed(const dimcols *dc, const char *name)
{
	for (size_t k = 0; k < dc->n; k++)
		if (!strcmp(dc->name[k], name))
			return 1;
	return 0;
}

/* The task's own system / task_type, unless a dimension's column has it. */
static void json_own(FILE *fp, const dimcols *dc, const char *name, const char *v)
{
	if (shadowed(dc, name))
		return;
	fprintf(fp, ",\"%s\":", name);
	json_str(fp, v);
}

static void out_own(out_table *t, const dimcols *dc, const char *name, const char *v)
{
	if (!shadowed(dc, name))
		out_str(t, v);
}

static void json_keys(FILE *fp, const dimcols *dc, const ac_gtask *t)
{
	for (size_t k = 0; k < dc->n; k++) {
		json_str(fp, dc->name[k]);
		fputc(':', fp);
		json_str(fp, t->key[k]);
		fputc(',', fp);
	}
}

/* A table of the dimensions' columns, then names/types (n of them); the
 * table points into nm and ty, which must live as long as it. */
static out_table *keyed_table(const dimcols *dc, const char *const *names, const col_type *types,
                              size_t n, const char **nm, col_type *ty)
{
	size_t k = 0;
	for (; k < dc->n; k++) {
		nm[k] = dc->name[k];
		ty[k] = COL_STR;
	}
	for (size_t i = 0; i < n; i++) {
		if ((!strcmp(names[i], "system") || !strcmp(names[i], "task_type")) &&
		    shadowed(dc, names[i]))
			continue;
		nm[k] = names[i];
		ty[k++] = types[i];
	}
	return out_table_new(nm, ty, (int)k);
}

static void print_json(FILE *fp, const dimcols *dc, double factor, ac_gtask **out, size_t nout, ac_gtask **run, size_t nrun,
                       double savings)
{
	fputs("{\"factor\":", fp);
	json_num(fp, factor);
	fputs(",\"outliers\":[", fp);
	for (size_t i = 0; i < nout; i++) {
		const ac_gtask *t = out[i];
		fputs(i ? ",\n{" : "\n{", fp);
		json_keys(fp, dc, t);
		fputs("\"task_id\":", fp);
		json_str(fp, t->task_id);
		json_own(fp, dc, "system", t->system);
		json_own(fp, dc, "task_type", t->task_type);
		fputs(",\"cost\":", fp);
		json_num(fp, t->cost);
		fprintf(fp, ",\"llm_calls\":%lld,\"threshold\":", t->calls);
		json_num(fp, t->threshold);
		fputs(",\"median\":", fp);
		json_num(fp, t->median);
		fputs(",\"top_model\":", fp);
		json_str(fp, t->top_model);
		fputs(",\"top_purpose\":", fp);
		json_str(fp, t->top_purpose);
		fputs(",\"repeated_tool\":", fp);
		json_str(fp, t->tool);
		fprintf(fp, ",\"repeated_tool_calls\":%lld,\"guardrail_savings\":", t->tool_calls);
		json_num(fp, t->excess);
		fputc('}', fp);
	}
	fputs(nout ? "\n],\"runaways\":[" : "],\"runaways\":[", fp);
	for (size_t i = 0; i < nrun; i++) {
		const ac_gtask *t = run[i];
		fputs(i ? ",\n{" : "\n{", fp);
		json_keys(fp, dc, t);
		fputs("\"task_id\":", fp);
		json_str(fp, t->task_id);
		json_own(fp, dc, "task_type", t->task_type);
		fprintf(fp, ",\"llm_calls\":%lld,\"calls_p999\":", t->calls);
		json_num(fp, t->calls_p999);
		fprintf(fp, ",\"max_repeat\":%lld,\"reasons\":", t->max_repeat);
		reasons_json(fp, t);
		fputc('}', fp);
	}
	fputs(nrun ? "\n],\"totals\":{" : "],\"totals\":{", fp);
	fprintf(fp, "\"tasks_stopped\":%zu,\"savings\":", nout);
	json_num(fp, savings);
	fprintf(fp, ",\"runaways\":%zu}}\n", nrun);
}

static void print_outliers(const common_opts *co, const dimcols *dc, ac_gtask **out, size_t nout)
{
	static const char *const names[] = { "task_id", "system", "task_type", "cost", "llm_calls",
		                             "threshold", "median", "top_model", "top_purpose",
		                             "repeated_tool", "repeated_tool_calls",
		                             "guardrail_savings" };
	static const col_type types[] = { COL_STR, COL_STR, COL_STR, COL_USD, COL_INT, COL_USD,
		                          COL_USD, COL_STR, COL_STR, COL_STR, COL_INT, COL_USD };
	const char *nm[14];
	col_type ty[14];
	out_table *t = keyed_table(dc, names, types, 12, nm, ty);
	if (!t)
		return;
	for (size_t i = 0; i < nout; i++) {
		const ac_gtask *x = out[i];
		for (size_t k = 0; k < dc->n; k++)
			out_str(t, x->key[k]);
		out_str(t, x->task_id);
		out_own(t, dc, "system", x->system);
		out_own(t, dc, "task_type", x->task_type);
		out_num(t, x->cost);
		out_int(t, x->calls);
		out_num(t, x->threshold);
		out_num(t, x->median);
		out_str(t, x->top_model);
		out_str(t, x->top_purpose);
		out_str(t, x->tool);
		out_int(t, x->tool_calls);
		out_num(t, x->excess);
	}
	out_table_print(t, stdout, co->format, "outliers");
}

static void print_runaways(const common_opts *co, const dimcols *dc, ac_gtask **run, size_t nrun)
{
	static const char *const names[] = { "task_id", "task_type", "llm_calls", "calls_p999",
		                             "max_repeat", "reasons" };
	static const col_type types[] = { COL_STR, COL_STR, COL_INT, COL_NUM, COL_INT, COL_STR };
	const char *nm[8];
	col_type ty[8];
	out_table *t = keyed_table(dc, names, types, 6, nm, ty);
	if (!t)
		return;
	for (size_t i = 0; i < nrun; i++) {
		const ac_gtask *x = run[i];
		for (size_t k = 0; k < dc->n; k++)
			out_str(t, x->key[k]);
		out_str(t, x->task_id);
		out_own(t, dc, "task_type", x->task_type);
		out_int(t, x->calls);
		out_num(t, x->calls_p999);
		out_int(t, x->max_repeat);
		out_str(t, reasons_text(x));
	}
	out_table_print(t, stdout, co->format, "runaways");
}

static void usage(void)
{
	fprintf(stderr, "usage: agentcost outliers [--factor F] [--repeat N] [--runaways] "
	                "[--by DIM[,DIM]] [--where DIM=VALUE]... [--since DATE] [--until DATE] "
	                "[--system NAME] [--format table|csv|json]\n");
}

/* Value of "--name V" / "--name=V" at argv[*i], else NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	int missing = 0;
	const char *v = cli_optval(argc, argv, i, name, &missing, NULL);
	return missing ? "" : v; /* "" is refused by the caller's check */
}

int cmd_outliers(int argc, char **argv)
{
	common_opts co;
	cli_dims d;
	if (cli_common(&argc, argv, &co) || cli_dims_parse(&argc, argv, "outliers", &d))
		return EXIT_USAGE;
	double factor = 3;
	long long repeat = 5;
	int show_runaways = 0;
	for (int i = 1; i < argc; i++) {
		const char *v;
		char *end;
		if (!strcmp(argv[i], "--runaways")) {
			show_runaways = 1;
		} else if ((v = opt_value(argc, argv, &i, "--factor"))) {
			factor = strtod(v, &end);
			if (end == v || *end || !(factor > 0) || isinf(factor)) {
				cli_error("outliers: --factor takes a positive number, not '%s'", v);
				return EXIT_USAGE;
			}
		} else if ((v = opt_value(argc, argv, &i, "--repeat"))) {
			repeat = strtoll(v, &end, 10);
			if (end == v || *end || repeat < 1) {
				cli_error("outliers: --repeat takes a whole number of at least 1, not '%s'", v);
				return EXIT_USAGE;
			}
		} else {
			cli_error("outliers: unknown option '%s'", argv[i]);
			usage();
			return EXIT_USAGE;
		}
	}

	ac_store *s = cli_open_store(&co, 0);
	if (!s)
		return EXIT_FAIL;
	ac_guard g;
	ac_err err = AC_ERR_INIT;
	/* JSON lists both; the table and CSV list one kind and count the other */
	ac_guard_opts o = { factor, repeat, co.system,
		            co.format == FMT_JSON ? AC_GUARD_LIST_OUTLIERS | AC_GUARD_LIST_RUNAWAYS
		            : show_runaways       ? AC_GUARD_LIST_RUNAWAYS
		                                  : AC_GUARD_LIST_OUTLIERS };
	int status = EXIT_OK, rc;
	ac_query q = cli_query(&co);
	cli_dims_apply(&d, &q);
	dimcols dc = { { NULL, NULL }, d.nby };
	for (size_t k = 0; k < d.nby; k++)
		dc.name[k] = ac_dim_column(&d.by[k]);
	if (q.dims)
		rc = ac_guard_by_run(&g, s, &q, &o, &err);
	else
		rc = ac_guard_run(&g, s, &o, co.since_ns, co.until_ns, co.since_ns, co.until_ns, &err);
	if (rc) {
		cli_error("outliers: %s", err.msg);
		status = rc == AC_EINVAL ? EXIT_USAGE : EXIT_FAIL;
		goto done;
	}
	ac_gtask **out = g.out, **run = g.run;
	size_t nout = g.nout, nrun = g.nrun;
	double savings = g.savings;

	if (co.format == FMT_JSON) {
		print_json(stdout, &dc, factor, out, nout, run, nrun, savings);
	} else if (show_runaways) {
		print_runaways(&co, &dc, run, nrun);
	} else {
		print_outliers(&co, &dc, out, nout);
		if (co.format == FMT_TABLE)
			printf("\n%zu task%s over %g x the median of their %s: a guardrail halting "
			       "them there would have saved %.4f USD; %zu runaway%s (--runaways)\n",
			       nout, nout == 1 ? "" : "s", factor, q.nby ? "group" : "type", savings,
			       g.runaways, g.runaways == 1 ? "" : "s");
	}
done:
	ac_guard_release(&g);
	ac_store_close(s);
	return status;
}
