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
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stats.h"
#include "cli.h"

typedef struct otask {
	int64_t id;
	char *task_id, *system, *task_type; /* owned; system/task_type may be NULL */
	double cost;
	long long calls, max_repeat;
	/* per type */
	double median, threshold, calls_p999;
	/* verdicts */
	int outlier, by_calls, by_repeat;
	/* what dominated it (outliers only); owned, may be NULL */
	char *top_model, *top_purpose, *tool;
	long long tool_calls;
} otask;

static char *dup_col(sqlite3_stmt *st, int c)
{
	const unsigned char *s = sqlite3_column_text(st, c);
	return s ? strdup((const char *)s) : NULL;
}

static int same_type(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static int by_cost_desc(const void *pa, const void *pb)
{
	const otask *a = *(const otask *const *)pa, *b = *(const otask *const *)pb;
	if (a->cost != b->cost)
		return a->cost > b->cost ? -1 : 1;
	return strcmp(a->task_id, b->task_id);
}

/* Median cost and p99.9 of LLM calls per task type; tasks [from, to) share one. */
static int judge_group(otask *t, size_t from, size_t to, double factor, long long repeat)
{
	size_t n = to - from;
	double *cost = malloc(n * sizeof(double)), *calls = malloc(n * sizeof(double));
	if (!cost || !calls) {
		free(cost);
		free(calls);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		cost[i] = t[from + i].cost;
		calls[i] = (double)t[from + i].calls;
	}
	ac_sort_doubles(cost, n);
	ac_sort_doubles(calls, n);
	double median = ac_quantile(cost, n, 0.5), p999 = ac_quantile(calls, n, 0.999);
	double threshold = factor * median;
	for (size_t i = from; i < to; i++) {
		t[i].median = median;
		t[i].threshold = threshold;
		t[i].calls_p999 = p999;
		t[i].outlier = t[i].cost > threshold + 1e-12 * fabs(threshold);
		t[i].by_calls = (double)t[i].calls > p999;
		t[i].by_repeat = t[i].max_repeat > repeat;
	}
	free(cost);
	free(calls);
	return 0;
}

/* Fill what dominated an outlier from outlier_detail.sql. */
static int detail(sqlite3_stmt *q, otask *t)
{
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, t->id);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(q, 0);
		if (!kind)
			continue;
		/* rows come largest first within each kind: keep the first */
		if (!strcmp(kind, "model") && !t->top_model)
			t->top_model = dup_col(q, 1);
		else if (!strcmp(kind, "purpose") && !t->top_purpose)
			t->top_purpose = dup_col(q, 1);
		else if (!strcmp(kind, "tool") && !t->tool) {
			t->tool = dup_col(q, 1);
			t->tool_calls = sqlite3_column_int64(q, 2);
		}
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

static void reasons_json(FILE *fp, const otask *t)
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

static const char *reasons_text(const otask *t)
{
	if (t->by_calls && t->by_repeat)
		return "call_count;repeated_step";
	return t->by_calls ? "call_count" : "repeated_step";
}

static void print_json(FILE *fp, double factor, otask **out, size_t nout, otask **run, size_t nrun,
                       double savings)
{
	fputs("{\"factor\":", fp);
	json_num(fp, factor);
	fputs(",\"outliers\":[", fp);
	for (size_t i = 0; i < nout; i++) {
		const otask *t = out[i];
		fputs(i ? ",\n{" : "\n{", fp);
		fputs("\"task_id\":", fp);
		json_str(fp, t->task_id);
		fputs(",\"system\":", fp);
		json_str(fp, t->system);
		fputs(",\"task_type\":", fp);
		json_str(fp, t->task_type);
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
		json_num(fp, t->cost - t->threshold);
		fputc('}', fp);
	}
	fputs(nout ? "\n],\"runaways\":[" : "],\"runaways\":[", fp);
	for (size_t i = 0; i < nrun; i++) {
		const otask *t = run[i];
		fputs(i ? ",\n{" : "\n{", fp);
		fputs("\"task_id\":", fp);
		json_str(fp, t->task_id);
		fputs(",\"task_type\":", fp);
		json_str(fp, t->task_type);
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

static void print_outliers(const common_opts *co, otask **out, size_t nout)
{
	static const char *const names[] = { "task_id", "system", "task_type", "cost", "llm_calls",
		                             "threshold", "median", "top_model", "top_purpose",
		                             "repeated_tool", "repeated_tool_calls",
		                             "guardrail_savings" };
	static const col_type types[] = { COL_STR, COL_STR, COL_STR, COL_USD, COL_INT, COL_USD,
		                          COL_USD, COL_STR, COL_STR, COL_STR, COL_INT, COL_USD };
	out_table *t = out_table_new(names, types, 12);
	if (!t)
		return;
	for (size_t i = 0; i < nout; i++) {
		const otask *x = out[i];
		out_str(t, x->task_id);
		out_str(t, x->system);
		out_str(t, x->task_type);
		out_num(t, x->cost);
		out_int(t, x->calls);
		out_num(t, x->threshold);
		out_num(t, x->median);
		out_str(t, x->top_model);
		out_str(t, x->top_purpose);
		out_str(t, x->tool);
		out_int(t, x->tool_calls);
		out_num(t, x->cost - x->threshold);
	}
	out_table_print(t, stdout, co->format, "outliers");
}

static void print_runaways(const common_opts *co, otask **run, size_t nrun)
{
	static const char *const names[] = { "task_id", "task_type", "llm_calls", "calls_p999",
		                             "max_repeat", "reasons" };
	static const col_type types[] = { COL_STR, COL_STR, COL_INT, COL_NUM, COL_INT, COL_STR };
	out_table *t = out_table_new(names, types, 6);
	if (!t)
		return;
	for (size_t i = 0; i < nrun; i++) {
		const otask *x = run[i];
		out_str(t, x->task_id);
		out_str(t, x->task_type);
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
	                "[--since DATE] [--until DATE] [--system NAME] [--format table|csv|json]\n");
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
	if (cli_common(&argc, argv, &co))
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
	sqlite3 *db = ac_store_db(s);
	sqlite3_stmt *st = NULL, *q = NULL;
	otask *tasks = NULL;
	otask **out = NULL, **run = NULL;
	size_t n = 0, cap = 0, nout = 0, nrun = 0;
	int status = EXIT_FAIL, rc;
	double savings = 0;
	if (sqlite3_prepare_v2(db, ac_store_query("outliers.sql"), -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, ac_store_query("outlier_detail.sql"), -1, &q, NULL) != SQLITE_OK) {
		cli_error("outliers: %s", sqlite3_errmsg(db));
		goto done;
	}
	sqlite3_bind_int64(st, 1, co.since_ns);
	sqlite3_bind_int64(st, 2, co.until_ns);
	if (co.system)
		sqlite3_bind_text(st, 3, co.system, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			otask *nt = realloc(tasks, nc * sizeof(*nt));
			if (!nt)
				goto oom;
			tasks = nt;
			cap = nc;
		}
		otask *t = &tasks[n++];
		memset(t, 0, sizeof(*t));
		t->id = sqlite3_column_int64(st, 0);
		t->task_id = dup_col(st, 1);
		t->system = dup_col(st, 2);
		t->task_type = dup_col(st, 3);
		t->cost = sqlite3_column_double(st, 4);
		t->calls = sqlite3_column_int64(st, 5);
		t->max_repeat = sqlite3_column_int64(st, 6);
		if (!t->task_id)
			goto oom;
	}
	if (rc != SQLITE_DONE) {
		cli_error("outliers: %s", sqlite3_errmsg(db));
		goto done;
	}

	/* the query orders by task type: each type is one run of rows */
	for (size_t from = 0; from < n;) {
		size_t to = from + 1;
		while (to < n && same_type(tasks[to].task_type, tasks[from].task_type))
			to++;
		if (judge_group(tasks, from, to, factor, repeat))
			goto oom;
		from = to;
	}

	out = malloc((n ? n : 1) * sizeof(*out));
	run = malloc((n ? n : 1) * sizeof(*run));
	if (!out || !run)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		if (tasks[i].outlier)
			out[nout++] = &tasks[i];
		if (tasks[i].by_calls || tasks[i].by_repeat)
			run[nrun++] = &tasks[i]; /* already in type, task_id order */
	}
	qsort(out, nout, sizeof(*out), by_cost_desc);
	for (size_t i = 0; i < nout; i++) {
		savings += out[i]->cost - out[i]->threshold;
		if (detail(q, out[i])) {
			cli_error("outliers: %s", sqlite3_errmsg(db));
			goto done;
		}
	}

	if (co.format == FMT_JSON) {
		print_json(stdout, factor, out, nout, run, nrun, savings);
	} else if (show_runaways) {
		print_runaways(&co, run, nrun);
	} else {
		print_outliers(&co, out, nout);
		if (co.format == FMT_TABLE)
			printf("\n%zu task%s over %g x the median of their type: a guardrail halting "
			       "them there would have saved %.4f USD; %zu runaway%s (--runaways)\n",
			       nout, nout == 1 ? "" : "s", factor, savings, nrun, nrun == 1 ? "" : "s");
	}
	status = EXIT_OK;
	goto done;
oom:
	cli_error("outliers: out of memory");
done:
	for (size_t i = 0; i < n; i++) {
		free(tasks[i].task_id);
		free(tasks[i].system);
		free(tasks[i].task_type);
		free(tasks[i].top_model);
		free(tasks[i].top_purpose);
		free(tasks[i].tool);
	}
	free(tasks);
	free(out);
	free(run);
	sqlite3_finalize(st);
	sqlite3_finalize(q);
	ac_store_close(s);
	return status;
}
